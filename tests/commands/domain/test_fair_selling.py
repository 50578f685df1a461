"""One buyer never decides for the others: the line is owed only seats that come back, its
first place never blocks those behind it, places and holds count toward the per-user limit,
and one buyer's open holds are bounded and cannot be chained."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from commands.domain.actor import Actor
from commands.domain.checkout import DEFAULT_HOLD_SECONDS, MIN_LAPSES_KEPT
from commands.domain.errors import DomainError
from commands.domain.event import Event
from commands.domain.seats import MAX_OPEN_SEATS_PER_USER
from tests.commands.domain.test_holds_and_waitlists import (
    _claims,
    code_of,
    confirm,
    hold,
    join,
    offer,
)
from tests.commands.given import NOW, book, cancel, categories, given, new_event, new_events


def test_seats_on_sale_when_a_place_is_taken_stay_on_sale_to_everyone() -> None:
    event = given(new_event(categories=categories(General=10)))
    book(event, "alice", 4)

    assert code_of(lambda: join(event, "mallory", 10)) == "NOT_SOLD_OUT"
    with pytest.raises(DomainError, match=r"^6 seats of 'General' are on sale: book or hold them$"):
        join(event, "mallory", 10)
    assert event.available("General") == 6
    book(event, "bob", 1)
    hold(event, "carol", 1)


def test_the_first_in_line_is_offered_what_came_back_and_never_blocks_the_others() -> None:
    event = given(new_event(categories=categories(General=3)))
    first = book(event, "alice", 1)
    book(event, "zed", 2)
    join(event, "bob", 2)
    carol = join(event, "carol", 1)
    event.collect_events()
    cancel(event, first)

    [to_bob] = offer(event)

    assert event.holds[str(to_bob)]["quantity"] == 1  # what came back, not all it wanted
    offered = [e for e in new_events(event) if isinstance(e, Event.SeatsHeld)]
    assert [(e.quantity, e.waited_for) for e in offered] == [(1, 2)]
    assert event.rank_of(carol) == 1 and event.waitlisted_by_category == {"General": 1}
    event.release_hold(_claims[to_bob], by=Actor("bob", admin=False), now=NOW)
    [to_carol] = offer(event)
    assert event.holds[str(to_carol)]["user_id"] == "carol"


def test_places_in_line_count_toward_the_per_user_limit() -> None:
    event = given(new_event(categories=categories(General=6), max_tickets_per_user=2))
    book(event, "alice", 2)
    gone = [book(event, "zed", 2), book(event, "yan", 2)]
    join(event, "bob", 2)
    for booking in gone:
        cancel(event, booking)  # two seats owed to bob's place, two on sale to anyone

    assert code_of(lambda: book(event, "bob", 1)) == "USER_LIMIT_EXCEEDED"
    [to_bob] = offer(event)
    confirm(event, to_bob)
    assert event.booked_by_user["bob"] == 2


def test_a_walk_up_booking_beside_a_place_cannot_pass_the_limit() -> None:
    event = given(new_event(categories=categories(General=2, VIP=2), max_tickets_per_user=2))
    book(event, "alice", 2, "General")
    join(event, "bob", 2, "General")

    assert code_of(lambda: book(event, "bob", 1, "VIP")) == "USER_LIMIT_EXCEEDED"
    assert code_of(lambda: hold(event, "bob", 1, "VIP")) == "USER_LIMIT_EXCEEDED"


def test_an_offer_or_a_confirmation_never_takes_a_buyer_past_a_lowered_limit() -> None:
    event = given(new_event(categories=categories(General=2, VIP=6), max_tickets_per_user=4))
    first = book(event, "alice", 2, "General")
    join(event, "bob", 2, "General")
    book(event, "bob", 2, "VIP")
    held = hold(event, "dan", 2, "VIP")
    book(event, "dan", 2, "VIP")
    event.update_details({"max_tickets_per_user": 2}, now=NOW)
    cancel(event, first)

    assert offer(event) == []  # bob has the limit's 2 already: his place is passed
    assert event.waitlist == {} and event.available("General") == 2
    assert code_of(lambda: confirm(event, held)) == "USER_LIMIT_EXCEEDED"


def test_one_buyers_open_seats_on_an_event_are_bounded_without_a_limit() -> None:
    event = given(new_event(categories=categories(General=300)))
    for buyer in ("mallory", "trudy"):
        for _ in range(5):
            try:
                hold(event, buyer, 5)
            except Exception:
                break
    assert event.available("General") == 300 - 2 * MAX_OPEN_SEATS_PER_USER
    assert code_of(lambda: hold(event, "mallory", 1)) == "TOO_MANY_HOLDS"


def test_a_lapsed_hold_cannot_be_chained_into_the_next() -> None:
    event = given(new_event(categories=categories(General=5)))
    first = hold(event, "mallory", 2)
    expiry = event.holds[str(first)]["expires_at"]
    event.expire_holds(now=expiry)

    assert code_of(lambda: hold(event, "mallory", 2, now=expiry)) == "HOLD_TOO_SOON"
    book(event, "mallory", 1, now=expiry)  # buying outright is never held back
    again = expiry + timedelta(seconds=DEFAULT_HOLD_SECONDS)
    mallory = Actor("mallory", admin=False)
    event.release_hold(_claims[hold(event, "mallory", 2, now=again)], by=mallory, now=again)
    # A change of mind costs nothing; releasing again within a hold length is a chain.
    later = again + timedelta(seconds=1)
    event.release_hold(_claims[hold(event, "mallory", 1, now=later)], by=mallory, now=later)
    try:
        hold(event, "mallory", 1, now=later)
    except DomainError as refused:
        assert refused.code == "HOLD_TOO_SOON"
        assert refused.facts == {"may_hold_again_at": later + timedelta(
            seconds=DEFAULT_HOLD_SECONDS)}  # said to the buyer: until when
    else:
        raise AssertionError("a chained release let its buyer hold again at once")
    hold(event, "trudy", 1, now=later)


def test_a_buyer_who_releases_their_hold_may_reserve_again_at_once() -> None:
    event = given(new_event(categories=categories(General=5)))
    held = hold(event, "alice", 2)
    event.release_hold(_claims[held], by=Actor("alice", admin=False), now=NOW)
    [released] = [e for e in new_events(event) if isinstance(e, Event.HoldReleased)]
    assert released.lapses is False
    hold(event, "alice", 3)  # another quantity, at once
    # Her next free release is one hold length after this one.
    assert event.released_freely == {"alice": NOW + timedelta(seconds=DEFAULT_HOLD_SECONDS)}


def test_a_release_stored_before_free_releases_lapses_as_it_did() -> None:
    event = given(new_event(categories=categories(General=5)))
    held = hold(event, "alice", 2)
    stored = event.holds[str(held)]
    # The applier as a release stored before free releases calls it: no `lapses`.
    event._hold_released(hold_id=held, user_id="alice", category=stored["category"],
                         quantity=stored["quantity"], offer_for=None, released_by="customer",
                         released_at=NOW)
    assert code_of(lambda: hold(event, "alice", 1)) == "HOLD_TOO_SOON"
    assert event.released_freely == {}


def test_a_hold_an_admin_releases_is_not_held_against_its_buyer() -> None:
    event = given(new_event(categories=categories(General=5)))
    held = hold(event, "alice", 2)
    event.release_hold(_claims[held], by=Actor("root", admin=True), now=NOW)
    hold(event, "alice", 2)


def test_a_snapshot_taken_before_the_bounds_loads_with_its_places_counted() -> None:
    place = {"user_id": "bob", "category": "General", "quantity": 2, "user_name": "Bob",
             "joined_at": NOW}
    state_v4: dict[str, Any] = {"line": {"p": place}}
    Event.upcast_v4_v5(state_v4)
    assert state_v4["placed"] == {"bob": 2} and state_v4["lapsed"] == {}


def test_lapses_over_are_pruned_so_the_record_stays_that_of_those_running() -> None:
    event = given(new_event(categories=categories(General=5), hold_seconds=60))
    for i in range(10 * MIN_LAPSES_KEPT):  # each lapse over before the next buyer's
        now = NOW + timedelta(seconds=130 * i)
        lapsing = hold(event, f"buyer{i}", 1, now=now)
        event.expire_holds(now=event.holds[str(lapsing)]["expires_at"])

    assert len(event.may_hold_again_at) <= 2 * MIN_LAPSES_KEPT
    assert f"buyer{10 * MIN_LAPSES_KEPT - 1}" in event.may_hold_again_at


def test_a_snapshot_taken_before_the_counts_were_renamed_loads_the_same() -> None:
    event = given(new_event(categories=categories(General=3)))
    book(event, "alice", 1)
    lapsing = hold(event, "carol", 1)
    hold(event, "dan", 1, now=NOW + timedelta(seconds=1))
    join(event, "bob", 1)
    event.expire_holds(now=event.holds[str(lapsing)]["expires_at"])
    v6: Any = Event.Snapshot.take(event)
    v5_names = {"booked_by_user": "held", "held_by_user": "holding",
                "waitlisted_by_user": "placed", "held_by_category": "on_hold",
                "waitlisted_by_category": "waiting", "waitlist": "line",
                "may_hold_again_at": "lapsed"}
    state = {v5_names.get(k, k): v for k, v in v6.state.items()} | {"class_version": 5}
    v5 = Event.Snapshot(originator_id=v6.originator_id, originator_version=v6.originator_version,
                        timestamp=v6.timestamp, topic=v6.topic, state=state)

    loaded: Any = v5.mutate(None)

    assert vars(loaded) == vars(event) | {"_pending_events": []}
    assert (loaded.booked_by_user, loaded.held_by_user, loaded.waitlisted_by_user) == (
        {"alice": 1}, {"carol": 0, "dan": 1}, {"bob": 1})
    assert "carol" in loaded.may_hold_again_at and loaded.rank_of(next(iter(loaded.waitlist)))


def test_a_snapshot_taken_before_waitlisted_seats_were_named_so_loads_the_same() -> None:
    event = given(new_event(categories=categories(General=1)))
    book(event, "alice", 1)
    join(event, "bob", 1)
    v9: Any = Event.Snapshot.take(event)
    v8_names = {"waitlisted_by_user": "waited_for_by_user",
                "waitlisted_by_category": "waited_for_by_category"}
    state = {v8_names.get(k, k): v for k, v in v9.state.items()} | {"class_version": 8}
    v8 = Event.Snapshot(originator_id=v9.originator_id, originator_version=v9.originator_version,
                        timestamp=v9.timestamp, topic=v9.topic, state=state)

    loaded: Any = v8.mutate(None)

    assert vars(loaded) == vars(event) | {"_pending_events": []}
    assert (loaded.waitlisted_by_category, loaded.waitlisted_by_user) == ({"General": 1},
                                                                          {"bob": 1})


def test_prices_unchanged_by_a_partial_offer() -> None:
    event = given(new_event(categories=categories(General=2)))
    first = book(event, "alice", 1)
    book(event, "zed", 1)
    join(event, "bob", 2)
    cancel(event, first)
    [to_bob] = offer(event)
    assert event.holds[str(to_bob)]["unit_price"] == Decimal(10)


def test_a_fork_counts_its_own_places_and_lapses_and_leaves_the_originals() -> None:
    event = given(new_event(categories=categories(General=2)))
    book(event, "alice", 1)
    lapsing = hold(event, "carol", 1)
    fork = event.fork()
    join(fork, "bob", 1)
    fork.expire_holds(now=fork.holds[str(lapsing)]["expires_at"])

    assert (event.waitlisted_by_user, event.may_hold_again_at) == ({}, {})
    assert fork.waitlisted_by_user == {"bob": 1} and "carol" in fork.may_hold_again_at
