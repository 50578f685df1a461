"""Booking seats: given past events, when `book`, then SeatsBooked or a refusal."""

from datetime import timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from commands.domain.errors import Conflict, RuleBroken
from commands.domain.event import Event
from commands.domain.seats import resolve_category
from tests.commands.given import (
    NOW,
    STARTS,
    book,
    cancel,
    cancel_event,
    categories,
    given,
    new_event,
    new_events,
    state,
    types,
)


def refused(event: Event, code: str, **booking: object) -> None:
    """`book` is refused with `code`, and the event is exactly as it was."""
    before = state(event)
    with pytest.raises(RuleBroken) as refusal:
        book(event, **booking)  # type: ignore[arg-type]
    assert refusal.value.code == code
    assert new_events(event) == []
    assert state(event) == before


def test_booking_records_seats_booked_with_price_and_one_code_per_seat() -> None:
    event = given(new_event())

    booking_id = book(event, "alice", 2)

    [booked] = new_events(event)
    assert isinstance(booked, Event.SeatsBooked)
    assert booked.booking_id == booking_id
    assert (booked.user_id, booked.category, booked.quantity) == ("alice", "General", 2)
    assert booked.unit_price == Decimal("25.50")
    assert len(set(booked.ticket_codes)) == 2
    assert booked.booked_at == NOW
    assert event.available("General") == 3
    assert event.booking(booking_id)["status"] == "confirmed"


def test_booking_every_seat_left_is_allowed() -> None:
    event = given(new_event())

    book(event, quantity=5)

    assert types(new_events(event)) == ["SeatsBooked"]
    assert event.available("General") == 0


def test_request_for_more_than_is_left_is_rejected_whole() -> None:
    event = new_event()
    book(event, "alice", 3)
    event = given(event)

    refused(event, "NOT_ENOUGH_SEATS", user="bob", quantity=3)
    assert event.available("General") == 2


def test_sixth_booking_for_five_seats_is_sold_out() -> None:
    event = new_event()
    for user in ("a", "b", "c", "d", "e"):
        book(event, user)
    event = given(event)

    refused(event, "SOLD_OUT", user="f")


def test_cancellation_frees_its_seats_at_once_for_the_next_booking() -> None:
    event = new_event()
    book(event, "alice", 2)
    bobs = book(event, "bob", 3)
    event = given(event)
    refused(event, "SOLD_OUT", user="carol")

    cancel(event, bobs, now=NOW)
    book(event, "carol", 3)

    assert types(new_events(event)) == ["BookingCancelled", "SeatsBooked"]
    assert event.available("General") == 0


def test_sold_in_one_category_does_not_touch_another() -> None:
    event = new_event(categories=categories(Stalls=2, Balcony=3))
    book(event, quantity=2, category="Stalls")
    event = given(event)

    refused(event, "SOLD_OUT", category="Stalls")
    book(event, quantity=3, category="Balcony")

    [booked] = new_events(event)
    assert (booked.category, booked.unit_price) == ("Balcony", Decimal(20))
    assert event.available_seats == 0
    assert event.total_seats == 5


@pytest.mark.parametrize("quantity", [0, -1])
def test_quantity_below_one_is_invalid(quantity: int) -> None:
    refused(given(new_event()), "INVALID_QUANTITY", quantity=quantity)


def test_no_booking_once_the_event_has_started() -> None:
    event = given(new_event())

    refused(event, "EVENT_IN_PAST", now=STARTS)
    refused(event, "EVENT_IN_PAST", now=STARTS + timedelta(days=1))


def test_booking_until_just_before_the_start_is_allowed() -> None:
    event = given(new_event())

    book(event, now=STARTS - timedelta(seconds=1))

    assert types(new_events(event)) == ["SeatsBooked"]


def test_no_booking_on_a_cancelled_event() -> None:
    event = new_event()
    cancel_event(event, now=NOW)

    refused(given(event), "EVENT_CANCELLED")


def test_no_booking_on_a_completed_event() -> None:
    event = new_event()
    event.complete(now=STARTS + timedelta(hours=4))

    refused(given(event), "EVENT_COMPLETED")


def test_an_event_cannot_be_completed_before_it_starts() -> None:
    event = given(new_event())
    with pytest.raises(RuleBroken) as refusal:
        event.complete(now=NOW)
    assert refusal.value.code == "EVENT_NOT_STARTED"
    assert new_events(event) == []


def test_the_same_booking_id_cannot_book_twice() -> None:
    event = new_event()
    booking_id = book(event)
    event = given(event)
    before = state(event)

    with pytest.raises(Conflict) as conflict:
        book(event, booking_id=booking_id)

    assert conflict.value.code == "DUPLICATE_BOOKING"
    assert state(event) == before


def test_one_ticket_code_per_seat_is_required() -> None:
    event = given(new_event())
    with pytest.raises(ValueError, match="ticket code"):
        event.book(booking_id=uuid4(), user_id="u", user_name="U", category=None,
                   quantity=2, ticket_codes=["same", "same"], now=NOW)
    assert new_events(event) == []


class TestPerUserLimit:
    def test_a_user_may_book_up_to_the_limit(self) -> None:
        event = new_event(max_tickets_per_user=4)
        book(event, "alice", 2)
        event = given(event)

        book(event, "alice", 2)

        assert types(new_events(event)) == ["SeatsBooked"]

    def test_a_booking_beyond_the_limit_is_refused(self) -> None:
        event = new_event(max_tickets_per_user=4)
        book(event, "alice", 3)
        event = given(event)

        refused(event, "USER_LIMIT_EXCEEDED", user="alice", quantity=2)

    def test_a_single_booking_over_the_limit_is_refused(self) -> None:
        refused(given(new_event(max_tickets_per_user=2)), "USER_LIMIT_EXCEEDED", quantity=3)

    def test_the_limit_is_per_user(self) -> None:
        event = new_event(max_tickets_per_user=2)
        book(event, "alice", 2)
        event = given(event)

        book(event, "bob", 2)

        assert types(new_events(event)) == ["SeatsBooked"]

    def test_the_limit_counts_tickets_across_categories(self) -> None:
        event = new_event(max_tickets_per_user=3,
                          categories=categories(Stalls=5, Balcony=5))
        book(event, "alice", 2, "Stalls")
        event = given(event)

        refused(event, "USER_LIMIT_EXCEEDED", user="alice", quantity=2, category="Balcony")

    def test_cancelling_frees_the_allowance(self) -> None:
        event = new_event(max_tickets_per_user=2)
        first = book(event, "alice", 2)
        cancel(event, first, now=NOW)
        event = given(event)

        book(event, "alice", 2)

        assert types(new_events(event)) == ["SeatsBooked"]
        assert event.booked_by_user["alice"] == 2

    def test_the_limit_cannot_be_lowered_below_what_a_user_holds(self) -> None:
        event = new_event(max_tickets_per_user=4)
        book(event, "alice", 3)
        event = given(event)

        with pytest.raises(RuleBroken) as refused_:
            event.update_details({"max_tickets_per_user": 2}, now=NOW)
        assert refused_.value.code == "LIMIT_BELOW_HELD"


class TestCategoryResolution:
    def test_no_category_books_the_only_one(self) -> None:
        event = given(new_event())

        book(event, category=None)

        [booked] = new_events(event)
        assert booked.category == "General"
        assert resolve_category(event, None) == "General"

    def test_no_category_is_refused_when_there_are_several(self) -> None:
        refused(given(new_event(categories=categories(Stalls=5, Balcony=5))),
                "CATEGORY_REQUIRED", category=None)

    def test_an_unknown_category_is_refused(self) -> None:
        refused(given(new_event()), "UNKNOWN_CATEGORY", category="VIP")
