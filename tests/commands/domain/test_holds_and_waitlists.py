"""Checkout holds and waiting lines on the Event aggregate: given past events, when a hold, a
confirmation, a release, an expiry, a place in line or an offer, then its events or a refusal.
"""

from datetime import timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from commands.domain.actor import Actor
from commands.domain.checkout import DEFAULT_HOLD_SECONDS, hold_expiry
from commands.domain.claim import Claim, hold_claim, place_claim
from commands.domain.errors import DomainError
from commands.domain.event import Event
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
    replay,
    state,
    types,
)

_claims: dict[UUID, Claim] = {}


def hold(event: Event, user: str = "alice", quantity: int = 1, category: str | None = None,
         *, now: Any = NOW) -> UUID:
    hold_id = uuid4()
    event.hold(hold_id=hold_id, user_id=user, user_name=user.title(), category=category,
               quantity=quantity, now=now)
    _claims[hold_id] = hold_claim(event.pending_events[-1], event.id, "-")
    return hold_id


def confirm(event: Event, hold_id: UUID, *, now: Any = NOW, by: Actor | None = None) -> UUID:
    booking_id = uuid4()
    quantity = event.holds[str(hold_id)]["quantity"] if str(hold_id) in event.holds else 0
    event.confirm_hold(_claims[hold_id], booking_id=booking_id,
                       ticket_codes=[uuid4().hex for _ in range(quantity)], by=by, now=now)
    return booking_id


def join(event: Event, user: str, quantity: int = 1, category: str | None = None) -> UUID:
    place_id = uuid4()
    event.join_waitlist(place_id=place_id, user_id=user, user_name=user.title(),
                        category=category, quantity=quantity, now=NOW)
    _claims[place_id] = place_claim(event.pending_events[-1], event.id, "-")
    return place_id


def offer(event: Event, *, now: Any = NOW) -> list[UUID]:
    offers = event.offer_to_waitlist(now=now, new_hold_id=uuid4)
    for e in event.pending_events:
        if isinstance(e, Event.SeatsHeld) and e.hold_id in offers:
            _claims[e.hold_id] = hold_claim(e, event.id, "-")
    return offers


def code_of(call: Any) -> str:
    with pytest.raises(DomainError) as refusal:
        call()
    return str(refusal.value.code)


def test_a_hold_takes_seats_out_of_sale_until_it_expires() -> None:
    event = given(new_event(categories=categories(General=5)))

    hold_id = hold(event, "alice", 2)

    [held] = new_events(event)
    assert isinstance(held, Event.SeatsHeld)
    assert (held.hold_id, held.category, held.quantity) == (hold_id, "General", 2)
    assert held.unit_price == event.categories["General"]["price"]
    assert held.expires_at == NOW + timedelta(seconds=DEFAULT_HOLD_SECONDS)
    assert held.offer_for is None
    assert event.available("General") == 3
    assert event.available_seats == 3


def test_a_hold_never_outlasts_the_start_and_follows_the_events_hold_length() -> None:
    event = given(new_event(hold_seconds=180))
    assert hold_expiry(event, NOW) == NOW + timedelta(seconds=180)
    assert hold_expiry(event, STARTS - timedelta(minutes=1)) == STARTS


def test_holds_count_against_capacity_and_the_per_user_limit() -> None:
    event = given(new_event(categories=categories(General=3), max_tickets_per_user=2))
    hold(event, "alice", 2)
    assert code_of(lambda: hold(event, "alice", 1)) == "USER_LIMIT_EXCEEDED"
    assert code_of(lambda: book(event, "alice", 1)) == "USER_LIMIT_EXCEEDED"
    assert code_of(lambda: book(event, "bob", 2)) == "NOT_ENOUGH_SEATS"
    hold(event, "bob", 1)
    assert code_of(lambda: hold(event, "carol", 1)) == "SOLD_OUT"


def test_confirming_books_the_held_seats_at_the_held_price() -> None:
    event = given(new_event(categories=categories(General=5)))
    hold_id = hold(event, "alice", 2)
    price = event.categories["General"]["price"]
    event.set_category("General", Decimal("99.00"), 5)
    event.collect_events()

    booking_id = confirm(event, hold_id)

    made = new_events(event)
    assert types(made) == ["SeatsBooked"]
    booked = made[-1]
    assert (booked.booking_id, booked.quantity, booked.unit_price) == (
        booking_id, 2, price)
    assert (booked.hold_id, booked.offer_for) == (hold_id, None)
    assert event.holds == {}
    assert event.categories["General"]["sold"] == 2 and event.available("General") == 3


def test_a_hold_is_confirmed_once_by_its_buyer_before_it_expires() -> None:
    event = given(new_event())
    hold_id = hold(event, "alice")
    assert code_of(lambda: confirm(event, hold_id, by=Actor("bob", admin=False))) \
        == "HOLD_NOT_FOUND"
    expiry = event.holds[str(hold_id)]["expires_at"]
    assert code_of(lambda: confirm(event, hold_id, now=expiry)) == "HOLD_EXPIRED"
    confirm(event, hold_id)
    assert code_of(lambda: confirm(event, hold_id)) == "HOLD_ENDED"


def test_an_expired_hold_gives_its_seats_back_once() -> None:
    event = given(new_event(categories=categories(General=2)))
    hold_id = hold(event, "alice", 2)
    event.collect_events()
    later = NOW + timedelta(seconds=DEFAULT_HOLD_SECONDS)

    assert event.expire_holds(now=later - timedelta(seconds=1)) == 0
    assert event.expire_holds(now=later) == 1
    assert event.expire_holds(now=later) == 0

    [expired] = new_events(event)
    assert isinstance(expired, Event.HoldExpired)
    assert (expired.hold_id, expired.category, expired.quantity) == (hold_id, "General", 2)
    assert event.available("General") == 2
    assert code_of(lambda: confirm(event, hold_id, now=later)) == "HOLD_EXPIRED"


def test_a_hold_is_kept_for_its_payment_once_and_no_longer_than_a_hold_length() -> None:
    event = given(new_event(categories=categories(General=2)))
    hold_id = hold(event, "alice", 2)
    event.collect_events()
    paying = NOW + timedelta(seconds=DEFAULT_HOLD_SECONDS - 30)  # its payment begins late

    assert code_of(lambda: event.keep_hold_for_payment(
        _claims[hold_id], by=Actor("bob", admin=False), now=paying)) == "HOLD_NOT_FOUND"
    event.keep_hold_for_payment(_claims[hold_id], by=Actor("alice", admin=False), now=paying)
    event.keep_hold_for_payment(_claims[hold_id], by=None, now=paying + timedelta(seconds=20))

    [kept] = new_events(event)  # once: trying card after card keeps the seats no longer
    assert isinstance(kept, Event.HoldKeptForPayment)
    assert kept.expires_at == hold_expiry(event, paying)
    first_expiry = NOW + timedelta(seconds=DEFAULT_HOLD_SECONDS)
    assert event.expire_holds(now=first_expiry) == 0  # not under the buyer while paying
    confirm(event, hold_id, now=first_expiry + timedelta(seconds=60))


def test_an_expired_hold_is_not_kept_for_a_payment() -> None:
    event = given(new_event())
    hold_id = hold(event, "alice")
    expiry = event.holds[str(hold_id)]["expires_at"]
    assert code_of(lambda: event.keep_hold_for_payment(_claims[hold_id], by=None,
                                                       now=expiry)) == "HOLD_EXPIRED"


def test_a_released_hold_frees_its_seats_and_cannot_be_confirmed() -> None:
    event = given(new_event(categories=categories(General=1)))
    hold_id = hold(event, "alice")
    event.release_hold(_claims[hold_id], by=Actor("alice", admin=False), now=NOW)
    assert event.available("General") == 1
    assert code_of(lambda: confirm(event, hold_id)) == "HOLD_ENDED"


def test_capacity_cannot_go_below_what_is_sold_and_held() -> None:
    event = given(new_event(categories=categories(General=4)))
    book(event, "alice", 1)
    hold(event, "bob", 2)
    assert code_of(lambda: event.set_category("General", Decimal("10"), 2)) \
        == "CAPACITY_BELOW_SOLD"


def test_the_line_is_joined_only_when_sold_out_and_once() -> None:
    event = given(new_event(categories=categories(General=1)))
    assert code_of(lambda: join(event, "bob")) == "NOT_SOLD_OUT"
    book(event, "alice", 1)
    join(event, "bob")
    assert code_of(lambda: join(event, "bob")) == "ALREADY_IN_LINE"
    assert code_of(lambda: join(event, "carol", 2)) == "NOT_ENOUGH_SEATS"  # more than exist


def test_seats_released_are_owed_to_the_line_and_offered_in_order() -> None:
    event = given(new_event(categories=categories(General=2)))
    first = book(event, "alice", 2)
    bob, carol = join(event, "bob"), join(event, "carol")
    assert event.rank_of(bob) == 1 and event.rank_of(carol) == 2
    cancel(event, first)

    assert event.available("General") == 0  # walk-ups cannot take what the line is owed
    assert code_of(lambda: book(event, "dave", 1)) == "SOLD_OUT"
    offers = offer(event)

    assert [event.holds[str(h)]["user_id"] for h in offers] == ["bob", "carol"]
    assert [event.holds[str(h)]["offer_for"] for h in offers] == [str(bob), str(carol)]
    assert event.waitlist == {} and offer(event) == []


def test_an_offer_not_taken_passes_to_the_next_in_line() -> None:
    event = given(new_event(categories=categories(General=1)))
    first = book(event, "alice", 1)
    join(event, "bob")
    join(event, "carol")
    cancel(event, first)
    [to_bob] = offer(event)
    expiry = event.holds[str(to_bob)]["expires_at"]

    assert event.expire_holds(now=expiry) == 1
    [to_carol] = offer(event, now=expiry)

    assert event.holds[str(to_carol)]["user_id"] == "carol"


def test_leaving_the_line_gives_up_the_place() -> None:
    event = given(new_event(categories=categories(General=1)))
    book(event, "alice", 1)
    bob = join(event, "bob")
    carol = join(event, "carol")
    assert code_of(lambda: event.leave_waitlist(_claims[bob], by=Actor("carol", admin=False),
                                            now=NOW)) == "PLACE_NOT_FOUND"
    event.leave_waitlist(_claims[bob], by=Actor("bob", admin=False), now=NOW)
    assert event.rank_of(carol) == 1 and event.rank_of(bob) is None
    assert event.waitlisted_by_category == {"General": 1}


def test_a_closed_event_ends_its_holds_and_lines() -> None:
    event = given(new_event(categories=categories(General=1)))
    hold(event, "alice")
    cancel_event(event)
    assert (event.holds, event.held_by_category, event.waitlist) == ({}, {}, {})
    assert offer(event) == []


def test_replaying_the_stream_rebuilds_holds_and_lines_exactly() -> None:
    event = new_event(categories=categories(General=2, VIP=1))
    first = book(event, "alice", 2, "General")
    erin = hold(event, "erin", 1, "VIP")
    event.keep_hold_for_payment(_claims[erin], by=None, now=NOW + timedelta(seconds=60))
    join(event, "bob", 1, "General")
    join(event, "carol", 1, "VIP")
    cancel(event, first)
    offer(event)

    rebuilt = replay(event.collect_events())

    assert state(rebuilt) == state(event)
    assert rebuilt.holds == event.holds and rebuilt.waitlist == event.waitlist
    assert rebuilt.waitlisted_by_category == event.waitlisted_by_category
    assert rebuilt.held_by_category == event.held_by_category
    assert rebuilt.fork().holds == event.holds


def test_the_hold_length_is_bounded() -> None:
    assert code_of(lambda: new_event(hold_seconds=4)) == "INVALID_EVENT"
    assert code_of(lambda: new_event(hold_seconds=3601)) == "INVALID_EVENT"
    event = given(new_event())
    assert code_of(lambda: event.update_details({"hold_seconds": 0}, now=NOW)) == "INVALID_EVENT"
    event.update_details({"hold_seconds": 60}, now=NOW)
    assert event.hold_seconds == 60


def test_a_snapshot_taken_before_holds_loads_with_none() -> None:
    state_v3: dict[str, Any] = {}
    Event.upcast_v3_v4(state_v3)
    assert state_v3 == {"hold_seconds": None, "holds": {}, "on_hold": {}, "holding": {},
                        "line": {}, "waiting": {}}
