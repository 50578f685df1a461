"""Changing an event: capacity up, or down no further than sold; details re-checked."""

from datetime import timedelta
from decimal import Decimal

import pytest

from commands.domain.event import Event
from tests.commands.given import (
    NOW,
    STARTS,
    book,
    cancel,
    cancel_event,
    given,
    new_event,
    new_events,
    refused,
    types,
)


class TestCapacity:
    def test_capacity_can_be_raised(self) -> None:
        event = new_event()
        book(event, quantity=5)
        event = given(event)

        event.set_category("General", Decimal("25.50"), 8)

        [changed] = new_events(event)
        assert isinstance(changed, Event.CategoryChanged)
        assert (changed.name, changed.price, changed.capacity) == ("General", Decimal("25.50"), 8)
        assert event.available("General") == 3

    def test_capacity_can_be_lowered_down_to_what_is_sold(self) -> None:
        event = new_event()
        book(event, quantity=3)
        event = given(event)

        event.set_category("General", Decimal("25.50"), 3)

        assert types(new_events(event)) == ["CategoryChanged"]
        assert event.available("General") == 0

    def test_capacity_cannot_be_lowered_below_what_is_sold(self) -> None:
        event = new_event()
        book(event, quantity=3)
        event = given(event)

        refused(event, lambda: event.set_category("General", Decimal("25.50"), 2),
                "CAPACITY_BELOW_SOLD")

    def test_seats_freed_by_a_cancellation_allow_a_lower_capacity(self) -> None:
        event = new_event()
        booking_id = book(event, quantity=3)
        cancel(event, booking_id, now=NOW)
        event = given(event)

        event.set_category("General", Decimal("25.50"), 1)

        assert event.total_seats == 1

    def test_a_new_category_can_be_added(self) -> None:
        event = given(new_event())

        event.set_category("VIP", Decimal("100.00"), 2)

        [added] = new_events(event)
        assert isinstance(added, Event.CategoryAdded)
        assert (added.name, added.price, added.capacity) == ("VIP", Decimal("100.00"), 2)
        assert event.total_seats == 7

    def test_setting_a_category_to_what_it_is_records_nothing(self) -> None:
        event = given(new_event())

        event.set_category("General", Decimal("25.50"), 5)

        assert new_events(event) == []

    @pytest.mark.parametrize(("price", "capacity", "code"), [
        (Decimal("-1"), 5, "INVALID_PRICE"),
        (Decimal("1.001"), 5, "INVALID_PRICE"),
        (Decimal("10"), -1, "INVALID_CAPACITY"),
    ])
    def test_a_category_needs_a_valid_price_and_capacity(
        self, price: Decimal, capacity: int, code: str
    ) -> None:
        event = given(new_event())

        refused(event, lambda: event.set_category("General", price, capacity), code)

    @pytest.mark.parametrize("price", ["Infinity", "NaN"])
    def test_a_non_finite_price_is_an_invalid_price(self, price: str) -> None:
        event = given(new_event())

        refused(event, lambda: event.set_category("General", Decimal(price), 5), "INVALID_PRICE")

    def test_categories_of_a_cancelled_event_cannot_change(self) -> None:
        event = new_event()
        cancel_event(event, now=NOW)
        event = given(event)

        refused(event, lambda: event.set_category("General", Decimal(1), 9), "EVENT_CANCELLED")


class TestDetails:
    def test_only_changed_details_are_recorded(self) -> None:
        event = given(new_event())

        event.update_details({"name": "Concert", "venue": "Small Hall", "bogus": 1}, now=NOW)

        [updated] = new_events(event)
        assert isinstance(updated, Event.DetailsUpdated)
        assert updated.changes == {"venue": "Small Hall"}
        assert event.venue == "Small Hall"

    def test_unchanged_details_record_nothing(self) -> None:
        event = given(new_event())

        event.update_details({"name": "Concert"}, now=NOW)

        assert new_events(event) == []

    def test_the_start_cannot_move_into_the_past(self) -> None:
        event = given(new_event())

        refused(event, lambda: event.update_details(
            {"starts_at": NOW - timedelta(hours=1)}, now=NOW), "STARTS_IN_PAST")

    def test_the_end_cannot_move_before_the_start(self) -> None:
        event = given(new_event())

        refused(event, lambda: event.update_details(
            {"ends_at": STARTS - timedelta(hours=1)}, now=NOW), "INVALID_EVENT")

    def test_details_of_a_completed_event_cannot_change(self) -> None:
        event = new_event()
        event.complete(now=STARTS)
        event = given(event)

        refused(event, lambda: event.update_details({"venue": "Elsewhere"}, now=STARTS),
                "EVENT_COMPLETED")
