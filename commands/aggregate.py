"""The Event aggregate: seat inventory per category and every booking on it.

Pure domain: no I/O and no clock. Time (`now`), ids and ticket codes come in as arguments.
Public methods check the rules, then trigger a past-tense domain event whose apply method
only mutates, so replaying the stream rebuilds exactly the same state.
State is plain dicts keyed by strings so snapshots transcode to JSON as they are.
Every domain event is chained to the one before it (see `commands.chain`).
An event is run by its organizer and co-organizers (`may_manage`); admins run every event.
"""

import copy
from datetime import datetime
from decimal import Decimal
from sys import intern
from typing import Any, TypedDict
from uuid import UUID

from eventsourcing.domain import Aggregate, event
from eventsourcing.domain import Snapshot as LibrarySnapshot

from commands.chain import UPCAST, ChainedCreated, ChainedEvent
from commands.errors import (
    Conflict,
    NotFound,
    RuleBroken,
    booking_not_found,
    ticket_not_found,
)

ACTIVE, CANCELLED, COMPLETED = "active", "cancelled", "completed"
CONFIRMED = "confirmed"
TICKET_ACTIVE, TICKET_USED, TICKET_CANCELLED = "active", "used", "cancelled"
DETAIL_FIELDS = ("name", "description", "venue", "starts_at", "ends_at", "max_tickets_per_user")
MAX_CO_ORGANIZERS = 50


class CategoryState(TypedDict):
    price: Decimal
    capacity: int
    sold: int


class BookingState(TypedDict):
    user_id: str
    user_name: str
    category: str
    quantity: int
    unit_price: Decimal
    status: str
    tickets: dict[str, str]
    created_at: datetime
    cancelled_at: datetime | None


class Event(Aggregate):
    """One ticketed event: its stream holds every change and every booking."""

    class_version = 2  # snapshots of version 1 were taken before organizers

    class Created(ChainedCreated):
        class_version = 2  # version 1 was recorded before organizers
        name: str
        description: str
        venue: str
        starts_at: datetime
        ends_at: datetime | None
        currency: str
        categories: list[dict[str, Any]]
        max_tickets_per_user: int | None
        created_at: datetime
        organizer_id: str | None
        organizer_name: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Recorded before organizers: unowned, so admins alone run it until a transfer.

            The fields are not in what its hash covered (`commands.chain.UPCAST`).
            """
            state["organizer_id"] = state["organizer_name"] = None
            state[UPCAST] = ("organizer_id", "organizer_name")

    class OrganizerTransferred(ChainedEvent):
        previous_organizer_id: str | None
        organizer_id: str
        organizer_name: str
        by: str  # the admin who moved it
        transferred_at: datetime

    class CoOrganizerAdded(ChainedEvent):
        user_id: str
        user_name: str
        by: str

    class CoOrganizerRemoved(ChainedEvent):
        user_id: str
        by: str

    class DetailsUpdated(ChainedEvent):
        changes: dict[str, Any]

    class CategoryAdded(ChainedEvent):
        name: str
        price: Decimal
        capacity: int

    class CategoryChanged(ChainedEvent):
        name: str
        price: Decimal
        capacity: int

    class SeatsBooked(ChainedEvent):
        secret = ("ticket_codes",)  # audit views show digests (commands.chain)
        booking_id: UUID
        user_id: str
        user_name: str
        category: str
        quantity: int
        unit_price: Decimal
        ticket_codes: list[str]
        booked_at: datetime

    class BookingCancelled(ChainedEvent):
        booking_id: UUID
        user_id: str
        category: str
        quantity: int
        refund: Decimal
        reason: str
        cancelled_at: datetime

    class TicketCheckedIn(ChainedEvent):
        secret = ("code",)
        booking_id: UUID
        code: str
        checked_in_at: datetime

    class EventCancelled(ChainedEvent):
        cancelled_at: datetime

    class EventCompleted(ChainedEvent):
        completed_at: datetime

    class Snapshot(LibrarySnapshot):
        """The state at a version, and the stream's chain hash there (checked on load)."""

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

    # ----- ownership ------------------------------------------------------------------

    def may_manage(self, user_id: str) -> bool:
        """Whether the user is this event's organizer or one of its co-organizers."""
        return user_id == self.organizer_id or user_id in self.co_organizers

    def transfer(self, *, organizer_id: str, organizer_name: str, by: str, now: datetime) -> None:
        """Hand the event to another organizer (an admin's decision: the caller checks)."""
        if organizer_id == self.organizer_id:
            raise RuleBroken("That user already organizes this event", code="ALREADY_ORGANIZER")
        self._organizer_transferred(previous_organizer_id=self.organizer_id,
                                    organizer_id=organizer_id, organizer_name=organizer_name,
                                    by=by, transferred_at=now)

    def add_co_organizer(self, *, user_id: str, user_name: str, by: str) -> None:
        """Let another organizer run this event too."""
        if user_id == self.organizer_id:
            raise RuleBroken("That user already organizes this event", code="ALREADY_ORGANIZER")
        if user_id in self.co_organizers:
            raise RuleBroken("That user already co-organizes this event",
                             code="ALREADY_CO_ORGANIZER")
        if len(self.co_organizers) >= MAX_CO_ORGANIZERS:
            raise RuleBroken(f"At most {MAX_CO_ORGANIZERS} co-organizers per event",
                             code="TOO_MANY_CO_ORGANIZERS")
        self._co_organizer_added(user_id=user_id, user_name=user_name, by=by)

    def remove_co_organizer(self, *, user_id: str, by: str) -> None:
        """Take a co-organizer's rights on this event away (never the organizer's)."""
        if user_id == self.organizer_id:
            raise RuleBroken("The organizer cannot be removed; an admin can transfer the event",
                             code="IS_ORGANIZER")
        if user_id not in self.co_organizers:
            raise NotFound("That user does not co-organize this event",
                           code="CO_ORGANIZER_NOT_FOUND")
        self._co_organizer_removed(user_id=user_id, by=by)

    # ----- commands -------------------------------------------------------------------

    def update_details(self, changes: dict[str, Any], *, now: datetime) -> None:
        """Change name, description, venue, times or the per-user limit."""
        self._require_open()
        changes = {k: v for k, v in changes.items() if k in DETAIL_FIELDS and getattr(self, k) != v}
        if not changes:
            return
        merged = {f: changes.get(f, getattr(self, f)) for f in DETAIL_FIELDS}
        check_details(merged, now=now, starts_changed="starts_at" in changes)
        limit = merged["max_tickets_per_user"]
        most_held = max(self.held.values(), default=0)
        if limit is not None and limit < most_held:
            raise RuleBroken(
                f"A user already holds {most_held} tickets; the limit cannot go below that",
                code="LIMIT_BELOW_HELD",
            )
        self._details_updated(changes=changes)

    def set_category(self, name: str, price: Decimal, capacity: int) -> None:
        """Add a category or change one's price and capacity (never below what is sold)."""
        self._require_open()
        check_category(name, price, capacity, minimum=0)
        current = self.categories.get(name)
        if current is None:
            self._category_added(name=name, price=price, capacity=capacity)
            return
        if capacity < current["sold"]:
            raise RuleBroken(
                f"Category {name!r} has {current['sold']} seats sold; "
                "capacity cannot go below that",
                code="CAPACITY_BELOW_SOLD",
            )
        if price != current["price"] or capacity != current["capacity"]:
            self._category_changed(name=name, price=price, capacity=capacity)

    def book(  # noqa: PLR0913 - a booking's fields
        self,
        *,
        booking_id: UUID,
        user_id: str,
        user_name: str,
        category: str | None,
        quantity: int,
        ticket_codes: list[str],
        now: datetime,
    ) -> None:
        """Book `quantity` seats in one category, whole or not at all."""
        self._require_open()
        if now >= self.starts_at:
            raise RuleBroken("The event has already started", code="EVENT_IN_PAST")
        if quantity < 1:
            raise RuleBroken("Quantity must be at least 1", code="INVALID_QUANTITY")
        if str(booking_id) in self.bookings:
            raise Conflict(f"Booking {booking_id} already exists", code="DUPLICATE_BOOKING")
        # Not set.isdisjoint(dict): that walks the whole index, O(tickets sold) per booking.
        fresh = not any(code in self.ticket_index for code in ticket_codes)
        if len(ticket_codes) != quantity or len(set(ticket_codes)) != quantity or not fresh:
            raise ValueError("one fresh ticket code per seat is required")
        name = self.resolve_category(category)
        left = self.available(name)
        if left == 0:
            raise RuleBroken(f"Category {name!r} is sold out", code="SOLD_OUT")
        if quantity > left:
            seats = "seat" if left == 1 else "seats"
            raise RuleBroken(f"Only {left} {seats} left in {name!r}; {quantity} requested",
                             code="NOT_ENOUGH_SEATS")
        limit = self.max_tickets_per_user
        if limit is not None and self.held.get(user_id, 0) + quantity > limit:
            raise RuleBroken(
                f"At most {limit} tickets per user for this event; "
                f"you hold {self.held.get(user_id, 0)}",
                code="USER_LIMIT_EXCEEDED",
            )
        self._seats_booked(
            booking_id=booking_id,
            user_id=user_id,
            user_name=user_name,
            category=name,
            quantity=quantity,
            unit_price=self.categories[name]["price"],
            ticket_codes=ticket_codes,
            booked_at=now,
        )

    def cancel_booking(self, booking_id: UUID, *, now: datetime, reason: str = "customer") -> None:
        """Cancel a confirmed booking; its seats are free again at once."""
        booking = self.booking(booking_id)
        if booking["status"] == CANCELLED:
            raise RuleBroken("The booking is already cancelled", code="ALREADY_CANCELLED")
        self._require_open()
        if now >= self.starts_at:
            raise RuleBroken("The event has already started", code="EVENT_IN_PAST")
        if TICKET_USED in booking["tickets"].values():
            raise RuleBroken("A ticket of this booking was used", code="TICKET_ALREADY_USED")
        self._cancel(booking_id, booking, reason, now)

    def cancel(self, *, now: datetime) -> None:
        """Cancel the event and every confirmed booking on it (each refunded)."""
        self._require_open()
        for key, booking in list(self.bookings.items()):
            if booking["status"] == CONFIRMED:
                self._cancel(UUID(key), booking, "event_cancelled", now)
        self._event_cancelled(cancelled_at=now)

    def complete(self, *, now: datetime) -> None:
        """Close a started event: no more bookings or cancellations."""
        self._require_open()
        if now < self.starts_at:
            raise RuleBroken("The event has not started yet", code="EVENT_NOT_STARTED")
        self._event_completed(completed_at=now)

    def check_in(self, code: str, *, now: datetime) -> None:
        """Mark a ticket used, once."""
        key = self.ticket_index.get(code)
        if key is None:
            raise ticket_not_found()
        status = self.bookings[key]["tickets"][code]
        if status == TICKET_USED:
            raise RuleBroken("The ticket was already checked in", code="TICKET_ALREADY_USED")
        if status == TICKET_CANCELLED:
            raise RuleBroken("The ticket is cancelled", code="TICKET_CANCELLED")
        self._ticket_checked_in(booking_id=UUID(key), code=code, checked_in_at=now)

    # ----- queries --------------------------------------------------------------------

    def resolve_category(self, category: str | None) -> str:
        if category is None:
            if len(self.categories) == 1:
                return next(iter(self.categories))
            raise RuleBroken(
                "This event has several categories; name one", code="CATEGORY_REQUIRED"
            )
        if category not in self.categories:
            raise RuleBroken(f"No category {category!r} on this event", code="UNKNOWN_CATEGORY")
        return category

    def available(self, category: str) -> int:
        c = self.categories[category]
        return c["capacity"] - c["sold"]

    @property
    def total_seats(self) -> int:
        return sum(c["capacity"] for c in self.categories.values())

    @property
    def available_seats(self) -> int:
        return sum(c["capacity"] - c["sold"] for c in self.categories.values())

    def booking(self, booking_id: UUID) -> BookingState:
        try:
            return self.bookings[str(booking_id)]
        except KeyError:
            raise booking_not_found(booking_id) from None

    def _require_open(self) -> None:
        if self.status == CANCELLED:
            raise RuleBroken("The event is cancelled", code="EVENT_CANCELLED")
        if self.status == COMPLETED:
            raise RuleBroken("The event is completed", code="EVENT_COMPLETED")

    def _cancel(self, booking_id: UUID, booking: BookingState, reason: str, now: datetime) -> None:
        self._booking_cancelled(
            booking_id=booking_id,
            user_id=booking["user_id"],
            category=booking["category"],
            quantity=booking["quantity"],
            refund=booking["unit_price"] * booking["quantity"],
            reason=reason,
            cancelled_at=now,
        )

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
        key = str(booking_id)
        # Warm aggregates hold every booking (memory: `commands.warm`): the strings a user's
        # bookings repeat, and the category's price, are kept once, not once per booking.
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
        self.categories[category]["sold"] += quantity
        self.held[user_id] = self.held.get(user_id, 0) + quantity
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
        key = str(booking_id)
        booking = self.bookings[key]
        self.bookings[key] = {
            **booking,
            "status": CANCELLED,
            "cancelled_at": cancelled_at,
            "tickets": dict.fromkeys(booking["tickets"], TICKET_CANCELLED),
        }
        self.categories[category]["sold"] -= quantity
        self.held[user_id] -= quantity

    @event(TicketCheckedIn)
    def _ticket_checked_in(self, booking_id: UUID, code: str, checked_in_at: datetime) -> None:
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

    @event(CoOrganizerAdded)
    def _co_organizer_added(self, user_id: str, user_name: str, by: str) -> None:
        self.co_organizers[user_id] = user_name

    @event(CoOrganizerRemoved)
    def _co_organizer_removed(self, user_id: str, by: str) -> None:
        self.co_organizers.pop(user_id, None)

    @event(EventCancelled)
    def _event_cancelled(self, cancelled_at: datetime) -> None:
        self.status = CANCELLED

    @event(EventCompleted)
    def _event_completed(self, completed_at: datetime) -> None:
        self.status = COMPLETED


def check_category(name: str, price: Decimal, capacity: int, *, minimum: int = 1) -> None:
    """A category needs a name, a price >= 0 with at most 2 decimals, and a capacity."""
    if not name.strip():
        raise RuleBroken("A category needs a name", code="INVALID_CATEGORY")
    if not price.is_finite() or price < 0 or price.as_tuple().exponent < -2:  # type: ignore[operator]
        raise RuleBroken("Price must be >= 0 with at most 2 decimals", code="INVALID_PRICE")
    if capacity < minimum:
        raise RuleBroken(f"Capacity must be at least {minimum}", code="INVALID_CAPACITY")


def check_details(details: dict[str, Any], *, now: datetime, starts_changed: bool = True) -> None:
    """Name present, start in the future (when set now), end after start, limit >= 1."""
    if not str(details["name"]).strip():
        raise RuleBroken("An event needs a name", code="INVALID_EVENT")
    starts_at: datetime = details["starts_at"]
    if starts_at.tzinfo is None:
        raise RuleBroken("starts_at needs a time zone", code="INVALID_EVENT")
    if starts_changed and starts_at <= now:
        raise RuleBroken("starts_at must be in the future", code="STARTS_IN_PAST")
    ends_at: datetime | None = details["ends_at"]
    if ends_at is not None and (ends_at.tzinfo is None or ends_at <= starts_at):
        raise RuleBroken("ends_at must be after starts_at, with a time zone", code="INVALID_EVENT")
    limit = details["max_tickets_per_user"]
    if limit is not None and limit < 1:
        raise RuleBroken("max_tickets_per_user must be at least 1", code="INVALID_EVENT")


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
