"""Bookings with their tickets, newest first."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from projections.bookings import BookingRow, TicketRow
from query_api.reads import pagination

BOOKING_FIELDS = (
    "id",
    "event_id",
    "user_id",
    "user_name",
    "category",
    "quantity",
    "unit_price",
    "total_amount",
    "status",
    "created_at",
    "cancelled_by",
    "cancellation_reason",
    "position",
)


def booking_page(
    session: Session,
    *,
    event_id: UUID | None = None,
    user_id: UUID | None = None,
    limit: int,
    cursor: str | None,
) -> tuple[list[dict[str, Any]], str | None]:
    """One event's or one user's bookings, newest first, keyset on (created_at, id)."""
    query = select(BookingRow).order_by(BookingRow.created_at.desc(), BookingRow.id.desc())
    if event_id is not None:
        query = query.where(BookingRow.event_id == event_id)
    if user_id is not None:
        query = query.where(BookingRow.user_id == user_id)
    if cursor is not None:
        when, key = pagination.decode_time_id(cursor)
        query = query.where(
            or_(
                BookingRow.created_at < when,
                and_(BookingRow.created_at == when, BookingRow.id < key),
            )
        )
    page, next_cursor = pagination.split_page(list(session.scalars(query.limit(limit + 1))),
                                              limit, lambda row: (row.created_at, row.id))
    return _with_tickets(session, page), next_cursor


def booking_detail(session: Session, booking_id: UUID) -> dict[str, Any] | None:
    row = session.get(BookingRow, booking_id)
    return _with_tickets(session, [row])[0] if row else None


def ticket_booking(session: Session, code: str) -> tuple[UUID, UUID] | None:
    """The event and the booking a ticket belongs to, if the bookings projection has seen it."""
    row = session.execute(select(TicketRow.event_id, TicketRow.booking_id)
                          .where(TicketRow.code == code)).first()
    return None if row is None else (row.event_id, row.booking_id)


def _with_tickets(session: Session, rows: Sequence[BookingRow]) -> list[dict[str, Any]]:
    if not rows:
        return []
    tickets = session.scalars(
        select(TicketRow)
        .where(TicketRow.booking_id.in_([r.id for r in rows]))
        .order_by(TicketRow.booking_id, TicketRow.ordinal)
    )
    by_booking: dict[UUID, list[dict[str, Any]]] = {r.id: [] for r in rows}
    for t in tickets:
        by_booking[t.booking_id].append({"code": t.code, "status": t.status})
    return [
        {f: getattr(r, f) for f in BOOKING_FIELDS} | {"tickets": by_booking[r.id]} for r in rows
    ]
