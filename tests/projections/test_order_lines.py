"""Orders across categories in the read models, on SQLite and PostgreSQL: each category's seats
held and sold through the order's lines, the booking's and the hold's lines kept, money from
the lines' prices, and a rebuild equal to the live tables."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import select

from bench.scenario import new_event
from commands.application.seat_requests import SeatFields
from commands.ledger import Ledger
from core.db import session_scope
from projections import catch_up, registry
from projections.availability import EventCategoryRow, EventRow
from projections.bookings import BookingRow, TicketRefundRow
from projections.holds import HoldRow
from projections.rebuild import rebuild_all
from projections.revenue import EventStatsRow

CATEGORIES = [{"name": "General", "price": Decimal("10.00"), "capacity": 5},
              {"name": "VIP", "price": Decimal("50.00"), "capacity": 2}]
ORDER = [("General", 2), ("VIP", 1)]
LINES = [{"category": "General", "quantity": 2, "unit_price": Decimal("10.00")},
         {"category": "VIP", "quantity": 1, "unit_price": Decimal("50.00")}]


def buyer(name: str = "Ann") -> SeatFields:
    return {"user_id": uuid4(), "user_name": name, "category": None, "quantity": 3,
            "lines": ORDER}


def seats(event_id: UUID) -> tuple[int, dict[str, tuple[int, int]]]:
    """The event's seats available, and each category's (sold, held), as read."""
    with session_scope() as session:
        event = session.get(EventRow, event_id)
        assert event is not None
        found = session.scalars(select(EventCategoryRow).filter_by(event_id=event_id))
        return event.available_seats, {c.name: (c.sold, c.held) for c in found}


def row(model: type, key: Any) -> Any:
    with session_scope() as session:
        found = session.get(model, key)
        if found is not None:
            session.expunge(found)
        return found


def snapshot(name: str) -> dict[str, list[tuple[Any, ...]]]:
    with session_scope() as session:
        return registry.snapshot_tables(session, name)


def test_an_order_across_categories_moves_each_category_s_seats(any_ledger: Ledger) -> None:
    ledger = any_ledger
    event_id = new_event(ledger, categories=CATEGORIES)
    held = ledger.hold(event_id, **buyer()).view
    catch_up.advance_all(ledger.eventlog)
    assert seats(event_id) == (4, {"General": (0, 2), "VIP": (0, 1)})
    hold = row(HoldRow, held["id"])
    assert (hold.category, hold.quantity, hold.unit_price, hold.lines) == (
        "General", 3, Decimal("10.00"), LINES)

    booking = ledger.confirm_hold(held["id"]).view
    catch_up.advance_all(ledger.eventlog)
    assert seats(event_id) == (4, {"General": (2, 0), "VIP": (1, 0)})
    booked = row(BookingRow, booking["id"])
    assert (booked.quantity, booked.total_amount, booked.lines) == (3, Decimal("70.00"), LINES)
    assert row(HoldRow, held["id"]).status == "confirmed"

    ledger.refund_tickets(booking["id"], [booking["tickets"][-1]["code"]])  # the VIP seat
    catch_up.advance_all(ledger.eventlog)
    assert seats(event_id) == (5, {"General": (2, 0), "VIP": (0, 0)})
    with session_scope() as session:
        [refund] = session.scalars(select(TicketRefundRow).filter_by(booking_id=booking["id"]))
        assert (refund.quantity, refund.amount) == (1, Decimal("50.00"))

    ledger.cancel_booking(booking["id"])
    released = ledger.hold(event_id, **buyer("Bea")).view["id"]
    ledger.release_hold(released)
    ledger.hold(event_id, **buyer("Cid"))
    expiring = ledger.event(event_id)  # the scheduler's expiry, an hour on
    expiring.expire_holds(now=datetime.now(UTC) + timedelta(hours=1))
    ledger.store.append(expiring)
    catch_up.advance_all(ledger.eventlog)
    assert seats(event_id) == (7, {"General": (0, 0), "VIP": (0, 0)})
    assert row(HoldRow, released).status == "released"
    stats = row(EventStatsRow, event_id)
    assert (stats.tickets_sold, stats.revenue, stats.refunds) == (
        0, Decimal("70.00"), Decimal("70.00"))  # the VIP seat, then the two General ones

    live = {name: snapshot(name) for name in catch_up.PROJECTIONS}
    rebuild_all(ledger.eventlog, catch_up.PROJECTIONS)
    assert {name: snapshot(name) for name in catch_up.PROJECTIONS} == live


def test_one_category_keeps_no_lines_and_its_money_as_before(any_ledger: Ledger) -> None:
    ledger = any_ledger
    event_id = new_event(ledger, categories=CATEGORIES)
    held = ledger.hold(event_id, user_id=uuid4(), user_name="Ann", category="VIP",
                       quantity=2).view
    booking = ledger.confirm_hold(held["id"]).view
    catch_up.advance_all(ledger.eventlog)

    assert row(HoldRow, held["id"]).lines is None
    booked = row(BookingRow, booking["id"])
    assert (booked.lines, booked.total_amount) == (None, Decimal("100.00"))
    assert seats(event_id) == (5, {"General": (0, 0), "VIP": (2, 0)})
