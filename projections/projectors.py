"""The three projectors: pure functions from one domain event (and its position) to DML.

No reads and no session here: counters change by increments (`col = col + n`) and values
that depend on current rows are SQL expressions, so a batch is just statements in order.
Each takes the tables to write (`t`, by live name): the live ones, or a rebuild's copies.
"""

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Executable, Table, Update, exists, func, insert, literal, select, update
from sqlalchemy.types import Date, Uuid

from commands.aggregate import (
    CANCELLED,
    COMPLETED,
    TICKET_CANCELLED,
    Event,
)
from projections import rows
from projections.tables import (
    BookingRow,
    EventCategoryRow,
    EventRow,
    EventStatsRow,
    SalesDailyRow,
    TicketRow,
)

Projector = Callable[[Any, int], list[Executable]]
Tables = Mapping[str, Table]  # live table name -> the table to write


def table_of(model: type) -> Table:
    """A mapped class's Table (typed as such for the DML constructors)."""
    table: Table = model.__table__  # type: ignore[attr-defined]  # mapped classes have one
    return table


events, categories = table_of(EventRow), table_of(EventCategoryRow)
bookings, tickets = table_of(BookingRow), table_of(TicketRow)
stats, daily = table_of(EventStatsRow), table_of(SalesDailyRow)
LIVE: Tables = {t.name: t for t in (events, categories, bookings, tickets, stats, daily)}


# ----- availability --------------------------------------------------------------------------


def availability(e: Any, position: int, t: Tables = LIVE) -> list[Executable]:
    """Events with seat totals, and their categories with seats sold."""
    ev = t["events"]
    if isinstance(e, Event.Created):
        return [insert(ev).values(rows.event_row(e, position)),
                insert(t["event_categories"]).values(rows.category_rows(e))]
    handler = _AVAILABILITY.get(type(e))
    if handler is None:
        return []
    row = update(ev).where(ev.c.id == e.originator_id).values(rows.stamp(e, position))
    return handler(e, row, t)


def category_statements(e: Any, t: Tables = LIVE) -> list[Executable]:
    """A category added or changed, without the event row's stamp (folds set it apart)."""
    ev = t["events"]
    return _AVAILABILITY[type(e)](e, update(ev).where(ev.c.id == e.originator_id), t)


def _category_added(e: Any, row: Update, t: Tables) -> list[Executable]:
    cats = t["event_categories"]
    this = cats.c.event_id == e.originator_id
    ordinal = select(func.coalesce(func.max(cats.c.ordinal) + 1, 0)).where(this)
    added = select(literal(e.originator_id, Uuid()), literal(e.name), ordinal.scalar_subquery(),
                   literal(e.price, cats.c.price.type), literal(e.capacity), literal(0))
    cols = ["event_id", "name", "ordinal", "price", "capacity", "sold"]
    return [_seats(row, t, e.capacity, e.capacity), insert(cats).from_select(cols, added)]


def _category_changed(e: Any, row: Update, t: Tables) -> list[Executable]:
    cats = t["event_categories"]
    this = (cats.c.event_id == e.originator_id) & (cats.c.name == e.name)
    delta = e.capacity - select(cats.c.capacity).where(this).scalar_subquery()
    return [_seats(row, t, delta, delta),  # before the category row changes: reads its old capacity
            update(cats).where(this).values(price=e.price, capacity=e.capacity)]


def _sold(e: Any, row: Update, t: Tables) -> list[Executable]:
    n, ev, cats = rows.sold(e), t["events"], t["event_categories"]
    this = (cats.c.event_id == e.originator_id) & (cats.c.name == e.category)
    return [row.values(available_seats=ev.c.available_seats - n),
            update(cats).where(this).values(sold=cats.c.sold + n)]


def _seats(row: Update, t: Tables, total: Any, available: Any) -> Update:
    ev = t["events"]
    return row.values(total_seats=ev.c.total_seats + total,
                      available_seats=ev.c.available_seats + available)


_AVAILABILITY: dict[type, Callable[[Any, Update, Tables], list[Executable]]] = {
    Event.DetailsUpdated: lambda e, row, t: [row.values(rows.details(e))],
    Event.CategoryAdded: _category_added,
    Event.CategoryChanged: _category_changed,
    Event.SeatsBooked: _sold,
    Event.BookingCancelled: _sold,
    Event.TicketCheckedIn: lambda e, row, t: [row],
    Event.EventCancelled: lambda e, row, t: [row.values(status=CANCELLED)],
    Event.EventCompleted: lambda e, row, t: [row.values(status=COMPLETED)],
}


# ----- bookings --------------------------------------------------------------------------------


def booking_rows(e: Any, position: int, t: Tables = LIVE) -> list[Executable]:
    """Bookings with their tickets; a booking's position is that of its latest event."""
    bk, tk = t["bookings"], t["tickets"]
    if isinstance(e, Event.SeatsBooked):
        return [insert(bk).values(rows.booking_row(e, position)),
                insert(tk).values(rows.ticket_rows(e))]
    if isinstance(e, Event.BookingCancelled):
        return [
            update(bk).where(bk.c.id == e.booking_id).values(rows.cancelled(e, position)),
            update(tk).where(tk.c.booking_id == e.booking_id).values(status=TICKET_CANCELLED),
        ]
    if isinstance(e, Event.TicketCheckedIn):
        return [
            update(tk).where(tk.c.code == e.code).values(rows.checked_in(e)),
            update(bk).where(bk.c.id == e.booking_id).values(position=position),
        ]
    return []


# ----- revenue ---------------------------------------------------------------------------------


def revenue(e: Any, position: int, t: Tables = LIVE) -> list[Executable]:
    """Per-event totals, and per UTC day: bookings, tickets and revenue made, refunds paid."""
    st = t["event_stats"]
    if isinstance(e, Event.Created):
        return [insert(st).values(rows.stats_row(e))]
    found = rows.stat_increments(e)
    if found is None:
        return []
    totals, day = found
    row = update(st).where(st.c.event_id == e.originator_id)
    return [row.values({k: st.c[k] + literal(v, st.c[k].type) for k, v in totals.items()}),
            *_daily(e, t["sales_daily"], day)]


def _daily(e: Any, daily: Table, increments: dict[str, Any]) -> list[Executable]:
    """Insert the day's row if missing, then add to it (portable: no dialect upsert)."""
    day = rows.day_of(e)
    key = (daily.c.event_id == e.originator_id) & (daily.c.day == day)
    missing = select(literal(e.originator_id, Uuid()), literal(day, Date()),
                     literal(0), literal(0), literal(0), literal(0)).where(~exists().where(key))
    cols = ["event_id", "day", "bookings", "tickets", "revenue", "refunds"]
    added = {k: daily.c[k] + literal(v, daily.c[k].type) for k, v in increments.items()}
    return [insert(daily).from_select(cols, missing), update(daily).where(key).values(added)]
