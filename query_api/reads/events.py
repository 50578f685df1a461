"""Events with availability per category: one query per page of events, one for categories,
one for co-organizers (by default only what is on sale: `on_sale_by_default`); the events an
organizer runs as projected (candidates only: whether they still run one is the write side's to
say, `commands.application.organizers`); an organizer's invitations."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from commands.domain.events import ACTIVE
from commands.domain.seats import seats_on_sale
from projections.availability import (
    EventCategoryRow,
    EventInvitationRow,
    EventOrganizerRow,
    EventRow,
    VoucherReserveRow,
)
from projections.revenue import VoucherRow
from query_api.reads import pagination
from query_api.reads.children import children_of

ALL = "all"  # the status filter that keeps every status
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
    "hold_seconds",
    "timezone",
    "translations",
    "published",
    "publish_at",
    "payment_methods",
    "taxes",
    "created_at",
    "organizer_id",
    "organizer_name",
)


@dataclass(frozen=True)
class EventFilter:
    """What a list holds. `on_sale_at`: only events on sale then (active, not started), what
    the list holds by default; `status` None or ALL: any status."""

    q: str | None = None
    starts_after: datetime | None = None
    starts_before: datetime | None = None
    status: str | None = None
    organizer: UUID | None = None
    on_sale_at: datetime | None = None
    drafts: bool = False  # drafts too: for an admin, or their organizer asking for theirs

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
        if self.status not in (None, ALL):
            query = query.where(EventRow.status == self.status)
        if self.organizer is not None:
            query = query.where(EventRow.organizer_id == self.organizer)
        if not self.drafts:
            query = query.where(EventRow.published.is_(True))
        if self.on_sale_at is not None:  # the (status, starts_at, id) index serves it
            query = query.where(EventRow.status == ACTIVE, EventRow.starts_at > self.on_sale_at)
        return query


def on_sale_by_default(where: EventFilter, now: datetime) -> EventFilter:
    """The list as asked: with no status and no date asked, what is on sale `now`; any of
    them reaches every date."""
    if where.status is None and where.starts_after is None and where.starts_before is None:
        return replace(where, on_sale_at=now)
    return where


def event_page(
    session: Session, where: EventFilter, limit: int, cursor: str | None,
    viewer: "Viewer | None" = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """A page ordered by (starts_at, id) and the cursor of the next one; hidden categories
    only for a `viewer` who runs their event."""
    page, next_cursor = pagination.rows_by_time(
        session, where.apply(select(EventRow)), EventRow.starts_at, EventRow.id, limit=limit,
        cursor=cursor, newest_first=False)
    return _with_categories(session, page, viewer), next_cursor


def event_detail(session: Session, event_id: UUID, viewer: "Viewer | None" = None,
                 voucher: str | None = None) -> dict[str, Any] | None:
    """One event; a draft only for a `viewer` who may see it (None: as for anyone); its hidden
    categories for a `viewer` who runs it, or those an enabled `voucher` of it names."""
    row = session.get(EventRow, event_id)
    if row is None or not (row.published or (viewer is not None and viewer.sees_draft(
            session, row))):
        return None
    unlocked = {row.id: _unlocked_by(session, row.id, voucher)} if voucher else {}
    return _with_categories(session, [row], viewer, unlocked)[0]


def _unlocked_by(session: Session, event_id: UUID, voucher: str) -> set[str]:
    """The categories an enabled voucher of the event names (a code in any case)."""
    found = session.get(VoucherRow, (event_id, voucher.strip().upper()))
    return set() if found is None or found.disabled else set(found.categories or ())


@dataclass(frozen=True)
class Viewer:
    """Who reads events, as far as drafts go: an admin sees every draft; an organizer those
    they run, as projected (whether they still run one is the write side's to say for any
    change; a projection's lag here only delays seeing a draft)."""

    user_id: UUID
    admin: bool

    def sees_draft(self, session: Session, row: EventRow) -> bool:
        if self.admin or row.organizer_id == self.user_id:
            return True
        co = select(EventOrganizerRow.user_id).where(EventOrganizerRow.event_id == row.id,
                                                     EventOrganizerRow.user_id == self.user_id)
        return session.execute(co).first() is not None

    def sees_drafts_of(self, organizer: UUID | None) -> bool:
        """Whether a list of `organizer`'s events (None: anyone's) shows drafts."""
        return self.admin or (organizer is not None and organizer == self.user_id)


def _with_categories(session: Session, rows: Sequence[EventRow], viewer: "Viewer | None" = None,
                     unlocked: dict[UUID, set[str]] | None = None) -> list[dict[str, Any]]:
    """The rows with their categories: a hidden one only for a `viewer` who runs its event, or
    when `unlocked` names it; the seats on sale those shown have."""
    ids = [r.id for r in rows]
    by_event = categories_of(session, ids)
    co = children_of(session, EventOrganizerRow.event_id, EventOrganizerRow.name, ids,
                     lambda o: {"id": o.user_id, "name": o.name})
    shown = {r.id: _shown(session, r, by_event[r.id], viewer, (unlocked or {}).get(r.id, set()))
             for r in rows}
    return [{f: getattr(r, f) for f in EVENT_FIELDS}
            | {"categories": shown[r.id], "co_organizers": co[r.id],
               "available_seats": walk_up_seats(r.available_seats, shown[r.id])
               if len(shown[r.id]) == len(by_event[r.id]) else
               sum(c["available"] for c in shown[r.id])}
            for r in rows]


def categories_of(session: Session, ids: list[UUID]) -> dict[UUID, list[dict[str, Any]]]:
    """Each event's categories in their order, with the seats its vouchers reserve: one query
    for a page of events."""
    found: dict[UUID, list[dict[str, Any]]] = {event_id: [] for event_id in ids}
    if not ids:
        return found
    kept = _reserved_by_category(ids).subquery()
    c = EventCategoryRow
    query = (select(c, func.coalesce(kept.c.left, 0))
             .outerjoin(kept, and_(kept.c.event_id == c.event_id, kept.c.category == c.name))
             .where(c.event_id.in_(ids)).order_by(c.event_id, c.ordinal))
    for row, reserved in session.execute(query):
        found[row.event_id].append({
            "name": row.name, "price": row.price, "capacity": row.capacity, "sold": row.sold,
            "held": row.held, "waitlisted": row.waitlisted, "hidden": row.hidden,
            "reserved": int(reserved),
            "available": seats_on_sale(row.capacity, row.sold, row.held, row.waitlisted,
                                       int(reserved))})
    return found


def _reserved_by_category(event_ids: list[UUID]) -> Select[tuple[UUID, str, int]]:
    """Per event and category, the seats its vouchers keep off general sale now (`left`)."""
    r = VoucherReserveRow
    return (select(r.event_id, r.category, func.sum(r.left).label("left"))
            .where(r.event_id.in_(event_ids)).group_by(r.event_id, r.category))


def reserved_seats(session: Session, event_ids: list[UUID]) -> dict[tuple[UUID, str], int]:
    """Per event and category, the seats its vouchers keep off general sale now."""
    if not event_ids:
        return {}
    return {(event_id, name): int(left or 0)
            for event_id, name, left in session.execute(_reserved_by_category(event_ids))}


def _shown(session: Session, row: EventRow, categories: list[dict[str, Any]],
           viewer: "Viewer | None", unlocked: set[str]) -> list[dict[str, Any]]:
    """The categories a reader sees: every one for those who run the event (its drafts'
    readers), else those not hidden and those a voucher given unlocks."""
    if not any(c["hidden"] for c in categories):
        return categories
    if viewer is not None and viewer.sees_draft(session, row):
        return categories
    return [c for c in categories if not c["hidden"] or c["name"] in unlocked]


def walk_up_seats(free: int, categories: list[dict[str, Any]]) -> int:
    """An event's seats on sale to anyone: its categories' `available`, which leave out seats
    owed to a waitlist (`free`, the events table's count, does not, until they are
    offered)."""
    return sum(c["available"] for c in categories) if categories else free


def managed_by(user_id: UUID) -> Select[tuple[UUID]]:
    """The ids of the events the user organizes or co-organizes, as projected: a projection
    lags, so what it says decides no right (`Ledger.run_by` does)."""
    co = select(EventOrganizerRow.event_id).where(EventOrganizerRow.user_id == user_id)
    return select(EventRow.id).where(or_(EventRow.organizer_id == user_id, EventRow.id.in_(co)))


def invitations_of(session: Session, user_id: UUID, limit: int,
                   cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """The invitations to co-organize awaiting the user's answer, oldest first."""
    i = EventInvitationRow
    query = (select(i.event_id, EventRow.name.label("event_name"), EventRow.starts_at,
                    EventRow.organizer_id, EventRow.organizer_name, i.invited_by, i.invited_at)
             .join(EventRow, EventRow.id == i.event_id).where(i.user_id == user_id)
             .order_by(i.invited_at, i.event_id))
    if cursor is not None:
        when, key = pagination.decode_time_id(cursor)
        query = query.where(or_(i.invited_at > when, and_(i.invited_at == when, i.event_id > key)))
    rows = [dict(r._mapping) for r in session.execute(query.limit(limit + 1))]
    return pagination.split_page(rows, limit, lambda row: (row["invited_at"], row["event_id"]))
