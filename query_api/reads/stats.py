"""Revenue and sales per event, in total, and per day: money per currency, never summed across.

Two sides of the money: the sales' (`revenue`, `refunds`, `net`: the prices of what was booked
and cancelled, from the revenue read model) and the payments' (`collected`, `returned`,
`collected_net`: what payments took and gave back, from the bookings read model's money moves).
They differ while a booking is still owed (to be paid at the door or by transfer) or a refund
is still to be given back.
"""

from collections.abc import Collection
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from projections.availability import EventRow
from projections.bookings import MoneyMoveRow
from projections.revenue import EventStatsRow, SalesDailyRow
from query_api.reads.revenue import money_moved

ZERO = Decimal(0)
COUNTS = ("bookings", "bookings_cancelled", "tickets_sold")
MONEY = ("revenue", "refunds", "net", "collected", "returned", "collected_net")


def stats(session: Session, event_id: UUID | None = None,
          scope: Collection[UUID] | None = None) -> dict[str, Any]:
    """Per event (ordered by start), totals over them, and sales over time.

    `scope` set: only those events (an organizer's, as the write side says they run them).
    """
    events = event_figures(session, event_id, scope)
    totals: dict[str, Any] = {"events": len(events)}
    for key in COUNTS:  # counts of bookings and tickets add up whatever the currency
        totals[key] = sum(e[key] for e in events)
    totals["money"] = per_currency(events)
    return {"events": events, "totals": totals,
            "sales_over_time": sales(session, event_id, scope)}


def event_figures(session: Session, event_id: UUID | None = None,
                  scope: Collection[UUID] | None = None) -> list[dict[str, Any]]:
    """Each event's counts and money (the sales' and the payments'), ordered by start."""
    s, moved = EventStatsRow, _moved(event_id, scope)
    query = (
        select(EventRow.id, EventRow.name, EventRow.status, EventRow.published, EventRow.currency,
               EventRow.organizer_id, EventRow.organizer_name, s.bookings_confirmed,
               s.bookings_cancelled, s.tickets_sold, s.revenue, s.refunds,
               moved.c.taken, moved.c.given_back)
        .outerjoin(s, s.event_id == EventRow.id)
        .outerjoin(moved, moved.c.event_id == EventRow.id)
        .order_by(EventRow.starts_at, EventRow.id)
    )
    query = _scoped(query, EventRow.id, event_id, scope)
    return [
        {
            "id": r.id, "name": r.name, "status": r.status, "published": r.published,
            "currency": r.currency,
            "organizer_id": r.organizer_id, "organizer_name": r.organizer_name,
            "bookings": r.bookings_confirmed or 0,
            "bookings_cancelled": r.bookings_cancelled or 0,
            "tickets_sold": r.tickets_sold or 0,
            "revenue": r.revenue or ZERO,
            "refunds": r.refunds or ZERO,
            "net": (r.revenue or ZERO) - (r.refunds or ZERO),
        } | money_moved(r.taken, r.given_back, r.currency)
        for r in session.execute(query)
    ]


def _moved(event_id: UUID | None, scope: Collection[UUID] | None) -> Any:
    """Per event, the minor units its payments took and gave back (only the events asked for:
    the filter sits inside the grouping, so no other event's moves are added up)."""
    m = MoneyMoveRow
    query = select(m.event_id.label("event_id"), func.sum(m.taken).label("taken"),
                   func.sum(m.given_back).label("given_back")).group_by(m.event_id)
    return _scoped(query, m.event_id, event_id, scope).subquery("moved")


def per_currency(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sales' and the payments' money of the events in each currency, by currency code."""
    found: dict[str, dict[str, Any]] = {}
    for e in events:
        row = found.setdefault(e["currency"], {"currency": e["currency"], "events": 0}
                               | dict.fromkeys(MONEY, ZERO))
        row["events"] += 1
        for key in MONEY:
            row[key] += e[key]
    return [found[c] for c in sorted(found)]


def sales(session: Session, event_id: UUID | None,
          scope: Collection[UUID] | None = None) -> list[dict[str, Any]]:
    """Per UTC day and currency: bookings, tickets, revenue and refunds."""
    d, s = SalesDailyRow, EventStatsRow
    query = (
        select(
            d.day,
            s.currency,
            func.sum(d.bookings).label("bookings"),
            func.sum(d.tickets).label("tickets"),
            func.sum(d.revenue).label("revenue"),
            func.sum(d.refunds).label("refunds"),
        )
        .join(s, s.event_id == d.event_id)
        .group_by(d.day, s.currency)
        .order_by(d.day, s.currency)
    )
    query = _scoped(query, d.event_id, event_id, scope)
    return [
        {
            "day": r.day,
            "currency": r.currency,
            "bookings": int(r.bookings),
            "tickets": int(r.tickets),
            "revenue": r.revenue,
            "refunds": r.refunds,
        }  # sum() keeps the Money type
        for r in session.execute(query)
    ]


def _scoped(query: Select[Any], column: Any, event_id: UUID | None,
            scope: Collection[UUID] | None) -> Select[Any]:
    if event_id is not None:
        query = query.where(column == event_id)
    if scope is not None:
        query = query.where(column.in_(list(scope)))
    return query
