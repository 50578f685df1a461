"""An event's life once it starts, and cancellations that say who and why.

Given an event starting at STARTS and ending three hours later: its organizer cancels it only
until it starts (409 EVENT_STARTED after), an admin at any time, with a reason once it started
(REASON_REQUIRED); the scheduler's completion happens once the event is over, and only once.
A customer's booking is cancelled by its holder, or with a reason by the event's organizers or
an admin; both streams record who cancelled it and why.
"""

from datetime import timedelta
from functools import partial

import pytest

from commands.domain.actor import Actor
from commands.domain.errors import Conflict, DomainError, NotFound
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
    ref,
    refused,
    types,
)

ORGANIZER = Actor("org-1")
CO_ORGANIZER = Actor("co-1")
ADMIN = Actor("admin-1", admin=True)
STARTED = STARTS + timedelta(minutes=1)
OVER = STARTS + timedelta(hours=3)  # new_event ends three hours after it starts


def organized() -> Event:
    """An event of ORGANIZER's, co-organized by CO_ORGANIZER, with nothing pending."""
    event = new_event(organizer_id=ORGANIZER.id, organizer_name="Org")
    event.add_co_organizer(user_id=CO_ORGANIZER.id, user_name="Co", by=ADMIN)
    return event


class TestCancellingAnEvent:
    def test_its_organizer_cancels_it_before_it_starts_without_a_reason(self) -> None:
        event = organized()
        booking_id = book(event, "alice")
        event = given(event)

        cancel_event(event, by=ORGANIZER)

        refund, cancelled = new_events(event)
        assert isinstance(cancelled, Event.EventCancelled)
        assert (cancelled.cancelled_by, cancelled.reason) == ("organizer", None)
        assert isinstance(refund, Event.BookingCancelled)
        assert (refund.reason, refund.cancelled_by, refund.stated_reason) == (
            "event_cancelled", "organizer", None)
        assert event.booking(booking_id)["cancelled_by"] == "organizer"

    def test_once_started_its_organizer_may_not(self) -> None:
        event = given(organized())
        refused(event, lambda: cancel_event(event, now=STARTED, by=ORGANIZER, reason="Rain"),
                "EVENT_STARTED", Conflict)
        assert event.status == "active"

    def test_once_started_an_admin_needs_a_reason(self) -> None:
        event = given(organized())
        for blank in (None, "", "   "):
            refused(event, partial(cancel_event, event, now=STARTED, by=ADMIN, reason=blank),
                    "REASON_REQUIRED", DomainError)
        assert event.status == "active"

    def test_an_admin_cancels_a_started_event_with_the_reason_on_every_booking(self) -> None:
        event = organized()
        first, second = book(event, "alice"), book(event, "bob", 2)
        event = given(event)

        cancel_event(event, now=STARTED, by=ADMIN, reason="  The venue flooded ")

        new = new_events(event)
        assert types(new) == ["BookingCancelled", "BookingCancelled", "EventCancelled"]
        assert (new[-1].cancelled_by, new[-1].reason) == ("admin", "The venue flooded")
        assert {(e.booking_id, e.cancelled_by, e.stated_reason) for e in new[:2]} == {
            (first, "admin", "The venue flooded"), (second, "admin", "The venue flooded")}
        assert ref(second).cancellation_reason == "The venue flooded"
        assert ref(second).cancelled_by == "admin"
        assert event.status == "cancelled"

    def test_the_reason_survives_replay(self) -> None:
        event = organized()
        booking_id = book(event, "alice")
        cancel_event(event, now=STARTED, by=ADMIN, reason="Storm")

        replayed = given(event)

        assert replayed.status == "cancelled"
        booking = replayed.booking(booking_id)
        assert (booking["cancelled_by"], booking["cancellation_reason"]) == ("admin", "Storm")


class TestCancellingAnothersBooking:
    def test_its_holder_cancels_it_with_or_without_a_reason(self) -> None:
        event = organized()
        quiet, said = book(event, "alice"), book(event, "alice")
        event = given(event)

        cancel(event, quiet, by=Actor("alice"))
        cancel(event, said, by=Actor("alice"), reason="Cannot come")

        first, second = new_events(event)
        assert (first.reason, first.cancelled_by, first.stated_reason) == (
            "customer", "customer", None)
        assert (second.cancelled_by, second.stated_reason) == ("customer", "Cannot come")

    @pytest.mark.parametrize(("who", "role"), [(ORGANIZER, "organizer"),
                                               (CO_ORGANIZER, "organizer"), (ADMIN, "admin")])
    def test_its_events_organizers_and_admins_cancel_it_with_a_reason(
        self, who: Actor, role: str
    ) -> None:
        event = organized()
        booking_id = book(event, "alice", 2)
        event = given(event)
        refused(event, lambda: cancel(event, booking_id, by=who), "REASON_REQUIRED",
                DomainError)

        cancel(event, booking_id, by=who, reason="Duplicate order")

        [cancelled] = new_events(event)
        assert (cancelled.reason, cancelled.cancelled_by, cancelled.stated_reason) == (
            role, role, "Duplicate order")
        booking = ref(booking_id)
        assert (booking.status, booking.cancelled_by, booking.cancellation_reason) == (
            "cancelled", role, "Duplicate order")
        assert event.categories["General"]["sold"] == 0

    def test_anyone_else_finds_no_such_booking(self) -> None:
        event = organized()
        booking_id = book(event, "alice")
        event = given(event)
        for stranger in (Actor("bob"), Actor("org-2")):
            refused(event, partial(cancel, event, booking_id, by=stranger, reason="Mine"),
                    "BOOKING_NOT_FOUND", NotFound)


class TestCompletingOnceOver:
    def test_nothing_happens_before_the_end(self) -> None:
        event = given(organized())
        for moment in (NOW, STARTED, OVER - timedelta(seconds=1)):
            assert event.complete_when_over(now=moment) is False
        assert new_events(event) == [] and event.status == "active"

    def test_the_end_completes_it_once(self) -> None:
        event = given(organized())

        assert event.complete_when_over(now=OVER) is True
        assert event.complete_when_over(now=OVER + timedelta(seconds=5)) is False

        [completed] = new_events(event)
        assert isinstance(completed, Event.EventCompleted)
        assert completed.completed_at == OVER
        assert event.status == "completed"

    def test_without_an_end_its_start_is_its_end(self) -> None:
        event = given(new_event(ends_at=None))
        assert event.complete_when_over(now=STARTS) is True

    def test_a_cancelled_event_is_left_as_it_is(self) -> None:
        event = organized()
        cancel_event(event, by=ORGANIZER)
        event = given(event)

        assert event.complete_when_over(now=OVER) is False
        assert new_events(event) == [] and event.status == "cancelled"
