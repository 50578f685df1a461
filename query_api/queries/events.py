"""Events with availability per category: one query per page of events, one for categories."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from projections.availability import EventCategoryRow, EventRow
from query_api import pagination

EVENT_FIELDS = (
    "id",
    "name",
    "description",
    "venue",
    "starts_at",
    "ends_at",
    "currency",
    "status",
    "total_seats",
    "available_seats",
    "max_tickets_per_user",
    "created_at",
)


@dataclass(frozen=True)
class EventFilter:
    q: str | None = None
    starts_after: datetime | None = None
    starts_before: datetime | None = None
    status: str | None = None

    def apply(self, query: Select[tuple[EventRow]]) -> Select[tuple[EventRow]]:
        if self.q:
            needle = self.q.lower()
            query = query.where(
                or_(
                    func.lower(EventRow.name).contains(needle, autoescape=True),
                    func.lower(EventRow.venue).contains(needle, autoescape=True),
                )
            )
        if self.starts_after is not None:
            query = query.where(EventRow.starts_at >= self.starts_after)
        if self.starts_before is not None:
            query = query.where(EventRow.starts_at <= self.starts_before)
        if self.status is not None:
            query = query.where(EventRow.status == self.status)
        return query


def event_page(
    session: Session, where: EventFilter, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """A page ordered by (starts_at, id) and the cursor of the next one."""
    query = where.apply(select(EventRow)).order_by(EventRow.starts_at, EventRow.id)
    if cursor is not None:
        when, key = pagination.decode_time_id(cursor)
        query = query.where(
            or_(EventRow.starts_at > when, and_(EventRow.starts_at == when, EventRow.id > key))
        )
    rows = list(session.scalars(query.limit(limit + 1)))
    page = rows[:limit]
    more = len(rows) > limit
    next_cursor = pagination.encode(page[-1].starts_at, page[-1].id) if more else None
    return _with_categories(session, page), next_cursor


def event_detail(session: Session, event_id: UUID) -> dict[str, Any] | None:
    row = session.get(EventRow, event_id)
    return _with_categories(session, [row])[0] if row else None


def _with_categories(session: Session, rows: Sequence[EventRow]) -> list[dict[str, Any]]:
    if not rows:
        return []
    cats = session.scalars(
        select(EventCategoryRow)
        .where(EventCategoryRow.event_id.in_([r.id for r in rows]))
        .order_by(EventCategoryRow.event_id, EventCategoryRow.ordinal)
    )
    by_event: dict[UUID, list[dict[str, Any]]] = {r.id: [] for r in rows}
    for c in cats:
        by_event[c.event_id].append(
            {
                "name": c.name,
                "price": c.price,
                "capacity": c.capacity,
                "sold": c.sold,
                "available": c.capacity - c.sold,
            }
        )
    return [{f: getattr(r, f) for f in EVENT_FIELDS} | {"categories": by_event[r.id]} for r in rows]
