"""Checking a ticket in: once, and only a live ticket."""

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
    state,
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
