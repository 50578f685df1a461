"""An event's box office: seats per category (sold, held, waited for, free), its money, and its
check-ins over time, as the organizer at the door follows them."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commands.domain.details import EARLIEST_EVENT_TIME, LATEST_EVENT_TIME
from commands.domain.events import TICKET_CANCELLED, TICKET_USED
from commands.domain.seats import free_seats
from projections.availability import EventCategoryRow, EventRow
from projections.bookings import TicketRow
from query_api.reads.revenue import Scope, tax_totals
from query_api.reads.stats import event_figures

CHECK_IN_BUCKET = timedelta(minutes=15)  # a door's pace reads well in quarter hours


def box_office(session: Session, event_id: UUID) -> dict[str, Any] | None:
    """The event's box office; None for an event the read tables do not know."""
    event = session.get(EventRow, event_id)
    if event is None:
        return None
    categories = [
        {"name": c.name, "price": c.price, "capacity": c.capacity, "sold": c.sold,
         "held": c.held, "waitlisted": c.waitlisted,
         "free": max(0, free_seats(c.capacity, c.sold, c.held))}
        for c in session.scalars(select(EventCategoryRow)
                                 .where(EventCategoryRow.event_id == event_id)
                                 .order_by(EventCategoryRow.ordinal))
    ]
    figures = event_figures(session, event_id=event_id)
    money = figures[0] if figures else None
    return {"event_id": event.id, "name": event.name, "status": event.status,
            "currency": event.currency, "starts_at": event.starts_at,
            "categories": categories,
            "money": _money(money, event.currency) | {"by_rate": by_rate(session, event_id)},
            "check_ins": check_ins(session, event_id)}


def by_rate(session: Session, event_id: UUID) -> list[dict[str, Any]]:
    """Per tax rule and rate, what the event's seats sold for and what was refunded (net, tax,
    gross); seats of no rule last, under the name None."""
    return tax_totals(session, Scope(EARLIEST_EVENT_TIME, LATEST_EVENT_TIME, event_id=event_id),
                      by_currency=False)


def _money(found: dict[str, Any] | None, currency: str) -> dict[str, Any]:
    keys = ("revenue", "refunds", "net", "collected", "returned", "collected_net")
    figures = {k: found[k] for k in keys} if found else dict.fromkeys(keys, 0)
    return {"currency": currency, "bookings": found["bookings"] if found else 0,
            "tickets_sold": found["tickets_sold"] if found else 0} | figures


def check_ins(session: Session, event_id: UUID) -> dict[str, Any]:
    """How many of the live tickets were checked in, and when, per quarter hour (UTC)."""
    counts: dict[str, int] = {status: n for status, n in session.execute(
        select(TicketRow.status, func.count()).where(TicketRow.event_id == event_id)
        .group_by(TicketRow.status))}
    used_at = session.scalars(select(TicketRow.used_at).where(
        TicketRow.event_id == event_id, TicketRow.status == TICKET_USED,
        TicketRow.used_at.is_not(None)))
    buckets: dict[datetime, int] = {}
    for at in used_at:
        if at is None:
            continue
        start = _bucket(at)
        buckets[start] = buckets.get(start, 0) + 1
    live = sum(n for status, n in counts.items() if status != TICKET_CANCELLED)
    return {"checked_in": counts.get(TICKET_USED, 0), "tickets": live,
            "series": [{"at": at, "count": buckets[at]} for at in sorted(buckets)]}


def _bucket(at: datetime) -> datetime:
    at = at.astimezone(UTC)
    seconds = int(CHECK_IN_BUCKET.total_seconds())
    return datetime.fromtimestamp(int(at.timestamp()) // seconds * seconds, UTC)
