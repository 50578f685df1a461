"""Bookings with their tickets and their payment, newest first."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from commands.domain.lines import Line, lines_of, list_total_of, ticket_categories
from commands.domain.payment import STARTED
from commands.domain.taxes import tax_summary
from commands.payments.provider import AWAITING_PAYMENT
from core.money import from_minor
from projections.bookings import BookingRow, PaymentRow, TicketRow
from query_api.reads import pagination
from query_api.reads.children import children_of

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
    "voucher",
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
    query = select(BookingRow)
    if event_id is not None:
        query = query.where(BookingRow.event_id == event_id)
    if user_id is not None:
        query = query.where(BookingRow.user_id == user_id)
    page, next_cursor = pagination.rows_by_time(
        session, query, BookingRow.created_at, BookingRow.id, limit=limit, cursor=cursor,
        newest_first=True)
    return _with_tickets(session, page), next_cursor


def bookings_of(session: Session, user_id: UUID) -> list[dict[str, Any]]:
    """Every booking of one user with its tickets and payment, the first made first."""
    rows = session.scalars(select(BookingRow).where(BookingRow.user_id == user_id)
                           .order_by(BookingRow.created_at, BookingRow.id))
    return _with_tickets(session, list(rows))


def booking_detail(session: Session, booking_id: UUID) -> dict[str, Any] | None:
    row = session.get(BookingRow, booking_id)
    return _with_tickets(session, [row])[0] if row else None


def ticket_booking(session: Session, code: str) -> tuple[UUID, UUID] | None:
    """The event and the booking a ticket belongs to, if the bookings projection has seen it."""
    row = session.execute(select(TicketRow.event_id, TicketRow.booking_id)
                          .where(TicketRow.code == code)).first()
    return None if row is None else (row.event_id, row.booking_id)


def _with_tickets(session: Session, rows: Sequence[BookingRow]) -> list[dict[str, Any]]:
    ids = [r.id for r in rows]
    by_booking = children_of(session, TicketRow.booking_id, TicketRow.ordinal, ids,
                             lambda t: {"code": t.code, "status": t.status})
    paid = _payments(session, ids)
    return [
        {f: getattr(r, f) for f in BOOKING_FIELDS} | _priced(lines_of(r))
        | {"tickets": _categorized(r, by_booking[r.id]), "payment": paid.get(r.id)}
        for r in rows
    ]


def _priced(lines: list[Line]) -> dict[str, Any]:
    """Its lines, and what they cost before any voucher."""
    return {"lines": lines, "list_total": list_total_of(lines), "taxes": tax_summary(lines)}


def _categorized(row: BookingRow, tickets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Its tickets (in their order), each with the category of the line it was booked on."""
    category = ticket_categories(row, [t["code"] for t in tickets])
    return [t | {"category": category[t["code"]]} for t in tickets]


def _payments(session: Session, booking_ids: list[UUID]) -> dict[UUID, dict[str, Any]]:
    """The payment of each of these bookings that was paid for through a provider."""
    if not booking_ids:
        return {}
    found = session.scalars(select(PaymentRow).where(PaymentRow.booking_id.in_(booking_ids)))
    return {p.booking_id: payment_summary(p) for p in found if p.booking_id is not None}


def payment_summary(p: PaymentRow) -> dict[str, Any]:
    # A payment started that names its booking already booked the seats first: the money
    # is awaited, quoting the reference in its intent (`method:reference`).
    awaiting = p.status == STARTED and p.booking_id is not None
    return {"status": AWAITING_PAYMENT if awaiting else p.status, "provider": p.provider,
            "currency": p.currency, "amount": from_minor(p.captured or p.amount, p.currency),
            "refunded": from_minor(p.refunded, p.currency), "message": p.message,
            "updated_at": p.updated_at,
            "reference": (p.intent_id.partition(":")[2] or None) if awaiting else None}
