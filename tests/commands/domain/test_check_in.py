"""Checking a ticket in: once, and only a live ticket; a check-in taken back."""

from datetime import timedelta

import pytest

from commands.domain.errors import NotFound, RuleBroken
from commands.domain.event import Event
from tests.commands.given import (
    NOW,
    STARTS,
    book,
    cancel,
    cancel_event,
    check_in,
    codes_of,
    given,
    new_event,
    new_events,
    ref,
    refused,
    state,
    undo_check_in,
)


def test_check_in_marks_that_ticket_used_and_no_other() -> None:
    event = new_event()
    booking_id = book(event, quantity=2)
    first, second = codes_of(event, booking_id)
    event = given(event)

    check_in(event, first, now=STARTS)

    [checked_in] = new_events(event)
    assert isinstance(checked_in, Event.TicketCheckedIn)
    assert (checked_in.booking_id, checked_in.code, checked_in.checked_in_at) == (
        booking_id, first, STARTS)
    assert event.booking(booking_id)["tickets"] == {first: "used", second: "active"}


def test_a_used_ticket_cannot_be_checked_in_again() -> None:
    event = new_event()
    [code] = codes_of(event, book(event))
    check_in(event, code, now=STARTS)
    event = given(event)
    before = state(event)

    with pytest.raises(RuleBroken) as refusal:
        check_in(event, code, now=STARTS + timedelta(minutes=5))

    assert refusal.value.code == "TICKET_ALREADY_USED"
    assert new_events(event) == []
    assert state(event) == before


def test_a_ticket_of_a_cancelled_booking_cannot_be_checked_in() -> None:
    event = new_event()
    booking_id = book(event)
    [code] = codes_of(event, booking_id)
    cancel(event, booking_id, now=NOW)
    event = given(event)

    with pytest.raises(RuleBroken) as refusal:
        check_in(event, code, now=STARTS)

    assert refusal.value.code == "TICKET_CANCELLED"
    assert new_events(event) == []


def test_a_ticket_of_a_cancelled_event_cannot_be_checked_in() -> None:
    event = new_event()
    [code] = codes_of(event, book(event))
    cancel_event(event, now=NOW)
    event = given(event)

    with pytest.raises(RuleBroken) as refusal:
        check_in(event, code, now=STARTS)

    assert refusal.value.code == "TICKET_CANCELLED"


def test_an_unknown_ticket_is_not_found() -> None:
    event = new_event()
    book(event)
    event = given(event)

    with pytest.raises(NotFound) as refusal:
        check_in(event, "no-such-code", now=STARTS)

    assert refusal.value.code == "TICKET_NOT_FOUND"
    assert new_events(event) == []


def test_a_second_scan_is_refused_with_whose_ticket_it_is_and_when_it_was_checked_in() -> None:
    event = new_event()
    [code] = codes_of(event, book(event, "alice"))
    check_in(event, code, now=STARTS)
    event = given(event)

    with pytest.raises(RuleBroken) as refusal:
        check_in(event, code, now=STARTS + timedelta(minutes=5))

    assert refusal.value.facts == {"ticket": {
        "code": code, "status": "used", "name": "Alice", "category": "General",
        "checked_in_at": STARTS}}
    assert f"at {STARTS:%H:%M} UTC" in refusal.value.message


def test_a_check_in_undone_is_an_event_on_both_streams_and_the_ticket_scans_again() -> None:
    event = new_event()
    booking_id = book(event, quantity=2)
    first, second = codes_of(event, booking_id)
    check_in(event, first, now=STARTS)
    event = given(event)

    undo_check_in(event, first, now=STARTS + timedelta(minutes=1))

    [undone] = new_events(event)
    assert isinstance(undone, Event.TicketCheckInUndone)
    assert (undone.booking_id, undone.code) == (booking_id, first)
    assert event.booking(booking_id)["tickets"] == {first: "active", second: "active"}
    booking = ref(booking_id)
    assert [type(e).__name__ for e in booking.collect_events()][-2:] == [
        "TicketUsed", "TicketCheckInUndone"]
    assert booking.at_door(first)["checked_in_at"] is None
    check_in(event, first, now=STARTS + timedelta(minutes=2))  # live again at the door


def test_replaying_a_check_in_undone_gives_the_same_records() -> None:
    event = new_event()
    booking_id = book(event, quantity=2)
    first, _ = codes_of(event, booking_id)
    check_in(event, first, now=STARTS)
    undo_check_in(event, first, now=STARTS)
    expected = event.booking(booking_id)

    assert given(event).booking(booking_id) == expected


def test_only_a_checked_in_ticket_has_a_check_in_to_undo() -> None:
    event = new_event()
    [code] = codes_of(event, book(event))
    event = given(event)

    refused(event, lambda: undo_check_in(event, code, now=STARTS), "TICKET_NOT_CHECKED_IN")
    refused(event, lambda: undo_check_in(event, "no-such-code", now=STARTS),
            "TICKET_NOT_FOUND", NotFound)
