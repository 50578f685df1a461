"""How a booking's seats are paid for, as its SeatsBooked says: by the payment that booked them,
owed (paid at the door or by transfer), or nothing for free seats. Verify holds the first kind
against the payments (tests/query_api/routes/test_payments.py)."""

from decimal import Decimal
from uuid import UUID, uuid4

from commands.domain.checkout import BY_PAYMENT, OWED
from commands.domain.claim import hold_claim
from commands.domain.event import Event
from tests.commands.given import NOW, book, categories, given, new_event, new_events


def concert() -> Event:
    """General at 10.00, VIP at 20.00, and a free Standing category."""
    event = new_event(categories=[*categories(General=5, VIP=3),
                                  {"name": "Standing", "price": Decimal(0), "capacity": 9}])
    return given(event)


def held_then_confirmed(event: Event, lines: list[tuple[str, int]], *,
                        by_payment: bool) -> str | None:
    hold_id = uuid4()
    event.hold(hold_id=hold_id, user_id="alice", user_name="Alice", lines=lines, now=NOW)
    claim = hold_claim(event.pending_events[-1], event.id, "-")
    seats = sum(quantity for _, quantity in lines)
    event.confirm_hold(claim, booking_id=uuid4(), ticket_codes=[uuid4().hex for _ in range(seats)],
                       by=None, now=NOW, by_payment=by_payment)
    settlement: str | None = new_events(event)[-1].settlement
    return settlement


def test_a_hold_its_payment_confirms_is_booked_by_that_payment() -> None:
    assert held_then_confirmed(concert(), [("General", 1), ("VIP", 1)],
                               by_payment=True) == BY_PAYMENT


def test_priced_seats_booked_without_a_provider_are_owed() -> None:
    event = concert()
    assert held_then_confirmed(event, [("VIP", 2)], by_payment=False) == OWED
    book(event, category="General", quantity=2)
    assert new_events(event)[-1].settlement == OWED


def test_free_seats_owe_nothing_however_they_are_booked() -> None:
    event = concert()
    assert held_then_confirmed(event, [("Standing", 2)], by_payment=True) is None
    booking_id: UUID = book(event, category="Standing", quantity=1)
    [booked] = [e for e in new_events(event) if getattr(e, "booking_id", None) == booking_id]
    assert booked.settlement is None
