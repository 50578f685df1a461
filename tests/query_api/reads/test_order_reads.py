"""Bookings and holds read from the read tables (query_api/reads/bookings.py, holds.py), on
SQLite and PostgreSQL: an order across categories reads with its lines, each ticket with its
line's category, an active hold with its lines and total, as the write side answers them."""

from decimal import Decimal
from uuid import uuid4

from bench.scenario import book, new_event
from commands.ledger import Ledger
from core.db import session_scope
from projections import catch_up
from query_api.reads.bookings import booking_detail, booking_page
from query_api.reads.holds import hold_page
from query_api.schemas import BookingOut
from query_api.schemas.holds import HoldOut

CATEGORIES = [{"name": "General", "price": Decimal("10.00"), "capacity": 5},
              {"name": "VIP", "price": Decimal("50.00"), "capacity": 2}]


def test_an_order_reads_with_its_lines_and_each_ticket_s_category(any_ledger: Ledger) -> None:
    event_id = new_event(any_ledger, categories=CATEGORIES)
    user = uuid4()
    held = any_ledger.hold(event_id, user_id=user, user_name="Ann", category=None, quantity=3,
                           lines=[("VIP", 1), ("General", 2)]).view
    catch_up.advance_all(any_ledger.eventlog)
    with session_scope() as session:
        [active], _ = hold_page(session, user_id=user, limit=5, cursor=None)
    assert (active["lines"], active["total"]) == (held["lines"], Decimal("70.00"))
    assert HoldOut.model_validate(active).lines is not None

    written = any_ledger.confirm_hold(held["id"]).view
    single = book(any_ledger, event_id, 2, "General")
    catch_up.advance_all(any_ledger.eventlog)
    with session_scope() as session:
        read = booking_detail(session, written["id"])
        page, _ = booking_page(session, event_id=event_id, limit=5, cursor=None)
        [ended], _ = hold_page(session, user_id=user, limit=5, cursor=None)

    assert read is not None
    assert (read["lines"], read["tickets"], read["total_amount"]) == (
        written["lines"], written["tickets"], Decimal("70.00"))
    assert [t["category"] for t in read["tickets"]] == ["VIP", "General", "General"]
    one = next(b for b in page if b["id"] == single["id"])
    assert one["lines"] == [{"category": "General", "quantity": 2,
                             "unit_price": Decimal("10.00")}] == single["lines"]
    assert [t["category"] for t in one["tickets"]] == ["General", "General"]
    assert BookingOut.model_validate(read).lines[0].category == "VIP"
    assert (ended["status"], ended["lines"], ended["total"]) == ("confirmed", None, None)
