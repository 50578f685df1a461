"""The Event aggregate: seat inventory per category and the bookings on it.

Pure domain: no I/O and no clock. Time (`now`), ids and ticket codes come in as arguments.
Public methods check the rules (`commands.domain.decisions`, `commands.domain.organizers`),
then trigger a past-tense domain event (`commands.domain.events`) whose applier here only
mutates, so replaying the
stream rebuilds exactly the same state. Every domain event is chained to the one before it
(see `commands.domain.chain`). An event is run by its organizer and co-organizers, each role
with its own powers (`commands.domain.organizers`); admins run every event.
"""

import copy
from datetime import datetime
from decimal import Decimal
from sys import intern
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event
from eventsourcing.domain import Snapshot as LibrarySnapshot

from commands.domain import events
from commands.domain.decisions import Decisions, check_category, check_details
from commands.domain.errors import RuleBroken
from commands.domain.events import (
    ACTIVE,
    CANCELLED,
    COMPLETED,
    CONFIRMED,
    DETAIL_FIELDS,
    TICKET_ACTIVE,
    TICKET_CANCELLED,
    TICKET_USED,
    BookingState,
    CategoryState,
)
from commands.domain.organizers import MAX_CO_ORGANIZERS, Organizers

__all__ = [
    "ACTIVE", "CANCELLED", "COMPLETED", "CONFIRMED", "DETAIL_FIELDS", "MAX_CO_ORGANIZERS",
    "TICKET_ACTIVE", "TICKET_CANCELLED", "TICKET_USED", "BookingState", "CategoryState", "Event",
    "check_category", "check_details", "create_event",
]


class Event(Organizers, Decisions, Aggregate):
    """One ticketed event: its stream holds every change and every booking.

    Loaded from the store it holds every booking's record too (time travel shows them); the
    write side's warm copy forgets them (`forget_bookings`).
    """

    TOPIC = events.STORED_AS  # as stored since the first release: see `commands.domain.events`
    class_version = 3  # version 1: before organizers; version 2: before invitations
    keeps_records = True  # False once `forget_bookings`: an instance's own, never snapshotted

    # The domain events, nested here: the library redefines each as `Event.<Name>` of this
    # module, the topic every stored event of a stream carries.
    Created = events.Created
    OrganizerTransferred = events.OrganizerTransferred
    CoOrganizerAdded = events.CoOrganizerAdded
    CoOrganizerRemoved = events.CoOrganizerRemoved
    CoOrganizerInvited = events.CoOrganizerInvited
    CoOrganizerAccepted = events.CoOrganizerAccepted
    CoOrganizerDeclined = events.CoOrganizerDeclined
    CoOrganizerInvitationWithdrawn = events.CoOrganizerInvitationWithdrawn
    DetailsUpdated = events.DetailsUpdated
    CategoryAdded = events.CategoryAdded
    CategoryChanged = events.CategoryChanged
    SeatsBooked = events.SeatsBooked
    BookingCancelled = events.BookingCancelled
    TicketCheckedIn = events.TicketCheckedIn
    EventCancelled = events.EventCancelled
    EventCompleted = events.EventCompleted

    class Snapshot(LibrarySnapshot):
        """The state at a version, and the stream's chain hash there (checked on load)."""

        TOPIC = f"{events.STORED_AS}.Snapshot"
        chain: str | None = None

        @classmethod
        def take(cls, aggregate: Any) -> "Event.Snapshot":
            snapshot = super().take(aggregate)
            object.__setattr__(snapshot, "chain", getattr(aggregate, "chain_head", None))
            return snapshot

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """A snapshot taken before organizers: unowned, as its Created event upcasts."""
        state["organizer_id"] = state["organizer_name"] = None
        state["co_organizers"] = {}

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        """A snapshot taken before invitations: none pending."""
        state["invited"] = {}

    @event(Created)
    def __init__(  # noqa: PLR0913 - the Created event's fields
        self,
        id: UUID,  # noqa: A002 - the library's name for the aggregate id
        name: str,
        description: str,
        venue: str,
        starts_at: datetime,
        ends_at: datetime | None,
        currency: str,
        categories: list[dict[str, Any]],
        max_tickets_per_user: int | None,
        created_at: datetime,
        organizer_id: str | None,
        organizer_name: str | None,
    ) -> None:
        self.name = name
        self.description = description
        self.venue = venue
        self.starts_at = starts_at
        self.ends_at = ends_at
        self.currency = currency
        self.max_tickets_per_user = max_tickets_per_user
        self.status = ACTIVE
        self.categories: dict[str, CategoryState] = {
            c["name"]: {"price": Decimal(c["price"]), "capacity": int(c["capacity"]), "sold": 0}
            for c in categories
        }
        self.bookings: dict[str, BookingState] = {}
        self.held: dict[str, int] = {}
        self.ticket_index: dict[str, str] = {}
        self.organizer_id = organizer_id
        self.organizer_name = organizer_name
        self.co_organizers: dict[str, str] = {}  # user id -> name
        self.invited: dict[str, str] = {}  # user id -> name, until they accept

    def forget_bookings(self) -> None:
        """Drop the booking records for good: counts are all the write side decides on (each
        booking's own stream, `commands.domain.booking`, holds the rest). A warm aggregate is
        kept so (`commands.store.aggregate_cache`): its memory stays that of its counts however
        many bookings it sells. Never snapshotted: snapshots are rebuilt from the store
        (`commands.store.snapshots`)."""
        if self.keeps_records:  # once: a warm aggregate is kept after every command
            self.bookings, self.ticket_index, self.keeps_records = {}, {}, False

    def fork(self) -> "Event":
        """An independent copy to apply further events to, sharing the unchanged bookings.

        Cheap for a large event (time travel forks a cached snapshot per query): appliers
        replace a booking's record instead of editing it, so only the containers are copied.
        """
        twin = copy.copy(self)
        twin.categories = {name: dict(c) for name, c in self.categories.items()}  # type: ignore[misc]
        twin.bookings = dict(self.bookings)
        twin.held = dict(self.held)
        twin.ticket_index = dict(self.ticket_index)
        twin.co_organizers = dict(self.co_organizers)
        twin.invited = dict(self.invited)
        twin._pending_events = []
        return twin

    # ----- event appliers: mutate only; a booking's record is replaced, never edited -----

    @event(DetailsUpdated)
    def _details_updated(self, changes: dict[str, Any]) -> None:
        for key, value in changes.items():
            setattr(self, key, value)

    @event(CategoryAdded)
    def _category_added(self, name: str, price: Decimal, capacity: int) -> None:
        self.categories[name] = {"price": price, "capacity": capacity, "sold": 0}

    @event(CategoryChanged)
    def _category_changed(self, name: str, price: Decimal, capacity: int) -> None:
        self.categories[name]["price"] = price
        self.categories[name]["capacity"] = capacity

    @event(SeatsBooked)
    def _seats_booked(  # noqa: PLR0913 - the SeatsBooked event's fields
        self,
        booking_id: UUID,
        user_id: str,
        user_name: str,
        category: str,
        quantity: int,
        unit_price: Decimal,
        ticket_codes: list[str],
        booked_at: datetime,
    ) -> None:
        self.categories[category]["sold"] += quantity
        self.held[user_id] = self.held.get(user_id, 0) + quantity
        if not self.keeps_records:
            return
        key = str(booking_id)
        # A full aggregate holds every booking: the strings a user's bookings repeat, and the
        # category's price, are kept once, not once per booking.
        user_id, user_name, category = intern(user_id), intern(user_name), intern(category)
        price = self.categories[category]["price"]
        if price == unit_price and price.as_tuple() == unit_price.as_tuple():
            unit_price = price
        self.bookings[key] = {
            "user_id": user_id,
            "user_name": user_name,
            "category": category,
            "quantity": quantity,
            "unit_price": unit_price,
            "status": CONFIRMED,
            "tickets": dict.fromkeys(ticket_codes, TICKET_ACTIVE),
            "created_at": booked_at,
            "cancelled_at": None,
        }
        for code in ticket_codes:
            self.ticket_index[code] = key

    @event(BookingCancelled)
    def _booking_cancelled(  # noqa: PLR0913 - the BookingCancelled event's fields
        self,
        booking_id: UUID,
        user_id: str,
        category: str,
        quantity: int,
        refund: Decimal,
        reason: str,
        cancelled_at: datetime,
    ) -> None:
        self.categories[category]["sold"] -= quantity
        self.held[user_id] -= quantity
        if not self.keeps_records:
            return
        key = str(booking_id)
        booking = self.bookings[key]
        self.bookings[key] = {
            **booking,
            "status": CANCELLED,
            "cancelled_at": cancelled_at,
            "tickets": dict.fromkeys(booking["tickets"], TICKET_CANCELLED),
        }

    @event(TicketCheckedIn)
    def _ticket_checked_in(self, booking_id: UUID, code: str, checked_in_at: datetime) -> None:
        if not self.keeps_records:
            return
        key = str(booking_id)
        booking = self.bookings[key]
        self.bookings[key] = {**booking, "tickets": {**booking["tickets"], code: TICKET_USED}}

    @event(OrganizerTransferred)
    def _organizer_transferred(
        self, previous_organizer_id: str | None, organizer_id: str, organizer_name: str,
        by: str, transferred_at: datetime,
    ) -> None:
        self.organizer_id, self.organizer_name = organizer_id, organizer_name
        self.co_organizers.pop(organizer_id, None)  # a co-organizer made organizer is one role
        self.invited.pop(organizer_id, None)

    @event(CoOrganizerAdded)
    def _co_organizer_added(self, user_id: str, user_name: str, by: str) -> None:
        self.co_organizers[user_id] = user_name
        self.invited.pop(user_id, None)  # an admin's addition answers an invitation too

    @event(CoOrganizerInvited)
    def _co_organizer_invited(self, user_id: str, user_name: str, by: str) -> None:
        self.invited[user_id] = user_name

    @event(CoOrganizerAccepted)
    def _co_organizer_accepted(self, user_id: str, user_name: str) -> None:
        self.invited.pop(user_id, None)
        self.co_organizers[user_id] = user_name

    @event(CoOrganizerDeclined)
    def _co_organizer_declined(self, user_id: str) -> None:
        self.invited.pop(user_id, None)

    @event(CoOrganizerInvitationWithdrawn)
    def _co_organizer_invitation_withdrawn(self, user_id: str, by: str) -> None:
        self.invited.pop(user_id, None)

    @event(CoOrganizerRemoved)
    def _co_organizer_removed(self, user_id: str, by: str) -> None:
        self.co_organizers.pop(user_id, None)

    @event(EventCancelled)
    def _event_cancelled(self, cancelled_at: datetime) -> None:
        self.status = CANCELLED

    @event(EventCompleted)
    def _event_completed(self, completed_at: datetime) -> None:
        self.status = COMPLETED


def create_event(  # noqa: PLR0913 - an event's fields
    *,
    event_id: UUID,
    name: str,
    description: str,
    venue: str,
    starts_at: datetime,
    ends_at: datetime | None,
    currency: str,
    categories: list[dict[str, Any]],
    max_tickets_per_user: int | None,
    now: datetime,
    organizer_id: str | None = None,
    organizer_name: str | None = None,
) -> Event:
    """Check every creation rule, then start the event's stream (None: unowned, admins only)."""
    check_details(
        {"name": name, "starts_at": starts_at, "ends_at": ends_at,
         "max_tickets_per_user": max_tickets_per_user},
        now=now,
    )
    if not categories:
        raise RuleBroken("An event needs at least one ticket category", code="INVALID_EVENT")
    names = [c["name"] for c in categories]
    if len(set(names)) != len(names):
        raise RuleBroken("Category names must be unique", code="INVALID_CATEGORY")
    for c in categories:
        check_category(c["name"], Decimal(c["price"]), int(c["capacity"]))
    if len(currency) != 3 or not currency.isalpha():
        raise RuleBroken("currency must be a 3-letter ISO 4217 code", code="INVALID_EVENT")
    return Event(
        id=event_id,
        name=name.strip(),
        description=description,
        venue=venue,
        starts_at=starts_at,
        ends_at=ends_at,
        currency=currency.upper(),
        categories=[
            {"name": c["name"], "price": Decimal(c["price"]), "capacity": int(c["capacity"])}
            for c in categories
        ],
        max_tickets_per_user=max_tickets_per_user,
        created_at=now,
        organizer_id=organizer_id,
        organizer_name=organizer_name,
    )
