"""Revenue over a period, per event, per organizer or in total, and per day: money per currency,
never summed across currencies.

Read from the `bookings` and `ticket_refunds` tables joined to `events` (its currency, name
and organizer now): a booking counts where it was made (`created_at`: bookings, tickets sold,
revenue), its cancellation where it was cancelled (`cancelled_at`: cancellations, and what it
gave back), tickets cancelled one by one where they were (`refunded_at`: what they gave back),
so a period's figures never change once it is over. `refunded` sums what cancellations and
ticket refunds gave back. One scan of the period's bookings and ticket refunds answers a call;
the period is at most MAX_PERIOD long, and rows come a page at a time.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
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
    union_all,
)
from sqlalchemy.orm import Session

from core.models import Money
from core.money import from_minor
from projections.availability import EventRow
from projections.bookings import BookingRow, MoneyMoveRow, TicketRefundRow
from projections.revenue import TaxTotalRow

Group = Literal["event", "organizer", "total"]
MAX_PERIOD = timedelta(days=366)
ZERO = Decimal(0)
TOTAL_KEY = "total"
NO_ORGANIZER = "(no organizer)"  # events recorded before organizers existed: admins'
FIGURES = ("revenue", "tickets_sold", "bookings", "cancellations", "refunded", "net",
           "collected", "returned", "collected_net")


@dataclass(frozen=True)
class Scope:
    """The period [start, end) and which events' bookings count."""

    start: datetime
    end: datetime
    event_id: UUID | None = None
    organizer_id: UUID | None = None


def _booked(scope: Scope) -> ColumnElement[bool]:
    return and_(BookingRow.created_at >= scope.start, BookingRow.created_at < scope.end)


def _within(column: Any, scope: Scope) -> ColumnElement[bool]:
    return and_(column.is_not(None), column >= scope.start, column < scope.end)


def _moves(scope: Scope) -> Any:
    """The period's moves, one row each: a booking (made or cancelled in the period, `kind` 1)
    or tickets cancelled one by one (`kind` 2), in hundredths; money a payment took or gave
    back (`kind` 3), in the currency's minor unit; each with what it counts for, none outside
    the period."""
    def cents(column: Any) -> Any:
        return type_coerce(column, BigInteger())

    zero = literal(0, BigInteger())
    booked, cancelled = _booked(scope), _within(BookingRow.cancelled_at, scope)
    bookings = select(
        BookingRow.event_id.label("event_id"), literal(1).label("kind"),
        case((booked, cents(BookingRow.total_amount)), else_=zero).label("revenue"),
        case((booked, BookingRow.quantity), else_=0).label("tickets_sold"),
        case((booked, 1), else_=0).label("bookings"),
        case((cancelled, 1), else_=0).label("cancellations"),
        case((cancelled, cents(func.coalesce(BookingRow.cancel_refund,
                                             BookingRow.total_amount))),
             else_=zero).label("refunded"),
        zero.label("collected"), zero.label("returned"),
    ).where(or_(booked, cancelled))
    tickets = select(
        TicketRefundRow.event_id.label("event_id"), literal(2).label("kind"),
        zero.label("revenue"), literal(0).label("tickets_sold"), literal(0).label("bookings"),
        literal(0).label("cancellations"), cents(TicketRefundRow.amount).label("refunded"),
        zero.label("collected"), zero.label("returned"),
    ).where(_within(TicketRefundRow.refunded_at, scope))
    money = select(
        MoneyMoveRow.event_id.label("event_id"), literal(3).label("kind"),
        zero.label("revenue"), literal(0).label("tickets_sold"), literal(0).label("bookings"),
        literal(0).label("cancellations"), zero.label("refunded"),
        MoneyMoveRow.taken.label("collected"), MoneyMoveRow.given_back.label("returned"),
    ).where(_within(MoneyMoveRow.moved_at, scope))
    if scope.event_id is not None:
        bookings = bookings.where(BookingRow.event_id == scope.event_id)
        tickets = tickets.where(TicketRefundRow.event_id == scope.event_id)
        money = money.where(MoneyMoveRow.event_id == scope.event_id)
    return union_all(bookings, tickets, money).subquery("moves")


def _figures(moves: Any) -> list[Any]:
    def total(name: str) -> Any:
        return func.coalesce(func.sum(moves.c[name]), 0)

    return [type_coerce(total("revenue"), Money).label("revenue"),
            total("tickets_sold").label("tickets_sold"), total("bookings").label("bookings"),
            total("cancellations").label("cancellations"),
            type_coerce(total("refunded"), Money).label("refunded"),
            total("collected").label("collected"), total("returned").label("returned")]


def _from_moves(scope: Scope, *columns: Any) -> tuple[Select[Any], Any]:
    """A select of `columns` and the figures over the period's moves joined to their events."""
    moves = _moves(scope)
    query = (select(*columns, *_figures(moves)).select_from(moves)
             .join(EventRow, EventRow.id == moves.c.event_id))
    if scope.organizer_id is not None:
        query = query.where(EventRow.organizer_id == scope.organizer_id)
    return query, moves


def _in_scope(query: Select[Any], scope: Scope) -> Select[Any]:
    query = query.join(EventRow, EventRow.id == BookingRow.event_id).where(_booked(scope))
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
        keys: list[Any] = [EventRow.id.label("key"), EventRow.name.label("name")]
        grouped: list[Any] = [EventRow.id, EventRow.name]
    elif group == "organizer":
        keys = [EventRow.organizer_id.label("key"),
                func.coalesce(func.max(EventRow.organizer_name), NO_ORGANIZER).label("name")]
        grouped = [EventRow.organizer_id]
    else:
        keys, grouped = [literal(TOTAL_KEY).label("key"), literal("All events").label("name")], []
    query, _ = _from_moves(scope, *keys, EventRow.currency.label("currency"))
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
            "refunded": r.refunded, "net": r.revenue - r.refunded,
            } | money_moved(r.collected, r.returned, r.currency)


def money_moved(taken: Any, given_back: Any, currency: str) -> dict[str, Decimal]:
    """The payments' side of the money, from the minor units they took and gave back (none:
    zero), in the currency's major unit: collected, returned and net collected."""
    collected, returned = (from_minor(int(m or 0), currency) for m in (taken, given_back))
    return {"collected": collected, "returned": returned, "collected_net": collected - returned}


def totals(session: Session, scope: Scope) -> list[dict[str, Any]]:
    """The figures per currency, by currency code: one line each, never one across them."""
    query, _ = _from_moves(scope, EventRow.currency.label("currency"))
    query = query.group_by(EventRow.currency).order_by(EventRow.currency)
    return [{"currency": r.currency} | _numbers(r) for r in session.execute(query)]


def series(session: Session, scope: Scope) -> list[dict[str, Any]]:
    """Per UTC day of booking and currency: revenue and tickets sold (the sales chart)."""
    day = _utc_day(session, BookingRow.created_at).label("day")
    query = select(day, EventRow.currency.label("currency"),
                   type_coerce(func.sum(type_coerce(BookingRow.total_amount, BigInteger())),
                               Money).label("revenue"),
                   func.sum(BookingRow.quantity).label("tickets_sold")).select_from(BookingRow)
    query = _in_scope(query, scope).group_by(day, EventRow.currency).order_by(
        day, EventRow.currency)
    return [{"day": _as_date(r.day), "currency": r.currency, "revenue": r.revenue,
             "tickets_sold": int(r.tickets_sold)} for r in session.execute(query)]


TAX_FIGURES = ("net", "tax", "gross", "refunded_net", "refunded_tax", "refunded_gross")


def tax_totals(session: Session, scope: Scope, *,
               by_currency: bool = True) -> list[dict[str, Any]]:
    """Per currency (unless `by_currency` is False: one event's), tax rule and rate, what seats
    sold for and what was refunded over the UTC days that begin within the period (net, tax,
    gross), from the "revenue" read model's `tax_totals`; seats of no rule last, under the
    name None."""
    sums = [type_coerce(func.sum(type_coerce(getattr(TaxTotalRow, k), BigInteger())),
                        Money).label(k) for k in TAX_FIGURES]
    keys = [TaxTotalRow.tax_name, TaxTotalRow.tax_rate]
    if by_currency:
        keys.insert(0, EventRow.currency)
    query = (select(*keys, *sums).select_from(TaxTotalRow)
             .join(EventRow, EventRow.id == TaxTotalRow.event_id)
             .where(TaxTotalRow.day >= _first_day(scope.start),
                    TaxTotalRow.day < _first_day(scope.end)).group_by(*keys))
    if scope.event_id is not None:
        query = query.where(TaxTotalRow.event_id == scope.event_id)
    if scope.organizer_id is not None:
        query = query.where(EventRow.organizer_id == scope.organizer_id)
    found = [({"currency": r.currency} if by_currency else {})
             | {"name": r.tax_name or None, "rate": Decimal(r.tax_rate)}
             | {k: getattr(r, k) for k in TAX_FIGURES} for r in session.execute(query)]
    return sorted(found, key=lambda r: (r.get("currency", ""), r["name"] is None,
                                        r["name"] or "", r["rate"]))


def _first_day(moment: datetime) -> date:
    """The first UTC day that begins at or after `moment`."""
    day = moment.astimezone(UTC).date()
    return day if moment.astimezone(UTC).time() == time(0) else day + timedelta(days=1)


def tax_csv_lines(found: list[dict[str, Any]]) -> Iterator[list[str]]:
    """The header, then a line per currency, rule and rate."""
    yield ["currency", "tax", "rate", *TAX_FIGURES]
    for r in found:
        yield [r["currency"], r["name"] or "", format(r["rate"], "f"),
               *(f"{r[k]:.2f}" for k in TAX_FIGURES)]


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
               str(r["bookings"]), str(r["cancellations"]), f"{r['refunded']:.2f}",
               f"{r['net']:.2f}", str(r["collected"]), str(r["returned"]),
               str(r["collected_net"])]
