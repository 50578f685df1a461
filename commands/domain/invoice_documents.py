"""What an invoice says: an order's lines, its taxes per rate and its totals, with the seller,
the buyer and the order it is for; and the cancellation that reverses one in full.

Amounts are decimal strings in the currency's major unit, all positive: a cancellation says
what it takes back by its kind. A line's per-seat price and tax are the booking's, as the
ledger took them when its seats were booked (`commands.domain.taxes`: rounded per seat), so
an invoice's tax is the tax the order was charged, never recomputed from the totals.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from commands.domain.invoices import CANCELLATION, INVOICE
from commands.domain.lines import Line
from commands.domain.taxes import tax_summary
from core.money import exponent
from core.personal import Personal


@dataclass(frozen=True)
class Order:
    """The facts of a booking an invoice is for, gathered from its event and its streams."""

    booking_id: UUID
    event_id: UUID
    user_id: str
    event_name: str
    event_starts_at: datetime  # in the venue's zone
    venue: str | None
    currency: str
    lines: list[Line]  # what it has now: its lines less the tickets cancelled
    provider: str | None  # who took its money; None: nothing to pay


def amount(value: Decimal, currency: str) -> str:
    return str(value.quantize(Decimal(1).scaleb(-exponent(currency))))


def reference(booking_id: UUID) -> str:
    """A booking's reference as buyers read it (the web UI's and the e-mails')."""
    return str(booking_id)[:8]


def _line(order: Order, line: Line) -> dict[str, Any]:
    seats = line["quantity"]
    gross = line["unit_price"] * seats
    tax = line.get("unit_tax", Decimal(0)) * seats

    def money(value: Decimal) -> str:
        return amount(value, order.currency)

    list_price = line.get("list_price")
    return {"description": f"{order.event_name} · {line['category']}",
            "category": line["category"], "quantity": seats,
            "unit_price": money(line["unit_price"]),
            "unit_tax": money(line.get("unit_tax", Decimal(0))),
            "tax_name": line.get("tax_name"),
            "tax_rate": str(line.get("tax_rate", Decimal(0)).normalize()),
            "list_price": None if list_price is None else money(list_price),
            "net": money(gross - tax), "tax": money(tax), "gross": money(gross)}


def _taxes(order: Order) -> list[dict[str, Any]]:
    return [{"name": row["name"], "rate": str(Decimal(row["rate"]).normalize()),
             "net": amount(row["net"], order.currency), "tax": amount(row["tax"], order.currency),
             "gross": amount(row["gross"], order.currency)}
            for row in tax_summary(order.lines)]


def totals(lines: Iterable[dict[str, Any]], currency: str) -> dict[str, str]:
    """The sums of lines as an invoice records them."""
    rows = list(lines)
    return {key: amount(sum((Decimal(row[key]) for row in rows), Decimal(0)), currency)
            for key in ("net", "tax", "gross")}


def invoice_of(order: Order, seller: dict[str, Any], buyer: dict[str, Any] | Personal,
               now: datetime) -> dict[str, Any]:
    """The invoice of what `order` has now, unnumbered (the book numbers it)."""
    lines = [_line(order, line) for line in order.lines if line["quantity"] > 0]
    summed = totals(lines, order.currency)
    return {"kind": INVOICE, "booking_id": order.booking_id, "event_id": order.event_id,
            "user_id": order.user_id, "cancels": None, "issued_at": now,
            "currency": order.currency, "seller": dict(seller),
            "buyer": buyer if isinstance(buyer, Personal) else dict(buyer),
            "order": {"booking_id": str(order.booking_id),
                      "reference": reference(order.booking_id),
                      "event_name": order.event_name,
                      "event_starts_at": order.event_starts_at.isoformat(),
                      "venue": order.venue},
            "lines": lines, "taxes": _taxes(order), "totals": summed,
            "paid": {"provider": order.provider,
                     "amount": summed["gross"] if order.provider else amount(
                         Decimal(0), order.currency)}}


def cancellation_of(standing: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The cancellation of invoice `standing` in full: its lines, taxes and totals, taken back,
    under the seller's details it was issued with."""
    kept = ("booking_id", "event_id", "user_id", "currency", "seller", "buyer", "order",
            "lines", "taxes", "totals", "paid")
    return {**{key: standing[key] for key in kept}, "kind": CANCELLATION, "issued_at": now,
            "cancels": {"seq": standing["seq"], "number": standing["number"],
                        "issued_at": standing["issued_at"].isoformat()}}


def same_lines(standing: dict[str, Any], order: Order) -> bool:
    """Whether invoice `standing` is for what `order` has now (seats and prices per line)."""
    now = [_line(order, line) for line in order.lines if line["quantity"] > 0]
    return [(x["category"], x["quantity"], x["gross"]) for x in standing["lines"]] == [
        (x["category"], x["quantity"], x["gross"]) for x in now]
