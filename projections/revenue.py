"""Read model "revenue": per event, and per event and UTC day, the bookings, tickets and
revenue made and the refunds paid; per voucher, its terms and what it sold.

Read by `query_api/reads/stats.py` (the admin dashboard's totals and sales over time) and
`query_api/reads/vouchers.py` (an event's vouchers, for its organizers).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, BigInteger, Boolean, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from commands.domain.event import Event
from commands.domain.lines import lines_of, list_total_of, total_of
from commands.domain.taxes import tax_summary
from commands.domain.vouchers import seats_using
from core.models import Base, Money, UTCDateTime
from projections.model import ReadModel, table_of
from projections.unit_of_work import Batch


class EventStatsRow(Base):
    __tablename__ = "event_stats"
    event_id: Mapped[UUID] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))  # money is never summed across them
    bookings_confirmed: Mapped[int] = mapped_column(Integer, default=0)
    bookings_cancelled: Mapped[int] = mapped_column(Integer, default=0)
    tickets_sold: Mapped[int] = mapped_column(Integer, default=0)
    revenue: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    refunds: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))


class SalesDailyRow(Base):
    __tablename__ = "sales_daily"
    event_id: Mapped[UUID] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    bookings: Mapped[int] = mapped_column(Integer, default=0)
    tickets: Mapped[int] = mapped_column(Integer, default=0)
    revenue: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    refunds: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))


class VoucherRow(Base):
    """A voucher's terms as made, and what it sold: seats booked with it (`redeemed`) in how
    many bookings, what they cost the buyers (`revenue`) and what it took off (`discounts`).
    A cancellation does not give a voucher's use back (`commands.domain.vouchers`): its
    figures count every booking made with it."""

    __tablename__ = "vouchers"
    event_id: Mapped[UUID] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    discount: Mapped[str] = mapped_column(String(16))
    value: Mapped[Decimal] = mapped_column(Money)
    max_uses: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    categories: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True),
                                                         nullable=True)
    label: Mapped[str | None] = mapped_column(String(80), nullable=True)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    position: Mapped[int] = mapped_column(BigInteger)  # its creation's: the list's order
    redeemed: Mapped[int] = mapped_column(Integer, default=0)
    bookings: Mapped[int] = mapped_column(Integer, default=0)
    revenue: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    discounts: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))


class TaxTotalRow(Base):
    """Per event, UTC day, tax rule and rate, what its seats sold for and what was refunded
    that day: net, tax and gross (what buyers paid), each line's seats at its own seat's
    figures; seats of no rule under the name "" and rate 0. In the event's currency
    (`event_stats`)."""

    __tablename__ = "tax_totals"
    event_id: Mapped[UUID] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    tax_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    tax_rate: Mapped[str] = mapped_column(String(12), primary_key=True)  # `rate_key`
    net: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    tax: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    gross: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    refunded_net: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    refunded_tax: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    refunded_gross: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))


def fold(b: Batch, e: Any, position: int) -> None:
    """One domain event into the batch's `event_stats`, `sales_daily`, `vouchers` and
    `tax_totals` changes."""
    kind = type(e)
    _tax_totals(b, e)
    if kind is Event.VouchersCreated:
        for code in e.codes:
            b["vouchers"].insert({
                "event_id": e.originator_id, "code": code, "discount": e.discount,
                "value": e.value, "max_uses": e.max_uses, "valid_from": e.valid_from,
                "valid_until": e.valid_until, "categories": e.categories, "label": e.label,
                "disabled": False, "created_at": e.created_at, "position": position,
                "redeemed": 0, "bookings": 0, "revenue": Decimal(0), "discounts": Decimal(0)})
        return
    if kind is Event.VoucherDisabled:
        b["vouchers"].set((e.originator_id, e.code), {"disabled": True})
        return
    if kind is Event.SeatsBooked and e.voucher is not None:
        lines = lines_of(e)
        paid = total_of(lines)
        b["vouchers"].add((e.originator_id, e.voucher), {
            "redeemed": seats_using(e.lines), "bookings": 1, "revenue": paid,
            "discounts": list_total_of(lines) - paid})
    if isinstance(e, Event.Created):
        b["event_stats"].insert({
            "event_id": e.originator_id, "currency": e.currency, "bookings_confirmed": 0,
            "bookings_cancelled": 0, "tickets_sold": 0, "revenue": Decimal(0),
            "refunds": Decimal(0)})
        return
    found = increments(e)
    if found is not None:
        totals, day = found
        b["event_stats"].add((e.originator_id,), totals)
        # The library stamps events in UTC: the day a booking counts for.
        b["sales_daily"].upsert_add((e.originator_id, e.timestamp.date()), day)


def _tax_totals(b: Batch, e: Any) -> None:
    """A booking's seats, or a cancellation's, per tax rule and rate."""
    if isinstance(e, Event.SeatsBooked):
        prefix, lines = "", lines_of(e)
    elif isinstance(e, Event.BookingCancelled | Event.TicketsCancelled):
        prefix = "refunded_"
        # One category at one price records no lines: its refund says the money, untaxed.
        lines = lines_of(e) if e.lines else [
            {"category": e.category, "quantity": 1, "unit_price": e.refund}]
    else:
        return
    for row in tax_summary(lines):
        # The library stamps events in UTC: the day a sale or a refund counts for.
        key = (e.originator_id, e.timestamp.date(), row["name"] or "", rate_key(row["rate"]))
        b["tax_totals"].upsert_add(key, {prefix + k: row[k] for k in ("net", "tax", "gross")})


def rate_key(rate: Decimal) -> str:
    """A rate as its rows are keyed: the same rate written one way, "20" for 20.000."""
    return format(rate.normalize(), "f")


def increments(e: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """What a booking or cancellation adds to its event's totals and to its day's row."""
    if isinstance(e, Event.SeatsBooked):
        amount = total_of(lines_of(e))  # each line at its price
        return ({"bookings_confirmed": 1, "tickets_sold": e.quantity, "revenue": amount},
                {"bookings": 1, "tickets": e.quantity, "revenue": amount})
    if isinstance(e, Event.BookingCancelled):
        return ({"bookings_confirmed": -1, "bookings_cancelled": 1,
                 "tickets_sold": -e.quantity, "refunds": e.refund}, {"refunds": e.refund})
    if isinstance(e, Event.TicketsCancelled):  # the booking stays confirmed with the rest
        return ({"tickets_sold": -e.quantity, "refunds": e.refund}, {"refunds": e.refund})
    return None


MODEL = ReadModel(
    "revenue", (table_of(EventStatsRow), table_of(SalesDailyRow), table_of(VoucherRow),
                table_of(TaxTotalRow)), fold,
    frozenset({Event.Created, Event.SeatsBooked, Event.BookingCancelled,
               Event.TicketsCancelled, Event.VouchersCreated, Event.VoucherDisabled}),
    by_event=True)
