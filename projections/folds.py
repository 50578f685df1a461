"""Batch folds: the projectors' row changes, accumulated in a `Batch` instead of executed.

Each fold must leave the tables exactly as its projector would (tests compare both). What
depends on rows the batch may not hold (a new category's ordinal, a capacity's old value)
runs the projector's own statements on the batch's tables.
"""

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Executable

from commands.aggregate import CANCELLED, COMPLETED, TICKET_CANCELLED, Event
from projections import projectors, rows
from projections.batch import TableChanges
from projections.projectors import Tables


class Batch:
    """One projection's pending changes, in segments written in order by `flush`."""

    # Folding touches no database, so a batch can be folded before its transaction begins.
    # A segment writes its inserts, then its statements, then its updates.

    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        self.segments: list[tuple[dict[str, TableChanges], list[Executable]]] = []
        self.seal()

    def __getitem__(self, live_name: str) -> TableChanges:
        return self.changes[live_name]

    def seal(self) -> None:
        """Later changes are written after everything before this point."""
        self.changes = {name: TableChanges(t, INDEXED.get(name, ()))
                        for name, t in self.tables.items()}
        self.statements: list[Executable] = []
        self.segments.append((self.changes, self.statements))

    def run(self, statements: list[Executable]) -> None:
        """Queue statements: they run after this segment's inserts, before its updates."""
        # So they may read rows inserted before them, and only add to counters that pending
        # updates also touch (additions commute); what must follow them calls `seal` first.
        self.statements.extend(statements)

    def flush(self, connection: Connection) -> None:
        for changes, statements in self.segments:
            for table in changes.values():
                table.flush_inserts(connection)
            for statement in statements:
                connection.execute(statement)
            for table in changes.values():
                table.flush_updates(connection)
        self.segments = []
        self.seal()


Fold = Callable[[Batch, Any, int], None]
# A cancellation sets every ticket of its booking: looked up by booking_id, in memory and in SQL.
INDEXED: dict[str, tuple[str, ...]] = {"tickets": ("booking_id",)}
_STAMPED = {Event.DetailsUpdated, Event.SeatsBooked, Event.BookingCancelled,
            Event.TicketCheckedIn, Event.EventCancelled, Event.EventCompleted}
_STATUS = {Event.EventCancelled: CANCELLED, Event.EventCompleted: COMPLETED}


def availability(b: Batch, e: Any, position: int) -> None:
    """As `projectors.availability`."""
    events, categories = b["events"], b["event_categories"]
    kind = type(e)
    if kind is Event.Created:
        events.insert(rows.event_row(e, position))
        for row in rows.category_rows(e):
            categories.insert(row)
    elif kind in (Event.CategoryAdded, Event.CategoryChanged):
        # Seat totals move by the old capacity, read in SQL: additions, so in any order.
        b.run(projectors.category_statements(e, b.tables))
        events.set((e.originator_id,), rows.stamp(e, position))
    elif kind in _STAMPED:
        key = (e.originator_id,)
        events.set(key, rows.stamp(e, position))
        if kind is Event.SeatsBooked or kind is Event.BookingCancelled:
            n = rows.sold(e)
            events.add(key, {"available_seats": -n})
            categories.add((e.originator_id, e.category), {"sold": n})
        elif kind is Event.DetailsUpdated:
            events.set(key, rows.details(e))
        elif kind in _STATUS:
            events.set(key, {"status": _STATUS[kind]})


def booking_rows(b: Batch, e: Any, position: int) -> None:
    """As `projectors.booking_rows`."""
    bookings, tickets = b["bookings"], b["tickets"]
    if isinstance(e, Event.SeatsBooked):
        bookings.insert(rows.booking_row(e, position))
        for row in rows.ticket_rows(e):
            tickets.insert(row)
    elif isinstance(e, Event.BookingCancelled):
        bookings.set((e.booking_id,), rows.cancelled(e, position))
        tickets.set_where("booking_id", e.booking_id, {"status": TICKET_CANCELLED})
    elif isinstance(e, Event.TicketCheckedIn):
        if tickets.pending_where("booking_id", e.booking_id):
            b.seal()  # that booking-wide update happened first: write it first
        tickets.set((e.code,), rows.checked_in(e))
        bookings.set((e.booking_id,), {"position": position})


def revenue(b: Batch, e: Any, position: int) -> None:
    """As `projectors.revenue`."""
    if isinstance(e, Event.Created):
        b["event_stats"].insert(rows.stats_row(e))
        return
    found = rows.stat_increments(e)
    if found is not None:
        totals, day = found
        b["event_stats"].add((e.originator_id,), totals)
        b["sales_daily"].upsert_add((e.originator_id, rows.day_of(e)), day)


EVENT_TYPES = frozenset(_STAMPED | {Event.Created, Event.CategoryAdded, Event.CategoryChanged})
BOOKING_TYPES = frozenset({Event.SeatsBooked, Event.BookingCancelled, Event.TicketCheckedIn})
REVENUE_TYPES = frozenset({Event.Created, Event.SeatsBooked, Event.BookingCancelled})
