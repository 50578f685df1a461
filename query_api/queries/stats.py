"""Revenue and sales per event, in total, and per day."""

from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from projections.availability import EventRow
from projections.revenue import EventStatsRow, SalesDailyRow

ZERO = Decimal(0)
COUNTS = ("bookings", "bookings_cancelled", "tickets_sold")


def stats(session: Session, event_id: UUID | None = None) -> dict[str, Any]:
    """Per event (ordered by start), totals over them, and sales over time."""
    s = EventStatsRow
    query = (
        select(
            EventRow.id,
            EventRow.name,
            EventRow.status,
            s.bookings_confirmed,
            s.bookings_cancelled,
            s.tickets_sold,
            s.revenue,
            s.refunds,
        )
        .outerjoin(s, s.event_id == EventRow.id)
        .order_by(EventRow.starts_at, EventRow.id)
    )
    if event_id is not None:
        query = query.where(EventRow.id == event_id)
    events = [
        {
            "id": r.id,
            "name": r.name,
            "status": r.status,
            "bookings": r.bookings_confirmed or 0,
            "bookings_cancelled": r.bookings_cancelled or 0,
            "tickets_sold": r.tickets_sold or 0,
            "revenue": r.revenue or ZERO,
            "refunds": r.refunds or ZERO,
            "net": (r.revenue or ZERO) - (r.refunds or ZERO),
        }
        for r in session.execute(query)
    ]
    totals: dict[str, Any] = {"events": len(events)}
    for key in (*COUNTS, "revenue", "refunds", "net"):
        totals[key] = sum((e[key] for e in events), ZERO if key not in COUNTS else 0)
    return {"events": events, "totals": totals, "sales_over_time": sales(session, event_id)}


def sales(session: Session, event_id: UUID | None) -> list[dict[str, Any]]:
    d = SalesDailyRow
    query = (
        select(
            d.day,
            func.sum(d.bookings).label("bookings"),
            func.sum(d.tickets).label("tickets"),
            func.sum(d.revenue).label("revenue"),
            func.sum(d.refunds).label("refunds"),
        )
        .group_by(d.day)
        .order_by(d.day)
    )
    if event_id is not None:
        query = query.where(d.event_id == event_id)
    return [
        {
            "day": r.day,
            "bookings": int(r.bookings),
            "tickets": int(r.tickets),
            "revenue": r.revenue,
            "refunds": r.refunds,
        }  # sum() keeps the Money type
        for r in session.execute(query)
    ]
