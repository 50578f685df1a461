"""The benchmark's seats sold before a run (`bench.sold_before`) are the commands' own events:
appended through the store's append, sealed into the stream's chain, each booking its own
stream, so that `verify` holds over them and the next booking decides on the right counts."""

from decimal import Decimal
from uuid import uuid4

from bench.scenario import new_event
from bench.sold_before import PER_APPEND, sell
from commands.audit.verify import verify_store
from commands.ledger import Ledger


def test_seats_sold_before_are_the_commands_events_and_the_ledger_goes_on_from_them(
        any_ledger: Ledger) -> None:
    seats = PER_APPEND + 7  # a whole transaction and part of one
    event_id = new_event(any_ledger, categories=[
        {"name": "Earlier", "price": Decimal("10.00"), "capacity": seats},
        {"name": "General", "price": Decimal("10.00"), "capacity": 5}])

    sell(any_ledger, event_id, seats, "Earlier")
    after = any_ledger.book(event_id, user_id=uuid4(), user_name="Ann", category="General",
                            quantity=1)

    event = any_ledger.event(event_id)
    assert event.categories["Earlier"]["sold"] == seats
    assert event.categories["General"]["sold"] == 1 and after.view["quantity"] == 1
    assert len(event.booked_by_user) == seats + 1  # a buyer each
    report = verify_store(any_ledger)
    assert report["ok"], report
