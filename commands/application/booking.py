"""A booking's use cases: book seats at once, cancel a booking, check a ticket in, read one.

Booking at once is asked as a `BookRequest` (made as it is asked, off any lock:
`commands.application.asked`) and committed in its event's group
(`commands.application.request_groups`), where it decides itself on the event's aggregate.
Cancel, check-in and its undoing are decided on the booking's own stream (`commands.domain.booking`)
together with its event's aggregate, and saved with it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from commands.application.idempotency import key_reused
from commands.application.payments import PaymentCommands
from commands.application.runner import CommandRunner, Decided
from commands.application.seat_requests import Asked, Lookups
from commands.application.views import Outcome, booking_view, latest
from commands.domain import organizers
from commands.domain.actor import Actor
from commands.domain.booking import Booking, booking_ref
from commands.domain.errors import booking_not_found, ticket_not_found
from commands.domain.event import Event
from commands.domain.events import CONFIRMED
from commands.domain.payment import BOOKING_CANCELLED, TICKETS_CANCELLED, Payment
from commands.store.aggregate_store import AggregateStore


@dataclass(frozen=True)
class BookRequest:
    """Seats booked at once, as asked: decided in its event's group."""

    asked: Asked
    ticket_codes: tuple[str, ...]
    pay_first: bool = False  # paid seats are booked by a hold's payment, not here

    @property
    def event_id(self) -> UUID:
        return self.asked.event_id

    @property
    def booking_id(self) -> UUID:
        return self.asked.id

    def earlier(self, event: Event, look: Lookups) -> Outcome | None:
        """The first booking of this key, replayed; None when there is none.

        A warm aggregate holds no booking ids, so a key used before is usually first found
        by its ref's collision in the store; the retry that follows (`careful`) looks every
        key up. An aggregate loaded with its records (cold) that holds the booking looks too.
        """
        a = self.asked
        if not a.keyed:
            return None
        first = look.made_in_group.get(a.id)
        if first is None and (look.careful or str(a.id) in event.bookings):
            first = look.find_ref(a.id)
        if first is None:
            return None
        if first.fingerprint != a.digest:
            raise key_reused()
        return Outcome(booking_view(first), None, replayed=True)

    def decide(self, event: Event, look: Lookups) -> tuple[Booking, dict[str, Any]]:
        a = self.asked
        event.book(booking_id=a.id, user_id=a.user_id, user_name=a.user_name,
                   category=a.category, quantity=a.quantity,
                   ticket_codes=list(self.ticket_codes), now=look.now,
                   pay_first=self.pay_first, voucher=a.voucher)
        booking = booking_ref(event.pending_events[-1], event.id, a.digest)
        return booking, booking_view(booking)


class BookingCommands:
    """Cancel a booking, check a ticket in, read a booking."""

    def __init__(self, runner: CommandRunner, store: AggregateStore,
                 payments: PaymentCommands) -> None:
        self.runner = runner
        self.store = store
        self.payments = payments  # a paid booking cancelled is refunded

    def cancel(self, booking_id: UUID, actor: Actor | None = None,
               reason: str | None = None) -> Outcome:
        """Cancel a booking: its holder (a reason or none), its event's organizers or an admin
        (with a reason; None: a trusted caller, for its holder). To anyone else it is not found,
        as an unknown id is: decided on the event's aggregate, under its lock, as every right
        on an event is."""
        ref = self.ref(booking_id)
        first = [ref]  # read again only after a conflict: another writer may have changed it
        runner = self.runner
        asked: list[Payment] = []

        def attempt() -> Outcome:
            booking = first.pop() if first else self.ref(booking_id)
            event = runner.aggregate(booking.event_id)
            with runner.cache.cooling(event):
                event.cancel_booking(booking, now=runner.clock(), by=actor, reason=reason)
                # Its payment's refund asked for in the same append, once however the
                # cancellation is retried: every ticket no earlier refund gave back (one of
                # them may still be being made).
                payment = self.payments.asked_refund(booking, list(booking.tickets),
                                                     event.currency, reason=BOOKING_CANCELLED)
                asked[:] = [payment] if payment is not None else []
                position = self.store.append(event, booking, *asked)
            runner.cache.keep(event)
            return Outcome(booking_view(booking), position)

        outcome = runner.run("cancel_booking", ref.event_id, attempt)
        for payment in asked:  # whoever asked for a refund gives it back
            given = self.payments.give_back_or_leave(payment)
            outcome = Outcome(outcome.view, latest(outcome.position, given.position))
        return outcome

    def refund_tickets(self, booking_id: UUID, codes: list[str], actor: Actor | None = None,
                       reason: str | None = None) -> Outcome:
        """Cancel some tickets of a booking and give their price back (all it has left: the
        booking cancelled, as `cancel`); who may as for `cancel`. Answers the refund: the
        tickets, the amount, and how its payment's refund stands (`not_paid` for a booking
        with no payment, `nothing_owed` for free tickets)."""
        ref = self.ref(booking_id)
        first = [ref]
        runner = self.runner
        asked: list[Payment] = []

        def attempt() -> Outcome:
            booking = first.pop() if first else self.ref(booking_id)
            event = runner.aggregate(booking.event_id)
            with runner.cache.cooling(event):
                whole = event.cancel_tickets(booking, codes, now=runner.clock(), by=actor,
                                             reason=reason)
                cancelled: Any = event.pending_events[-1]  # Booking- or TicketsCancelled
                refund = cancelled.refund
                # The whole booking cancelled: every ticket no earlier refund named, as `cancel`.
                payment = self.payments.asked_refund(
                    booking, list(booking.tickets) if whole else codes, event.currency,
                    reason=BOOKING_CANCELLED if whole else TICKETS_CANCELLED)
                asked[:] = [payment] if payment is not None else []
                position = self.store.append(event, booking, *asked)
            runner.cache.keep(event)
            return Outcome({"booking": booking_view(booking), "tickets": list(codes),
                            "amount": refund, "currency": event.currency}, position)

        outcome = runner.run("refund_tickets", ref.event_id, attempt)
        # Nothing asked back: free tickets owe nothing, others were never paid for.
        status = "nothing_owed" if outcome.view["amount"] == 0 else "not_paid"
        position = outcome.position
        for payment in asked:  # whoever asked for a refund gives it back
            given = self.payments.give_back_or_leave(payment)
            status, position = str(given.view["status"]), latest(position, given.position)
        return Outcome(outcome.view | {"status": status}, position)

    def check_in(self, event_id: UUID, code: str, booking_id: UUID,
                 actor: Actor | None = None) -> Outcome:
        """Mark ticket `code` of booking `booking_id` (on event `event_id`) used, once; answers
        the ticket as the door sees it (`Booking.at_door`)."""
        return self._at_door("check_in", event_id, booking_id, actor,
                             lambda event, booking, now: event.check_in(booking, code, now=now),
                             code)

    def undo_check_in(self, event_id: UUID, code: str, booking_id: UUID,
                      actor: Actor | None = None) -> Outcome:
        """Take back the check-in of ticket `code`, as an event of its own; answers the
        ticket, live again."""
        return self._at_door(
            "undo_check_in", event_id, booking_id, actor,
            lambda event, booking, now: event.undo_check_in(booking, code, now=now), code)

    def _at_door(self, command: str, event_id: UUID, booking_id: UUID,  # noqa: PLR0913
                 actor: Actor | None, act: Callable[[Event, Booking, datetime], None],
                 code: str) -> Outcome:
        def decide(event: Event) -> Decided:
            organizers.require_manager(event, actor)  # on the state decided on: rights move
            booking = self.store.find_ref(booking_id)
            if booking is None:
                raise ticket_not_found()
            act(event, booking, self.runner.clock())
            return booking.at_door(code), [booking]

        return self.runner.decide(command, event_id, decide)

    # ----- reads of a booking's own stream ------------------------------------------------

    def view(self, booking_id: UUID) -> dict[str, Any]:
        """One booking straight from its own stream, whatever the projection lag: a few rows,
        whatever the size of its event."""
        return booking_view(self.ref(booking_id))

    def ref(self, booking_id: UUID) -> Booking:
        ref = self.store.find_ref(booking_id)
        if ref is None:
            raise booking_not_found(booking_id)
        return ref

    def confirmed(self, event_id: UUID) -> list[Booking]:
        """The refs of the event's confirmed bookings, as its aggregate loaded from the store
        (with its records) holds them."""
        event = self.store.load(event_id)
        refs = [self.store.find_ref(UUID(key), event) for key, booking in event.bookings.items()
                if booking["status"] == CONFIRMED]
        return [ref for ref in refs if ref is not None]
