"""Cancelling a booking or a whole event: seats come back, refunds are recorded, never twice."""

from datetime import timedelta
from decimal import Decimal
from uuid import uuid4

from commands.domain.actor import Actor
from commands.domain.errors import NotFound
from commands.domain.event import Event
from tests.commands.given import (
    NOW,
    STARTS,
    book,
    cancel,
    cancel_event,
    categories,
    check_in,
    codes_of,
    given,
    new_event,
    new_events,
    ref,
    refused,
    types,
)

ORGANIZER = Actor("org-1")
ADMIN = Actor("admin-1", admin=True)


class TestCancelBooking:
    def test_cancelling_records_a_refund_of_what_was_paid(self) -> None:
        event = new_event()
        booking_id = book(event, "alice", 2)
        event = given(event)

        cancel(event, booking_id, now=NOW)

        [cancelled] = new_events(event)
        assert isinstance(cancelled, Event.BookingCancelled)
        assert cancelled.booking_id == booking_id
        assert (cancelled.user_id, cancelled.category) == ("alice", "General")
        assert cancelled.quantity == 2
        assert cancelled.refund == Decimal("51.00")
        assert cancelled.reason == "customer"
        assert cancelled.cancelled_at == NOW

    def test_a_cancelled_booking_and_its_tickets_are_marked_cancelled(self) -> None:
        event = new_event()
        booking_id = book(event, "alice", 2)
        event = given(event)

        cancel(event, booking_id, now=NOW)

        booking = event.booking(booking_id)
        assert booking["status"] == "cancelled"
        assert booking["cancelled_at"] == NOW
        assert set(booking["tickets"].values()) == {"cancelled"}
        assert event.categories["General"]["sold"] == 0

    def test_a_cancelled_booking_cannot_be_cancelled_again(self) -> None:
        event = new_event()
        booking_id = book(event)
        cancel(event, booking_id, now=NOW)
        event = given(event)

        refused(event, lambda: cancel(event, booking_id, now=NOW), "ALREADY_CANCELLED")

    def test_an_unknown_booking_is_not_found(self) -> None:
        event = given(new_event())

        refused(event, lambda: cancel(event, uuid4(), now=NOW),
                "BOOKING_NOT_FOUND", NotFound)

    def test_no_cancelling_once_the_event_has_started(self) -> None:
        event = new_event()
        booking_id = book(event)
        event = given(event)

        refused(event, lambda: cancel(event, booking_id, now=STARTS), "EVENT_IN_PAST")

    def test_a_booking_with_a_used_ticket_cannot_be_cancelled(self) -> None:
        event = new_event()
        booking_id = book(event, quantity=2)
        check_in(event, codes_of(event, booking_id)[0], now=NOW)
        event = given(event)

        refused(event, lambda: cancel(event, booking_id, now=NOW), "TICKET_ALREADY_USED")

    def test_neither_its_organizer_nor_an_admin_cancels_a_booking_with_a_used_ticket(
            self) -> None:
        event = new_event(organizer_id=ORGANIZER.id, organizer_name="Org")
        booking_id = book(event, quantity=2)
        check_in(event, codes_of(event, booking_id)[0], now=NOW)
        event = given(event)

        refused(event, lambda: cancel(event, booking_id, now=NOW, by=ORGANIZER,
                                      reason="Double booked"), "TICKET_ALREADY_USED")
        refused(event, lambda: cancel(event, booking_id, now=NOW, by=ADMIN,
                                      reason="Double booked"), "TICKET_ALREADY_USED")
        assert ref(booking_id).status == "confirmed"

    def test_no_ticket_refund_naming_a_used_ticket_refunds_the_others_either(self) -> None:
        event = new_event()
        booking_id = book(event, quantity=3)
        used, *others = codes_of(event, booking_id)
        check_in(event, used, now=NOW)
        event = given(event)

        refused(event, lambda: event.cancel_tickets(ref(booking_id), [others[0], used], now=NOW),
                "TICKET_ALREADY_USED")
        assert set(ref(booking_id).tickets.values()) == {"used", "active"}

    def test_a_ticket_still_unused_of_a_booking_with_a_used_one_is_refunded(self) -> None:
        event = new_event()
        booking_id = book(event, quantity=2)
        used, unused = codes_of(event, booking_id)
        check_in(event, used, now=NOW)
        event = given(event)

        assert event.cancel_tickets(ref(booking_id), [unused], now=NOW) is False

        [refunded] = new_events(event)
        assert isinstance(refunded, Event.TicketsCancelled)
        assert event.booking(booking_id)["tickets"] == {used: "used", unused: "cancelled"}

    def test_a_stream_recording_a_cancellation_after_a_check_in_still_replays(self) -> None:
        # Recorded before the rule refused it: replaying applies it as it was.
        event = new_event()
        booking_id = book(event, quantity=2)
        check_in(event, codes_of(event, booking_id)[0], now=NOW)
        event._cancel(ref(booking_id), NOW, reason="customer", cancelled_by="customer",
                      stated_reason=None)

        event = given(event)

        assert event.booking(booking_id)["status"] == "cancelled"
        assert event.categories["General"]["sold"] == 0
        assert ref(booking_id).status == "cancelled"

    def test_no_cancelling_a_booking_of_a_completed_event(self) -> None:
        event = new_event()
        booking_id = book(event)
        event.complete(now=STARTS)
        event = given(event)

        refused(event, lambda: cancel(event, booking_id, now=STARTS), "EVENT_COMPLETED")

    def test_the_refund_is_the_price_paid_not_the_current_price(self) -> None:
        event = new_event()
        booking_id = book(event, quantity=2)
        event.set_category("General", Decimal("99.00"), 5)
        event = given(event)

        cancel(event, booking_id, now=NOW)

        [cancelled] = new_events(event)
        assert cancelled.refund == Decimal("51.00")


class TestCancelEvent:
    def test_cancelling_an_event_refunds_every_confirmed_booking_then_closes_it(self) -> None:
        event = new_event(categories=categories(Stalls=5, Balcony=5))
        alices = book(event, "alice", 2, "Stalls")
        bobs = book(event, "bob", 3, "Balcony")
        event = given(event)

        cancel_event(event, now=NOW)

        new = new_events(event)
        assert types(new) == ["BookingCancelled", "BookingCancelled", "EventCancelled"]
        refunds = {e.booking_id: (e.refund, e.reason, e.cancelled_at) for e in new[:2]}
        assert refunds == {
            alices: (Decimal(20), "event_cancelled", NOW),
            bobs: (Decimal(60), "event_cancelled", NOW),
        }
        assert new[-1].cancelled_at == NOW
        assert event.status == "cancelled"
        assert event.available_seats == event.total_seats == 10

    def test_a_booking_cancelled_earlier_is_not_refunded_twice(self) -> None:
        event = new_event()
        earlier = book(event, "alice")
        kept = book(event, "bob")
        cancel(event, earlier, now=NOW)
        event = given(event)

        cancel_event(event, now=NOW)

        new = new_events(event)
        assert types(new) == ["BookingCancelled", "EventCancelled"]
        assert new[0].booking_id == kept

    def test_an_event_without_bookings_is_simply_cancelled(self) -> None:
        event = given(new_event())

        cancel_event(event, now=NOW)

        assert types(new_events(event)) == ["EventCancelled"]

    def test_tickets_of_a_cancelled_event_are_cancelled(self) -> None:
        event = new_event()
        booking_id = book(event, quantity=2)
        event = given(event)

        cancel_event(event, now=NOW)

        assert set(event.booking(booking_id)["tickets"].values()) == {"cancelled"}

    def test_cancelling_an_event_cancels_and_refunds_a_booking_with_a_used_ticket(
            self) -> None:
        event = new_event()
        booking_id = book(event, "alice", 2)
        check_in(event, codes_of(event, booking_id)[0], now=NOW)
        event = given(event)

        cancel_event(event, now=NOW)

        cancelled, _ = new_events(event)
        assert (cancelled.booking_id, cancelled.refund) == (booking_id, Decimal("51.00"))
        assert set(event.booking(booking_id)["tickets"].values()) == {"cancelled"}

    def test_a_cancelled_event_cannot_be_cancelled_again(self) -> None:
        event = new_event()
        cancel_event(event, now=NOW)
        event = given(event)

        refused(event, lambda: cancel_event(event, now=NOW), "EVENT_CANCELLED")

    def test_a_completed_event_cannot_be_cancelled(self) -> None:
        event = new_event()
        event.complete(now=STARTS + timedelta(hours=1))
        event = given(event)

        refused(event, lambda: cancel_event(event, now=NOW), "EVENT_COMPLETED")
