"""Revenue over a period from the read tables (query_api/reads/revenue.py), on SQLite and
PostgreSQL: a booking counts when it was made, its cancellation when it was cancelled; money
per currency, never summed across currencies."""

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from core.db import read_scope, session_scope
from core.settings import Settings
from projections.availability import EventRow
from projections.bookings import BookingRow
from query_api.reads import revenue

DAY = datetime(2031, 3, 10, tzinfo=UTC)
ANN, BEN = uuid.uuid4(), uuid.uuid4()


def _event(name: str, currency: str, organizer: uuid.UUID | None,
           organizer_name: str | None = None) -> EventRow:
    return EventRow(id=uuid.uuid4(), name=name, description="", venue="", starts_at=DAY,
                    ends_at=None, currency=currency, status="active", max_tickets_per_user=None,
                    total_seats=100, available_seats=100, created_at=DAY, updated_at=DAY,
                    version=1, position=1, organizer_id=organizer,
                    organizer_name=organizer_name)


def _booking(event: EventRow, quantity: int, price: str, at: datetime,
             cancelled_at: datetime | None = None) -> BookingRow:
    unit = Decimal(price)
    return BookingRow(id=uuid.uuid4(), event_id=event.id, user_id=uuid.uuid4(), user_name="U",
                      category="General", quantity=quantity, unit_price=unit,
                      total_amount=unit * quantity,
                      status="cancelled" if cancelled_at else "confirmed", created_at=at,
                      cancelled_at=cancelled_at, position=1)


def _world() -> dict[str, EventRow]:
    """Four events (two in EUR by Ann, one in USD by Ben, one in EUR recorded before
    organizers) and bookings around DAY."""
    events = {"jazz": _event("Jazz", "EUR", ANN, "Ann"),
              "opera": _event("Opera", "EUR", ANN, "Ann"),
              "rock": _event("Rock", "USD", BEN, "Ben"), "old": _event("Old", "EUR", None)}
    hour = timedelta(hours=1)
    rows = [
        _booking(events["jazz"], 2, "10.00", DAY + hour),
        _booking(events["jazz"], 1, "10.00", DAY + 2 * hour, cancelled_at=DAY + 3 * hour),
        # made before the period, cancelled in it: a cancellation and a refund, no sale
        _booking(events["jazz"], 3, "10.00", DAY - 2 * timedelta(days=1),
                 cancelled_at=DAY + 4 * hour),
        # made in the period, cancelled after it: a sale, no cancellation
        _booking(events["opera"], 1, "55.50", DAY + timedelta(days=1, hours=1),
                 cancelled_at=DAY + timedelta(days=9)),
        _booking(events["rock"], 4, "20.00", DAY + 5 * hour),
        _booking(events["old"], 1, "5.00", DAY + 6 * hour),
        _booking(events["rock"], 1, "20.00", DAY + timedelta(days=8)),  # after the period
    ]
    with session_scope() as session:
        session.add_all([*events.values(), *rows])
    return events


def _scope(**kw: Any) -> revenue.Scope:
    return revenue.Scope(DAY, DAY + timedelta(days=2), **kw)


def test_figures_per_event_count_sales_and_cancellations_when_they_happened(
    any_settings: Settings,
) -> None:
    events = _world()
    with read_scope() as session:
        found = {r["name"]: r for r in revenue.rows(session, _scope(), "event")}
    assert list(found) == ["Jazz", "Old", "Opera", "Rock"]  # by name
    assert found["Jazz"] == {
        "key": str(events["jazz"].id), "name": "Jazz", "currency": "EUR",
        "revenue": Decimal("30.00"), "tickets_sold": 3, "bookings": 2, "cancellations": 2,
        "refunded": Decimal("40.00"), "net": Decimal("-10.00"),  # refunds of earlier sales
        "collected": Decimal("0.00"), "returned": Decimal("0.00"),  # no payment recorded
        "collected_net": Decimal("0.00")}
    assert (found["Opera"]["bookings"], found["Opera"]["cancellations"]) == (1, 0)
    assert found["Rock"]["revenue"] == Decimal("80.00") and found["Rock"]["currency"] == "USD"


def test_totals_are_per_currency_never_summed_across(any_settings: Settings) -> None:
    _world()
    with read_scope() as session:
        totals = revenue.totals(session, _scope())
        total_rows = revenue.rows(session, _scope(), "total")
    assert totals == [
        {"currency": "EUR", "revenue": Decimal("90.50"), "tickets_sold": 5, "bookings": 4,
         "cancellations": 2, "refunded": Decimal("40.00"), "net": Decimal("50.50"),
         "collected": Decimal("0.00"), "returned": Decimal("0.00"),
         "collected_net": Decimal("0.00")},
        {"currency": "USD", "revenue": Decimal("80.00"), "tickets_sold": 4, "bookings": 1,
         "cancellations": 0, "refunded": Decimal("0.00"), "net": Decimal("80.00"),
         "collected": Decimal("0.00"), "returned": Decimal("0.00"),
         "collected_net": Decimal("0.00")}]
    assert [(r["key"], r["currency"], r["revenue"]) for r in total_rows] == [
        ("total", "EUR", Decimal("90.50")), ("total", "USD", Decimal("80.00"))]


def test_per_organizer_and_filters(any_settings: Settings) -> None:
    events = _world()
    with read_scope() as session:
        by_organizer = revenue.rows(session, _scope(), "organizer")
        anns = revenue.rows(session, _scope(organizer_id=ANN), "event")
        opera = revenue.totals(session, _scope(event_id=events["opera"].id))
        page = revenue.rows(session, _scope(), "event", offset=1, limit=2)
    assert [(r["key"], r["name"], r["currency"], r["bookings"]) for r in by_organizer] == [
        ("", "(no organizer)", "EUR", 1), (str(ANN), "Ann", "EUR", 3),
        (str(BEN), "Ben", "USD", 1)]
    assert [r["name"] for r in anns] == ["Jazz", "Opera"]
    assert [(t["currency"], t["revenue"]) for t in opera] == [("EUR", Decimal("55.50"))]
    assert [r["name"] for r in page] == ["Old", "Opera"]


def test_the_series_is_per_utc_day_of_booking_and_currency(any_settings: Settings) -> None:
    _world()
    with read_scope() as session:
        series = revenue.series(session, _scope())
        before = revenue.rows(session, revenue.Scope(DAY - timedelta(days=30),
                                                     DAY - timedelta(days=5)), "event")
    assert series == [
        {"day": date(2031, 3, 10), "currency": "EUR", "revenue": Decimal("35.00"),
         "tickets_sold": 4},
        {"day": date(2031, 3, 10), "currency": "USD", "revenue": Decimal("80.00"),
         "tickets_sold": 4},
        {"day": date(2031, 3, 11), "currency": "EUR", "revenue": Decimal("55.50"),
         "tickets_sold": 1}]
    assert before == []
