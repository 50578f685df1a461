"""Property: whatever commands arrive, in whatever order, the inventory stays sound."""

from collections import Counter
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from commands.domain.errors import DomainError
from commands.domain.event import Event
from tests.commands.given import (
    NOW,
    book,
    cancel,
    cancel_event,
    categories,
    check_in,
    new_event,
    replay,
    state,
)

USERS = ("ann", "bob", "cat")
CATEGORIES = ("Stalls", "Balcony")
LIMIT = 4


class EventInventory(RuleBasedStateMachine):
    """Random bookings, cancellations, check-ins, capacity changes and event cancels."""

    @initialize(stalls=st.integers(1, 6), balcony=st.integers(1, 6))
    def create(self, stalls: int, balcony: int) -> None:
        self.event = new_event(categories=categories(Stalls=stalls, Balcony=balcony),
                               max_tickets_per_user=LIMIT)
        self.history: list[Any] = list(self.event.collect_events())
        self.bookings: list[UUID] = []

    def attempt(self, command: Any) -> None:
        """Run a command; a refusal must leave no trace, success is added to history."""
        before = state(self.event)
        try:
            command()
        except DomainError:
            assert self.event.collect_events() == []
            assert state(self.event) == before
        else:
            self.history += self.event.collect_events()

    @rule(user=st.sampled_from(USERS), quantity=st.integers(0, 5),
          category=st.sampled_from((*CATEGORIES, None)))
    def book(self, user: str, quantity: int, category: str | None) -> None:
        booking_id = uuid4()
        self.attempt(lambda: book(self.event, user, quantity, category, booking_id=booking_id))
        if str(booking_id) in self.event.bookings:
            self.bookings.append(booking_id)

    @precondition(lambda self: self.bookings)
    @rule(data=st.data())
    def cancel_booking(self, data: st.DataObject) -> None:
        booking_id = data.draw(st.sampled_from(self.bookings))
        self.attempt(lambda: cancel(self.event, booking_id, now=NOW))

    @precondition(lambda self: self.event.ticket_index)
    @rule(data=st.data())
    def check_in(self, data: st.DataObject) -> None:
        code = data.draw(st.sampled_from(sorted(self.event.ticket_index)))
        self.attempt(lambda: check_in(self.event, code, now=NOW))

    @rule(name=st.sampled_from(CATEGORIES), capacity=st.integers(0, 8),
          price=st.decimals(0, 50, places=2))
    def set_category(self, name: str, capacity: int, price: Decimal) -> None:
        self.attempt(lambda: self.event.set_category(name, price, capacity))

    @rule()
    def cancel_event(self) -> None:
        self.attempt(lambda: cancel_event(self.event, now=NOW))

    def confirmed(self) -> list[dict[str, Any]]:
        return [dict(b) for b in self.event.bookings.values() if b["status"] == "confirmed"]

    @invariant()
    def sold_never_exceeds_capacity(self) -> None:
        for c in self.event.categories.values():
            assert 0 <= c["sold"] <= c["capacity"]

    @invariant()
    def sold_is_the_sum_of_confirmed_bookings(self) -> None:
        per_category: Counter[str] = Counter()
        for b in self.confirmed():
            per_category[b["category"]] += b["quantity"]
        assert {n: c["sold"] for n, c in self.event.categories.items()} == {
            n: per_category[n] for n in self.event.categories
        }

    @invariant()
    def sold_is_what_the_events_say(self) -> None:
        booked: Counter[str] = Counter()
        for e in self.history:
            if isinstance(e, Event.SeatsBooked):
                booked[e.category] += e.quantity
            elif isinstance(e, Event.BookingCancelled):
                booked[e.category] -= e.quantity
        assert all(booked[n] == c["sold"] for n, c in self.event.categories.items())

    @invariant()
    def no_user_holds_more_than_the_limit(self) -> None:
        held: Counter[str] = Counter()
        for b in self.confirmed():
            held[b["user_id"]] += b["quantity"]
        assert all(n <= LIMIT for n in held.values())
        assert {u: n for u, n in self.event.booked_by_user.items() if n} == dict(held)

    @invariant()
    def nothing_is_left_pending(self) -> None:
        assert self.event.pending_events == []

    def teardown(self) -> None:
        if hasattr(self, "event"):
            assert state(replay(self.history)) == state(self.event)


EventInventory.TestCase.settings = settings(max_examples=200, stateful_step_count=30,
                                            deadline=None)
test_event_inventory = EventInventory.TestCase
