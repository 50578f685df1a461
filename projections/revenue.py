"""Read model "revenue": per event, and per event and UTC day, the bookings, tickets and
revenue made and the refunds paid.

Read by `query_api/reads/stats.py` (the admin dashboard's totals and sales over time).
"""

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from commands.domain.event import Event
from commands.domain.lines import lines_of, total_of
from core.models import Base, Money
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


def fold(b: Batch, e: Any, position: int) -> None:
    """One domain event into the batch's `event_stats` and `sales_daily` changes."""
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
    "revenue", (table_of(EventStatsRow), table_of(SalesDailyRow)), fold,
    frozenset({Event.Created, Event.SeatsBooked, Event.BookingCancelled,
               Event.TicketsCancelled}), by_event=True)
