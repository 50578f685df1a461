"""The Ledger's commands and reads of one booking, decided on the booking's own stream
(`commands.domain.booking`) together with its event's aggregate, and saved with it."""

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from commands.application.answers import Outcome, booking_view
from commands.application.organizers import Actor
from commands.domain.booking import BookingRef
from commands.domain.errors import booking_not_found, ticket_not_found
from commands.domain.event import CONFIRMED, Event
from commands.store.aggregate_cache import WarmAggregates


class BookingCommands:
    """Cancel a booking, check a ticket in, read a booking (a mixin of the Ledger)."""

    clock: Callable[[], datetime]
    warm: WarmAggregates
    # The Ledger's: the warm aggregate, a save, a command's retries, and a change decided
    # under the event's lock.
    warm_event: Callable[[UUID], Event]
    _save: Callable[..., int | None]
    _retrying: Callable[[str, UUID, Callable[[], Outcome]], Outcome]
    _change: Callable[..., Outcome]

    if TYPE_CHECKING:  # the store's (`commands.store.aggregate_store.StoredLedger`)
        def find_ref(self, booking_id: UUID,
                     event: Event | None = None) -> BookingRef | None: ...

        def _load(self, event_id: UUID, version: int | None = None) -> Event:
            """From the store: with every booking's record."""

    # ----- commands ---------------------------------------------------------------------

    def cancel_booking(self, booking_id: UUID, *, actor_id: UUID | None = None) -> Outcome:
        """Cancel a booking; `actor_id` set means only its owner may (else: not found)."""
        ref = self._ref(booking_id)
        if actor_id is not None and ref.user_id != str(actor_id):
            raise booking_not_found(booking_id)
        first = [ref]  # read again only after a conflict: another writer may have changed it

        def attempt() -> Outcome:
            booking = first.pop() if first else self._ref(booking_id)
            event = self.warm_event(booking.event_id)
            with self.warm.cooling(event):
                event.cancel_booking(booking, now=self.clock())
                position = self._save(event, booking)
            self.warm.keep(event)
            return Outcome(booking_view(booking), position)

        return self._retrying("cancel_booking", ref.event_id, attempt)

    def check_in(self, event_id: UUID, code: str, booking_id: UUID,
                 actor: Actor | None = None) -> Outcome:
        """Mark ticket `code` of booking `booking_id` (on event `event_id`) used, once."""

        def decide(event: Event) -> list[BookingRef]:
            booking = self.find_ref(booking_id)
            if booking is None:
                raise ticket_not_found()
            event.check_in(booking, code, now=self.clock())
            return [booking]

        return self._change("check_in", event_id, decide, actor)

    # ----- reads of a booking's own stream --------------------------------------------

    def booking(self, booking_id: UUID) -> dict[str, Any]:
        """One booking straight from its own stream, whatever the projection lag: a few rows,
        whatever the size of its event."""
        return booking_view(self._ref(booking_id))

    def booking_owner(self, booking_id: UUID) -> str:
        return self._ref(booking_id).user_id

    def _ref(self, booking_id: UUID) -> BookingRef:
        ref = self.find_ref(booking_id)
        if ref is None:
            raise booking_not_found(booking_id)
        return ref

    def _confirmed(self, event_id: UUID) -> list[BookingRef]:
        """The refs of the event's confirmed bookings, as its aggregate loaded from the store
        (with its records) holds them."""
        event = self._load(event_id)
        refs = [self.find_ref(UUID(key), event) for key, booking in event.bookings.items()
                if booking["status"] == CONFIRMED]
        return [ref for ref in refs if ref is not None]
