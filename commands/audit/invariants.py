"""The booking rules checked again over one event's stored stream, one domain event at a time.

Deliberately not the aggregate's code: this proves from the record that the rules held, instead
of trusting the code that wrote it. It keeps only counters, so a long stream costs little.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

CLOSED = ("cancelled", "completed")


@dataclass
class Booking:
    user: str
    category: str
    quantity: int
    tickets: dict[str, str]
    status: str = "confirmed"


@dataclass
class EventAudit:
    """The rule-relevant state of one event, and every rule it found broken."""

    event_id: str
    events: int = 0
    status: str = "active"
    limit: int | None = None
    capacity: dict[str, int] = field(default_factory=dict)
    sold: dict[str, int] = field(default_factory=dict)
    held: dict[str, int] = field(default_factory=dict)
    bookings: dict[str, Booking] = field(default_factory=dict)
    organizer: str | None = None
    co_organizers: set[str] = field(default_factory=set)
    invited: set[str] = field(default_factory=set)  # pending invitations to co-organize
    # Who ran the event from which version on: (version, organizer id; None: admins only).
    ownership: list[tuple[int, str | None]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    _where: tuple[int, int] = (0, 0)

    def apply(self, e: Any, position: int) -> None:
        """Check one domain event against the state so far, then apply it."""
        self.events += 1
        self._where = (e.originator_version, position)
        handler = _HANDLERS.get(type(e).__name__)
        if handler is not None:
            handler(self, e)

    def problem(self, rule: str, message: str) -> None:
        version, position = self._where
        self.problems.append(
            {"version": version, "position": position, "rule": rule, "message": message}
        )

    def _created(self, e: Any) -> None:
        self.capacity = {c["name"]: int(c["capacity"]) for c in e.categories}
        self.sold = dict.fromkeys(self.capacity, 0)
        self.limit = e.max_tickets_per_user
        self.organizer = e.organizer_id
        self.ownership.append((e.originator_version, self.organizer))

    def _transferred(self, e: Any) -> None:
        if e.previous_organizer_id != self.organizer:
            self.problem("ownership", f"transfer from {e.previous_organizer_id}, but "
                                      f"{self.organizer} organized the event")
        self.organizer = e.organizer_id
        self.co_organizers.discard(e.organizer_id)
        self.invited.discard(e.organizer_id)
        self.ownership.append((e.originator_version, self.organizer))

    def _co_added(self, e: Any) -> None:
        if e.user_id == self.organizer or e.user_id in self.co_organizers:
            self.problem("ownership", f"{e.user_id} added who already ran the event")
        self.co_organizers.add(e.user_id)
        self.invited.discard(e.user_id)

    def _invited(self, e: Any) -> None:
        if e.user_id == self.organizer or e.user_id in self.co_organizers | self.invited:
            self.problem("ownership", f"{e.user_id} invited who already ran or was invited")
        self.invited.add(e.user_id)

    def _accepted(self, e: Any) -> None:
        self._invitation_ends(e)
        self.co_organizers.add(e.user_id)

    def _invitation_ends(self, e: Any) -> None:
        """Accepted, declined or withdrawn: only an invitation pending ends."""
        if e.user_id not in self.invited:
            self.problem("ownership", f"{e.user_id} answered an invitation never made")
        self.invited.discard(e.user_id)

    def _co_removed(self, e: Any) -> None:
        if e.user_id not in self.co_organizers:
            self.problem("ownership", f"{e.user_id} removed who was no co-organizer")
        self.co_organizers.discard(e.user_id)

    def _details(self, e: Any) -> None:
        self._open("changed")
        if "max_tickets_per_user" in e.changes:
            self.limit = e.changes["max_tickets_per_user"]
            for user in self.held:
                self._within_limit(user)

    def _category(self, e: Any) -> None:
        self._open("changed")
        self.capacity[e.name] = e.capacity
        self.sold.setdefault(e.name, 0)
        self._within_capacity(e.name)

    def _booked(self, e: Any) -> None:
        key = str(e.booking_id)
        self._open("booked")
        if key in self.bookings:
            self.problem("duplicate_booking", f"booking {key} was booked twice")
        if e.category not in self.capacity:
            self.problem("capacity", f"booking {key} is in unknown category {e.category!r}")
        if e.quantity < 1 or len(e.ticket_codes) != e.quantity:
            self.problem("quantity", f"booking {key}: {e.quantity} seats, "
                                     f"{len(e.ticket_codes)} tickets")
        self.bookings[key] = Booking(e.user_id, e.category, e.quantity,
                                     dict.fromkeys(e.ticket_codes, "active"))
        self.sold[e.category] = self.sold.get(e.category, 0) + e.quantity
        self.held[e.user_id] = self.held.get(e.user_id, 0) + e.quantity
        self._within_capacity(e.category)
        self._within_limit(e.user_id)

    def _cancelled(self, e: Any) -> None:
        key = str(e.booking_id)
        booking = self.bookings.get(key)
        if booking is None or booking.status != "confirmed":
            state = "unknown" if booking is None else booking.status
            self.problem("cancellation", f"cancelled booking {key} was {state}, not confirmed")
            return
        if (booking.category, booking.quantity) != (e.category, e.quantity):
            self.problem("cancellation", f"cancellation of {key} names other seats than booked")
        booking.status = "cancelled"
        booking.tickets = dict.fromkeys(booking.tickets, "cancelled")
        self.sold[booking.category] -= booking.quantity
        self.held[booking.user] -= booking.quantity

    def _checked_in(self, e: Any) -> None:
        booking = self.bookings.get(str(e.booking_id))
        status = booking.tickets.get(e.code) if booking else None
        if status != "active":
            self.problem("check_in", f"checked-in ticket of booking {e.booking_id} was "
                                     f"{status or 'unknown'}, not active")
        elif booking is not None:
            booking.tickets[e.code] = "used"

    def _closed(self, e: Any) -> None:
        self._open("closed")
        left = [k for k, b in self.bookings.items() if b.status == "confirmed"]
        if type(e).__name__ == "EventCancelled" and left:
            self.problem("event_cancellation", f"{len(left)} bookings stayed confirmed")
        self.status = "cancelled" if type(e).__name__ == "EventCancelled" else "completed"

    def _open(self, what: str) -> None:
        if self.status in CLOSED:
            self.problem("closed_event", f"{what} after the event was {self.status}")

    def _within_capacity(self, category: str) -> None:
        sold, capacity = self.sold.get(category, 0), self.capacity.get(category, 0)
        if sold > capacity:
            self.problem("capacity", f"{category!r}: {sold} sold of {capacity}")

    def _within_limit(self, user: str) -> None:
        if self.limit is not None and self.held.get(user, 0) > self.limit:
            self.problem("user_limit", f"user {user} holds {self.held[user]} of {self.limit}")


_HANDLERS: dict[str, Callable[[EventAudit, Any], None]] = {
    "Created": EventAudit._created,
    "DetailsUpdated": EventAudit._details,
    "CategoryAdded": EventAudit._category,
    "CategoryChanged": EventAudit._category,
    "SeatsBooked": EventAudit._booked,
    "BookingCancelled": EventAudit._cancelled,
    "TicketCheckedIn": EventAudit._checked_in,
    "EventCancelled": EventAudit._closed,
    "EventCompleted": EventAudit._closed,
    "OrganizerTransferred": EventAudit._transferred,
    "CoOrganizerAdded": EventAudit._co_added,
    "CoOrganizerRemoved": EventAudit._co_removed,
    "CoOrganizerInvited": EventAudit._invited,
    "CoOrganizerAccepted": EventAudit._accepted,
    "CoOrganizerDeclined": EventAudit._invitation_ends,
    "CoOrganizerInvitationWithdrawn": EventAudit._invitation_ends,
}
