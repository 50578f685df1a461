"""An event's attendees: one row per ticket with its holder (the booking's name and the
account's e-mail, none once the account is deleted or erased), its category and its check-in;
searched, paged and exported as CSV."""

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from core.erased_address import ERASED_LIKE, shown_email
from projections.bookings import BookingRow, TicketRow
from query_api.auth.user_accounts import User
from query_api.reads import pagination
from query_api.reads.revenue import FORMULA_STARTS

CSV_HEADER = ("ticket_code", "name", "email", "category", "status", "checked_in_at",
              "booking_id", "booked_at")
EXPORT_BATCH = 500  # rows read at a time while a CSV streams


def _query(event_id: UUID, q: str | None, status: str | None) -> Select[Any]:
    query = (
        select(TicketRow.code, TicketRow.status, TicketRow.used_at, TicketRow.booking_id,
               TicketRow.ordinal, BookingRow.user_name, BookingRow.created_at,
               BookingRow.category, BookingRow.lines, User.email)
        .join(BookingRow, BookingRow.id == TicketRow.booking_id)
        .outerjoin(User, User.id == BookingRow.user_id)
        .where(TicketRow.event_id == event_id)
    )
    if status is not None:
        query = query.where(TicketRow.status == status)
    if q:
        needle = q.strip()
        query = query.where(or_(
            TicketRow.code == needle,  # a code is found whole: it is what the ticket shows
            BookingRow.user_name.icontains(needle, autoescape=True),
            and_(User.email.icontains(needle, autoescape=True), User.email.not_like(ERASED_LIKE)),
        ))
    return query


def attendee_page(  # noqa: PLR0913 - the event, its search and the page asked
    session: Session, event_id: UUID, *, q: str | None, status: str | None,
    limit: int, cursor: str | None,
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of the event's tickets with their holders, by name then code."""
    query = _query(event_id, q, status).order_by(BookingRow.user_name, TicketRow.code)
    if cursor is not None:
        name, code = pagination.decode_texts(cursor, 2)
        query = query.where(or_(BookingRow.user_name > name,
                                and_(BookingRow.user_name == name, TicketRow.code > code)))
    rows = session.execute(query.limit(limit + 1)).all()
    page, next_cursor = pagination.split_page(rows, limit, lambda r: (r.user_name, r.code))
    return [_attendee(r) for r in page], next_cursor


def _attendee(r: Any) -> dict[str, Any]:
    return {"code": r.code, "name": r.user_name, "email": shown_email(r.email),
            "category": _category(r),
            "status": r.status, "checked_in_at": r.used_at, "booking_id": r.booking_id,
            "booked_at": r.created_at}


def _category(r: Any) -> str:
    """The category of the line its ticket was booked on: a booking's tickets follow its
    lines in order (`commands.domain.lines.ticket_lines`), so its ordinal tells the line."""
    if not r.lines:
        return str(r.category)
    seats = 0
    for line in r.lines:
        seats += int(line["quantity"])
        if r.ordinal < seats:
            return str(line["category"])
    return str(r.lines[-1]["category"])


def csv_lines(session: Session, event_id: UUID) -> Iterator[list[str]]:
    """The header, then every ticket of the event as text cells, safe to open in a
    spreadsheet (a cell that would start a formula is kept as text)."""
    yield list(CSV_HEADER)
    query = _query(event_id, None, None).order_by(BookingRow.user_name, TicketRow.code)
    for row in session.execute(query.execution_options(yield_per=EXPORT_BATCH)):
        a = _attendee(row)
        yield [_text(a["code"]), _text(a["name"]), _text(a["email"] or ""),
               _text(a["category"] or ""), a["status"], _time(a["checked_in_at"]),
               str(a["booking_id"]), _time(a["booked_at"])]


def _text(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _time(at: datetime | None) -> str:
    return "" if at is None else at.isoformat()
