"""The three projectors: pure functions from one domain event (and its position) to DML.

No reads and no session here: counters change by increments (`col = col + n`) and values
that depend on current rows are SQL expressions, so a batch is just statements in order.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Executable, Table, Update, exists, func, insert, literal, select, update
from sqlalchemy.types import Date, Uuid

from commands.aggregate import (
    ACTIVE,
    CANCELLED,
    COMPLETED,
    CONFIRMED,
    DETAIL_FIELDS,
    TICKET_ACTIVE,
    TICKET_CANCELLED,
    TICKET_USED,
    Event,
)
from projections.tables import (
    BookingRow,
    EventCategoryRow,
    EventRow,
    EventStatsRow,
    SalesDailyRow,
    TicketRow,
)

Projector = Callable[[Any, int], list[Executable]]


def table_of(model: type) -> Table:
    """A mapped class's Table (typed as such for the DML constructors)."""
    table: Table = model.__table__  # type: ignore[attr-defined]  # mapped classes have one
    return table


events, categories = table_of(EventRow), table_of(EventCategoryRow)
bookings, tickets = table_of(BookingRow), table_of(TicketRow)
stats, daily = table_of(EventStatsRow), table_of(SalesDailyRow)


# ----- availability --------------------------------------------------------------------------


def availability(e: Any, position: int) -> list[Executable]:
    """Events with seat totals, and their categories with seats sold."""
    if isinstance(e, Event.Created):
        return _event_created(e, position)
    handler = _AVAILABILITY.get(type(e))
    if handler is None:
        return []
    stamp = {"version": e.originator_version, "position": position, "updated_at": e.timestamp}
    return handler(e, update(events).where(events.c.id == e.originator_id).values(stamp))


def _details_updated(e: Any, row: Update) -> list[Executable]:
    return [row.values({k: v for k, v in e.changes.items() if k in DETAIL_FIELDS})]


def _category_added(e: Any, row: Update) -> list[Executable]:
    this = categories.c.event_id == e.originator_id
    ordinal = select(func.coalesce(func.max(categories.c.ordinal) + 1, 0)).where(this)
    added = select(literal(e.originator_id, Uuid()), literal(e.name), ordinal.scalar_subquery(),
                   literal(e.price, categories.c.price.type), literal(e.capacity), literal(0))
    cols = ["event_id", "name", "ordinal", "price", "capacity", "sold"]
    return [_seats(row, e.capacity, e.capacity), insert(categories).from_select(cols, added)]


def _category_changed(e: Any, row: Update) -> list[Executable]:
    this = (categories.c.event_id == e.originator_id) & (categories.c.name == e.name)
    delta = e.capacity - select(categories.c.capacity).where(this).scalar_subquery()
    return [_seats(row, delta, delta),  # before the category row changes: reads its old capacity
            update(categories).where(this).values(price=e.price, capacity=e.capacity)]


def _sold(e: Any, row: Update) -> list[Executable]:
    n = e.quantity if isinstance(e, Event.SeatsBooked) else -e.quantity
    this = (categories.c.event_id == e.originator_id) & (categories.c.name == e.category)
    return [row.values(available_seats=events.c.available_seats - n),
            update(categories).where(this).values(sold=categories.c.sold + n)]


def _seats(row: Update, total: Any, available: Any) -> Update:
    return row.values(total_seats=events.c.total_seats + total,
                      available_seats=events.c.available_seats + available)


_AVAILABILITY: dict[type, Callable[[Any, Update], list[Executable]]] = {
    Event.DetailsUpdated: _details_updated,
    Event.CategoryAdded: _category_added,
    Event.CategoryChanged: _category_changed,
    Event.SeatsBooked: _sold,
    Event.BookingCancelled: _sold,
    Event.TicketCheckedIn: lambda e, row: [row],
    Event.EventCancelled: lambda e, row: [row.values(status=CANCELLED)],
    Event.EventCompleted: lambda e, row: [row.values(status=COMPLETED)],
}


def _event_created(e: Any, position: int) -> list[Executable]:
    total = sum(int(c["capacity"]) for c in e.categories)
    row = {
        "id": e.originator_id, "name": e.name, "description": e.description, "venue": e.venue,
        "starts_at": e.starts_at, "ends_at": e.ends_at, "currency": e.currency,
        "status": ACTIVE, "max_tickets_per_user": e.max_tickets_per_user,
        "total_seats": total, "available_seats": total,
        "created_at": e.timestamp,  # what the write side shows as the event's `created_on`
        "updated_at": e.timestamp, "version": e.originator_version, "position": position,
    }
    cats = [{"event_id": e.originator_id, "name": c["name"], "ordinal": i,
             "price": Decimal(c["price"]), "capacity": int(c["capacity"]), "sold": 0}
            for i, c in enumerate(e.categories)]
    return [insert(events).values(row), insert(categories).values(cats)]


# ----- bookings --------------------------------------------------------------------------------


def booking_rows(e: Any, position: int) -> list[Executable]:
    """Bookings with their tickets; a booking's position is that of its latest event."""
    if isinstance(e, Event.SeatsBooked):
        return _seats_booked(e, position)
    if isinstance(e, Event.BookingCancelled):
        return [
            update(bookings).where(bookings.c.id == e.booking_id)
            .values(status=CANCELLED, cancelled_at=e.cancelled_at, position=position),
            update(tickets).where(tickets.c.booking_id == e.booking_id)
            .values(status=TICKET_CANCELLED),
        ]
    if isinstance(e, Event.TicketCheckedIn):
        return [
            update(tickets).where(tickets.c.code == e.code)
            .values(status=TICKET_USED, used_at=e.checked_in_at),
            update(bookings).where(bookings.c.id == e.booking_id).values(position=position),
        ]
    return []


def _seats_booked(e: Any, position: int) -> list[Executable]:
    booking = {
        "id": e.booking_id, "event_id": e.originator_id, "user_id": UUID(e.user_id),
        "user_name": e.user_name, "category": e.category, "quantity": e.quantity,
        "unit_price": e.unit_price, "total_amount": e.unit_price * e.quantity,
        "status": CONFIRMED, "created_at": e.booked_at, "cancelled_at": None,
        "position": position,
    }
    rows = [{"code": code, "booking_id": e.booking_id, "event_id": e.originator_id,
             "ordinal": i, "status": TICKET_ACTIVE, "used_at": None}
            for i, code in enumerate(e.ticket_codes)]
    return [insert(bookings).values(booking), insert(tickets).values(rows)]


# ----- revenue ---------------------------------------------------------------------------------


def revenue(e: Any, position: int) -> list[Executable]:
    """Per-event totals, and per UTC day: bookings, tickets and revenue made, refunds paid."""
    if isinstance(e, Event.Created):
        return [insert(stats).values(event_id=e.originator_id, bookings_confirmed=0,
                                     bookings_cancelled=0, tickets_sold=0,
                                     revenue=Decimal(0), refunds=Decimal(0))]
    row = update(stats).where(stats.c.event_id == e.originator_id)
    if isinstance(e, Event.SeatsBooked):
        amount = e.unit_price * e.quantity
        c = stats.c
        return [row.values(bookings_confirmed=c.bookings_confirmed + 1,
                           tickets_sold=c.tickets_sold + e.quantity, revenue=c.revenue + amount),
                *_daily(e, bookings=1, tickets=e.quantity, revenue=amount)]
    if isinstance(e, Event.BookingCancelled):
        c = stats.c
        return [row.values(bookings_confirmed=c.bookings_confirmed - 1,
                           bookings_cancelled=c.bookings_cancelled + 1,
                           tickets_sold=c.tickets_sold - e.quantity, refunds=c.refunds + e.refund),
                *_daily(e, refunds=e.refund)]
    return []


def _daily(e: Any, **increments: Any) -> list[Executable]:
    """Insert the day's row if missing, then add to it (portable: no dialect upsert)."""
    day = e.timestamp.date()  # the library stamps events in UTC
    key = (daily.c.event_id == e.originator_id) & (daily.c.day == day)
    missing = select(literal(e.originator_id, Uuid()), literal(day, Date()),
                     literal(0), literal(0), literal(0), literal(0)).where(~exists().where(key))
    cols = ["event_id", "day", "bookings", "tickets", "revenue", "refunds"]
    added = {k: daily.c[k] + literal(v, daily.c[k].type) for k, v in increments.items()}
    return [insert(daily).from_select(cols, missing), update(daily).where(key).values(added)]
