"""Revenue over a period, per event, per organizer or in total, and per day: money per currency,
never summed across currencies.

Read from the `bookings` table joined to `events` (its currency, name and organizer now): a
booking counts where it was made (`created_at`: bookings, tickets sold, revenue), its
cancellation where it was cancelled (`cancelled_at`: cancellations, refunded), so a period's
figures never change once it is over. A cancellation refunds the whole booking
(`commands.domain.booking`), so `refunded` sums the cancelled bookings' amounts. One scan of
the period's bookings answers a call; the period is at most MAX_PERIOD long, and rows come a
page at a time.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from core.models import Money
from projections.availability import EventRow
from projections.bookings import BookingRow

Group = Literal["event", "organizer", "total"]
MAX_PERIOD = timedelta(days=366)
ZERO = Decimal(0)
TOTAL_KEY = "total"
NO_ORGANIZER = "(no organizer)"  # events recorded before organizers existed: admins'
FIGURES = ("revenue", "tickets_sold", "bookings", "cancellations", "refunded")


@dataclass(frozen=True)
class Scope:
    """The period [start, end) and which events' bookings count."""

    start: datetime
    end: datetime
    event_id: UUID | None = None
    organizer_id: UUID | None = None


def _booked(scope: Scope) -> ColumnElement[bool]:
    return and_(BookingRow.created_at >= scope.start, BookingRow.created_at < scope.end)


def _cancelled(scope: Scope) -> ColumnElement[bool]:
    return and_(BookingRow.cancelled_at.is_not(None), BookingRow.cancelled_at >= scope.start,
                BookingRow.cancelled_at < scope.end)


def _figures(scope: Scope) -> list[Any]:
    booked, cancelled = _booked(scope), _cancelled(scope)

    def count(when: ColumnElement[bool], value: Any = 1) -> Any:
        return func.coalesce(func.sum(case((when, value), else_=0)), 0)

    def money(when: ColumnElement[bool]) -> Any:  # hundredths summed, read back as Money
        return type_coerce(func.coalesce(func.sum(case(
            (when, type_coerce(BookingRow.total_amount, BigInteger())), else_=0)), 0), Money)

    return [money(booked).label("revenue"), count(booked, BookingRow.quantity).label(
        "tickets_sold"), count(booked).label("bookings"),
        count(cancelled).label("cancellations"), money(cancelled).label("refunded")]


def _in_scope(query: Select[Any], scope: Scope) -> Select[Any]:
    query = query.join(EventRow, EventRow.id == BookingRow.event_id).where(
        or_(_booked(scope), _cancelled(scope)))
    if scope.event_id is not None:
        query = query.where(BookingRow.event_id == scope.event_id)
    if scope.organizer_id is not None:
        query = query.where(EventRow.organizer_id == scope.organizer_id)
    return query


def rows(session: Session, scope: Scope, group: Group, offset: int = 0,
         limit: int | None = None) -> list[dict[str, Any]]:
    """The figures per event, per organizer and currency, or per currency, ordered by name
    (then key and currency); `limit` rows from `offset` (None: all)."""
    if group == "event":
        keys: list[Any] = [BookingRow.event_id.label("key"), EventRow.name.label("name")]
        grouped: list[Any] = [BookingRow.event_id, EventRow.name]
    elif group == "organizer":
        keys = [EventRow.organizer_id.label("key"),
                func.coalesce(func.max(EventRow.organizer_name), NO_ORGANIZER).label("name")]
        grouped = [EventRow.organizer_id]
    else:
        keys, grouped = [literal(TOTAL_KEY).label("key"), literal("All events").label("name")], []
    query = _in_scope(select(*keys, EventRow.currency.label("currency"), *_figures(scope))
                      .select_from(BookingRow), scope)
    query = query.group_by(*grouped, EventRow.currency).order_by(
        "name", *grouped, EventRow.currency).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [_row(r) for r in session.execute(query)]


def _row(r: Any) -> dict[str, Any]:
    key = "" if r.key is None else str(r.key)
    return {"key": key, "name": r.name, "currency": r.currency} | _numbers(r)


def _numbers(r: Any) -> dict[str, Any]:
    return {"revenue": r.revenue, "tickets_sold": int(r.tickets_sold),
            "bookings": int(r.bookings), "cancellations": int(r.cancellations),
            "refunded": r.refunded}


def totals(session: Session, scope: Scope) -> list[dict[str, Any]]:
    """The figures per currency, by currency code: one line each, never one across them."""
    query = _in_scope(select(EventRow.currency.label("currency"), *_figures(scope))
                      .select_from(BookingRow), scope)
    query = query.group_by(EventRow.currency).order_by(EventRow.currency)
    return [{"currency": r.currency} | _numbers(r) for r in session.execute(query)]


def series(session: Session, scope: Scope) -> list[dict[str, Any]]:
    """Per UTC day of booking and currency: revenue and tickets sold (the sales chart)."""
    day = _utc_day(session, BookingRow.created_at).label("day")
    booked = _booked(scope)
    query = select(day, EventRow.currency.label("currency"),
                   type_coerce(func.sum(type_coerce(BookingRow.total_amount, BigInteger())),
                               Money).label("revenue"),
                   func.sum(BookingRow.quantity).label("tickets_sold")).select_from(BookingRow)
    query = _in_scope(query, scope).where(booked).group_by(day, EventRow.currency).order_by(
        day, EventRow.currency)
    return [{"day": _as_date(r.day), "currency": r.currency, "revenue": r.revenue,
             "tickets_sold": int(r.tickets_sold)} for r in session.execute(query)]


def _utc_day(session: Session, column: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("UTC", column))
    return func.date(column)  # SQLite keeps UTC times as text (`core.models.UTCDateTime`)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


CSV_HEADER = ("key", "name", "currency", *FIGURES)
# A spreadsheet runs a cell starting with one of these as a formula: names are text, kept so.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_lines(found: list[dict[str, Any]]) -> Iterator[list[str]]:
    """The header, then each row's cells as text (money with two decimals)."""
    yield list(CSV_HEADER)
    for r in found:
        name = r["name"]
        if name.startswith(FORMULA_STARTS):
            name = "'" + name
        yield [r["key"], name, r["currency"], f"{r['revenue']:.2f}", str(r["tickets_sold"]),
               str(r["bookings"]), str(r["cancellations"]), f"{r['refunded']:.2f}"]
