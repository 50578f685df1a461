"""Seats left per event and category, for the live (SSE) streams: one short read."""

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from commands.domain.seats import seats_on_sale
from projections.availability import EventCategoryRow, EventRow
from projections.tracking import ProjectionTracking
from query_api.reads.events import reserved_seats, walk_up_seats

CHUNK = 500  # ids per IN (...) list


def availability(session: Session, event_ids: Iterable[UUID]) -> dict[UUID, dict[str, Any]]:
    """Each published event's status, seats left and categories (unknown ids are left out,
    and drafts: a draft is its organizers' alone, and nothing can be booked in it; so are
    hidden categories, on sale only with a voucher, and their seats)."""
    ids = list(event_ids)
    found: dict[UUID, dict[str, Any]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        rows = session.execute(
            select(EventRow.id, EventRow.status, EventRow.total_seats, EventRow.available_seats)
            .where(EventRow.id.in_(chunk), EventRow.published.is_(True))
        )
        kept = reserved_seats(session, chunk)
        for event_id, status, total, available in rows:
            found[event_id] = {"event_id": str(event_id), "status": status, "total_seats": total,
                               "available_seats": available, "categories": []}
        cats = session.execute(
            select(EventCategoryRow.event_id, EventCategoryRow.name, EventCategoryRow.capacity,
                   EventCategoryRow.sold, EventCategoryRow.held,
                   EventCategoryRow.waitlisted, EventCategoryRow.hidden)
            .where(EventCategoryRow.event_id.in_(chunk))
            .order_by(EventCategoryRow.event_id, EventCategoryRow.ordinal)
        )
        for event_id, name, capacity, sold, held, waitlisted, hidden in cats:
            if hidden and event_id in found:
                found[event_id]["hidden"] = True
            elif event_id in found:
                found[event_id]["categories"].append(
                    {"name": name, "capacity": capacity, "sold": sold, "held": held,
                     "waitlisted": waitlisted, "waiting": waitlisted,  # deprecated alias
                     "available": seats_on_sale(capacity, sold, held, waitlisted,
                                                kept.get((event_id, name), 0))})
    for seats in found.values():
        if seats.pop("hidden", False):  # their seats are no walk-up buyer's
            seats["available_seats"] = sum(c["available"] for c in seats["categories"])
        else:
            seats["available_seats"] = walk_up_seats(seats["available_seats"],
                                                      seats["categories"])
    return found


def position(session: Session) -> int:
    """How far the availability projection has applied the log."""
    reached = session.scalar(
        select(ProjectionTracking.position).where(ProjectionTracking.name == "availability")
    )
    return int(reached or 0)
