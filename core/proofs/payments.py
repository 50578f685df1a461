"""The money's invariant, checked from the log's records alone: what each payment asked back
is what its cancelled tickets cost, ticket by ticket. Standard library only: `ledger verify`
feeds it the store's events (`commands.audit.payments`) and the offline verifier an export's
lines (`tools/verify_export.py`), each as (type, stream, payload) with ticket codes as digests.

For each payment that paid for a booking:
- what its refunds ask and what it was refunded never exceed what it captured;
- each refund names tickets, and asks exactly what its event sold them for (`lines`);
- each ticket of the booking cancelled that cost something is named by one refund, and a
  ticket still active by none;
- refunds recorded before they named tickets are held to the total instead: together they
  ask what the cancelled tickets cost.
A payment that booked nothing (its hold had ended) asks all it captured back, and so does
money an earlier attempt's intent took after a later attempt replaced it.
"""

import hashlib
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from core.money import to_minor

DIGEST = "sha256:"
# The kinds of events the invariant reads (the rest of the log concerns it in nothing).
READ = frozenset({"Created", "SeatsBooked", "BookingCancelled", "TicketsCancelled",
                  "PaymentStarted", "PaymentSucceeded", "SupersededIntentSucceeded",
                  "RefundRequested", "RefundSucceeded", "RefundFailed"})
SUPERSEDED = "superseded_attempt"  # as commands.domain.payment: an earlier attempt's money
def minor(amount: Any, currency: str) -> int:
    return to_minor(Decimal(str(amount)), currency)


def named(code: str) -> str:
    """A ticket as audit views name it: its digest (an export of old events holds codes)."""
    return code if code.startswith(DIGEST) else DIGEST + hashlib.sha256(code.encode()).hexdigest()


@dataclass
class Sold:
    """A booking's tickets as its event's stream told them."""

    event: str
    currency: str
    prices: dict[str, int] = field(default_factory=dict)  # ticket -> what it sold for
    cancelled: set[str] = field(default_factory=set)


@dataclass
class Asked:
    """One refund of a payment: what it asks, for which tickets, what was made of it."""

    amount: int
    tickets: tuple[str, ...] | None  # None: recorded before refunds named tickets
    reason: str = ""
    number: int = 0


@dataclass
class Paid:
    captured: int = 0
    booking: str | None = None
    unbooked: bool = False
    refunds: list[Asked] = field(default_factory=list)
    refunded: int = 0
    last_failed: bool = False
    superseded: int = 0  # what earlier attempts' intents took after a later one replaced them


class MoneyOwed:
    """The records of bookings and payments gathered in one pass, then `problems`."""

    def __init__(self) -> None:
        self.currencies: dict[str, str] = {}
        self.sold: dict[str, Sold] = {}
        self.paid: dict[str, Paid] = {}

    def add(self, kind: str, stream: str, payload: dict[str, Any]) -> None:
        if kind == "Created" and "currency" in payload and "categories" in payload:
            self.currencies[stream] = str(payload["currency"])
        elif kind == "SeatsBooked":
            currency = self.currencies.get(stream, "EUR")
            self.sold[str(payload["booking_id"])] = Sold(stream, currency, {
                named(code): minor(price, currency)
                for code, price in _ticket_prices(payload)})
        elif kind in ("BookingCancelled", "TicketsCancelled") and "booking_id" in payload:
            sold = self.sold.get(str(payload["booking_id"]))
            if sold is not None:
                codes = payload.get("ticket_codes") if kind == "TicketsCancelled" else None
                sold.cancelled.update(sold.prices if codes is None else map(named, codes))
        elif kind == "PaymentStarted":
            self.paid[stream] = Paid()
        elif (paid := self.paid.get(stream)) is None:
            return
        elif kind == "PaymentSucceeded":
            paid.captured = int(payload["captured"])
            paid.booking = str(payload["booking_id"]) if payload.get("booking_id") else None
            paid.unbooked = paid.booking is None
        elif kind == "SupersededIntentSucceeded":
            paid.captured += int(payload["captured"])
            paid.superseded += int(payload["captured"])
        elif kind == "RefundRequested":
            _asked(paid, payload)
        elif kind == "RefundSucceeded":
            paid.refunded += int(payload["amount"])
        elif kind == "RefundFailed":
            paid.last_failed = True

    def problems(self) -> list[tuple[str, str, str]]:
        """(event, payment, what is wrong) for every payment whose money disagrees."""
        found = []
        for key, paid in self.paid.items():
            sold = self.sold.get(paid.booking or "")
            event = sold.event if sold is not None else ""
            found += [(event, key, why) for why in _wrong(paid, sold)]
        return found


def _asked(paid: Paid, payload: dict[str, Any]) -> None:
    number, tickets = payload.get("number"), payload.get("tickets")
    if number is None and paid.last_failed and paid.refunds:
        number = len(paid.refunds)  # recorded before refunds were numbered: a retry
    paid.last_failed = False
    if number is None or number > len(paid.refunds):
        paid.refunds.append(Asked(int(payload["amount"]),
                                  None if tickets is None else tuple(map(named, tickets)),
                                  str(payload.get("reason") or ""), len(paid.refunds) + 1))
    elif tickets is None:  # such a retry asked anew what was left of the payment
        refund = paid.refunds[number - 1]
        refund.amount = max(refund.amount, int(payload["amount"]))


def _wrong(paid: Paid, sold: Sold | None) -> list[str]:
    wrong = []
    given_back = sum(r.amount for r in paid.refunds if r.reason == SUPERSEDED)
    if given_back != paid.superseded:
        wrong.append(f"took {paid.superseded} through attempts a later one replaced, and asks "
                     f"{given_back} of it back")
    if paid.refunded > paid.captured:
        wrong.append(f"was refunded {paid.refunded}, more than the {paid.captured} it captured")
    # What is left is the payment of its own attempt, held against its booking.
    own = replace(paid, captured=paid.captured - paid.superseded,
                  refunds=[r for r in paid.refunds if r.reason != SUPERSEDED])
    asked = sum(refund.amount for refund in own.refunds)
    if asked > own.captured:
        wrong.append(f"asks {asked} back, more than the {own.captured} it captured")
    if own.unbooked and asked != own.captured:
        wrong.append(f"took {own.captured} that booked nothing, and asks {asked} back")
    if sold is not None and own.captured > 0:
        wrong += _tickets_wrong(own, sold, asked)
    return wrong


def _tickets_wrong(paid: Paid, sold: Sold, asked: int) -> list[str]:
    booking, wrong = paid.booking, []
    owed = {code: sold.prices[code] for code in sold.cancelled if sold.prices.get(code)}
    if any(refund.tickets is None for refund in paid.refunds):
        if asked != sum(owed.values()):
            wrong.append(f"paid for booking {booking}, whose cancelled tickets cost "
                         f"{sum(owed.values())}, and {asked} was asked back")
        return wrong
    giving: dict[str, int] = {}
    for refund in paid.refunds:
        number = refund.number
        cost = sum(sold.prices.get(code, 0) for code in refund.tickets or ())
        if refund.amount != cost:
            wrong.append(f"refund {number} asks {refund.amount} for tickets of booking "
                         f"{booking} that cost {cost}")
        for code in refund.tickets or ():
            if code in giving:
                wrong.append(f"gives ticket {code} of booking {booking} back twice (refunds "
                             f"{giving[code]} and {number})")
            giving[code] = number
            if code not in sold.cancelled:
                wrong.append(f"refund {number} gives back ticket {code} of booking {booking}, "
                             "which is still active")
    for code in sorted(owed.keys() - giving.keys()):
        wrong.append(f"paid for booking {booking}, whose ticket {code} was cancelled, and no "
                     f"refund asks its {owed[code]} back")
    return wrong


def _ticket_prices(payload: dict[str, Any]) -> list[tuple[str, Any]]:
    """Each ticket code of a `SeatsBooked` with its line's price, the codes taken in the
    order recorded (as `commands.domain.lines.ticket_lines`: the domain keeps its own, this
    module stays importable by the offline tools)."""
    lines = payload.get("lines") or [{"quantity": payload["quantity"],
                                      "unit_price": payload.get("unit_price") or 0}]
    codes = iter(payload.get("ticket_codes") or ())
    return [(code, line.get("unit_price") or 0) for line in lines
            for _, code in zip(range(int(line["quantity"])), codes, strict=False)]
