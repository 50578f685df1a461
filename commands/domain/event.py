"""The Event aggregate: seat inventory per category, the bookings on it, and who runs it.

Pure domain: no I/O and no clock. Time (`now`), ids and ticket codes come in as arguments.
Each public method checks its rule, then triggers a past-tense domain event
(`commands.domain.events`) whose applier, just below it, only mutates: replaying the stream
rebuilds exactly the same state. Every domain event is chained to the one before it
(`commands.domain.chain`).

Roles within an event: its organizer (and admins) cancel, complete and transfer it and change
its co-organizers; a co-organizer edits its details, reads its bookings and stats, checks
tickets in and cancels a customer's booking (with a reason). Once it has started only an admin
cancels it, with a reason; once it is over the scheduler completes it (`complete_when_over`).
An organizer's choice of a co-organizer is an invitation, theirs only once they accept it (it
names them on the event); an admin's makes them co-organizer at once.

Checkout: a hold takes seats out of sale for one buyer until it expires (`hold_seconds`), and
becomes a booking when confirmed. A sold-out category keeps a waiting line: seats that return
to sale are owed to it, and offered in the order of joining, each offer a hold of its own
(`offer_to_line`); walk-up buyers see only the seats nobody waiting is owed (`available`).
"""

import copy
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from sys import intern
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event
from eventsourcing.domain import Snapshot as LibrarySnapshot

from commands.domain import events
from commands.domain.actor import Actor
from commands.domain.booking import BookingRef
from commands.domain.claim import ClaimRef
from commands.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    NotFound,
    RuleBroken,
    booking_not_found,
    hold_not_found,
    place_not_found,
    ticket_not_found,
)
from commands.domain.events import (
    ACTIVE,
    ADMIN,
    CANCELLED,
    COMPLETED,
    CONFIRMED,
    CUSTOMER,
    DETAIL_FIELDS,
    EVENT_CANCELLED,
    EVENT_STARTED,
    LIMIT_REACHED,
    ORGANIZER,
    TICKET_ACTIVE,
    TICKET_CANCELLED,
    TICKET_USED,
    BookingState,
    CategoryState,
    HoldState,
    PlaceState,
)
from core import error_codes as codes

MAX_CO_ORGANIZERS = 50  # co-organizers and pending invitations together
DEFAULT_HOLD_SECONDS = 600
MIN_HOLD_SECONDS, MAX_HOLD_SECONDS = 5, 3600  # an hour would keep seats off a day's sales
MAX_HOLDS_PER_USER = 5  # active holds of one buyer on one event: a cart, not a hoard
# Seats one buyer may hold or wait for at once on an event with no per-user limit (the limit,
# when set, bounds them with the seats bought).
MAX_OPEN_SEATS_PER_USER = 10

__all__ = [
    "ACTIVE", "ADMIN", "CANCELLED", "COMPLETED", "CONFIRMED", "CUSTOMER", "DETAIL_FIELDS",
    "EVENT_CANCELLED", "MAX_CO_ORGANIZERS", "ORGANIZER",
    "TICKET_ACTIVE", "TICKET_CANCELLED", "TICKET_USED", "BookingState", "CategoryState", "Event",
    "HoldState", "PlaceState",
    "check_category", "check_details", "create_event",
]


def not_organizer() -> Forbidden:
    return Forbidden("Only this event's organizers or an admin may do this",
                     code=codes.NOT_EVENT_ORGANIZER)


class Event(Aggregate):
    """One ticketed event: its stream holds every change and every booking.

    Loaded from the store it holds every booking's record too (time travel shows them); the
    write side's warm copy forgets them (`forget_bookings`).
    """

    TOPIC = events.STORED_AS  # as stored since the first release: see `commands.domain.events`
    class_version = 5  # 1: before organizers; 2: before invitations; 3: before holds;
    # 4: before places counted per buyer and lapsed holds kept
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
    SeatsHeld = events.SeatsHeld
    HoldConfirmed = events.HoldConfirmed
    HoldReleased = events.HoldReleased
    HoldExpired = events.HoldExpired
    WaitlistJoined = events.WaitlistJoined
    WaitlistLeft = events.WaitlistLeft

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

    @staticmethod
    def upcast_v3_v4(state: dict[str, Any]) -> None:
        """A snapshot taken before holds and waiting lines: none, the default hold length."""
        state["hold_seconds"] = None
        state["holds"], state["on_hold"], state["holding"] = {}, {}, {}
        state["line"], state["waiting"] = {}, {}

    @staticmethod
    def upcast_v4_v5(state: dict[str, Any]) -> None:
        """A snapshot taken before places counted toward a buyer's seats: counted from its
        line; no lapsed hold known (a buyer may hold again at once)."""
        placed: dict[str, int] = {}
        for place in state.get("line", {}).values():
            placed[place["user_id"]] = placed.get(place["user_id"], 0) + place["quantity"]
        state["placed"], state["lapsed"] = placed, {}

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
        hold_seconds: int | None = None,
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
        self.hold_seconds = hold_seconds  # None: DEFAULT_HOLD_SECONDS
        self.holds: dict[str, HoldState] = {}  # active holds by id, offers included
        self.on_hold: dict[str, int] = {}  # category -> seats held
        self.holding: dict[str, int] = {}  # user id -> seats held
        self.line: dict[str, PlaceState] = {}  # places waiting, in the order they joined
        self.waiting: dict[str, int] = {}  # category -> seats the line waits for
        self.placed: dict[str, int] = {}  # user id -> seats waited for in lines
        # user id -> when a hold of theirs that lapsed (expired, or they released it) lets
        # them hold again: seats go back on sale to others before one buyer can take them again
        self.lapsed: dict[str, datetime] = {}

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
        twin.holds, twin.line = dict(self.holds), dict(self.line)
        twin.on_hold, twin.holding = dict(self.on_hold), dict(self.holding)
        twin.waiting, twin.placed = dict(self.waiting), dict(self.placed)
        twin.lapsed = dict(self.lapsed)
        twin._pending_events = []
        return twin

    # ----- details and categories ---------------------------------------------------------

    def update_details(self, changes: dict[str, Any], *, now: datetime) -> None:
        """Change name, description, venue, times, the per-user limit or the hold length."""
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
                code=codes.LIMIT_BELOW_HELD,
            )
        self._details_updated(changes=changes)

    @event(DetailsUpdated)
    def _details_updated(self, changes: dict[str, Any]) -> None:
        for key, value in changes.items():
            setattr(self, key, value)

    def set_category(self, name: str, price: Decimal, capacity: int) -> None:
        """Add a category or change one's price and capacity (never below what is sold)."""
        self._require_open()
        check_category(name, price, capacity, minimum=0)
        current = self.categories.get(name)
        if current is None:
            self._category_added(name=name, price=price, capacity=capacity)
            return
        taken = current["sold"] + self.on_hold.get(name, 0)
        if capacity < taken:
            raise RuleBroken(
                f"Category {name!r} has {taken} seats sold or held; "
                "capacity cannot go below that",
                code=codes.CAPACITY_BELOW_SOLD,
            )
        if price != current["price"] or capacity != current["capacity"]:
            self._category_changed(name=name, price=price, capacity=capacity)

    @event(CategoryAdded)
    def _category_added(self, name: str, price: Decimal, capacity: int) -> None:
        self.categories[name] = {"price": price, "capacity": capacity, "sold": 0}

    @event(CategoryChanged)
    def _category_changed(self, name: str, price: Decimal, capacity: int) -> None:
        self.categories[name]["price"] = price
        self.categories[name]["capacity"] = capacity

    # ----- bookings -----------------------------------------------------------------------

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
            raise RuleBroken("The event has already started", code=codes.EVENT_IN_PAST)
        if quantity < 1:
            raise RuleBroken("Quantity must be at least 1", code=codes.INVALID_QUANTITY)
        # Without its records (a warm aggregate), a booking id used before collides with its
        # `BookingRef` in the store, and ticket codes are 128 random bits.
        if str(booking_id) in self.bookings:
            raise Conflict(f"Booking {booking_id} already exists", code=codes.DUPLICATE_BOOKING)
        # Not set.isdisjoint(dict): that walks the whole index, O(tickets sold) per booking.
        fresh = not any(code in self.ticket_index for code in ticket_codes)
        if len(ticket_codes) != quantity or len(set(ticket_codes)) != quantity or not fresh:
            raise ValueError("one fresh ticket code per seat is required")
        name = self._seats_for(user_id, category, quantity)
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

    def _seats_for(self, user_id: str, category: str | None, quantity: int) -> str:
        """The category, once `quantity` seats of it are on sale to this buyer (what nobody
        waiting in line is owed) and within the per-user limit, holds counted."""
        name = self.resolve_category(category)
        left = self.available(name)
        if left == 0:
            raise RuleBroken(f"Category {name!r} is sold out", code=codes.SOLD_OUT)
        if quantity > left:
            seats = "seat" if left == 1 else "seats"
            raise RuleBroken(f"Only {left} {seats} left in {name!r}; {quantity} requested",
                             code=codes.NOT_ENOUGH_SEATS)
        self._within_limit(user_id, quantity)
        return name

    def _within_limit(self, user_id: str, quantity: int) -> None:
        """The per-user limit counts what a buyer booked, holds and waits for in line."""
        limit = self.max_tickets_per_user
        has = self.seats_of(user_id)
        if limit is not None and has + quantity > limit:
            raise RuleBroken(
                f"At most {limit} tickets per user for this event; you have {has} booked, "
                "held or waited for",
                code=codes.USER_LIMIT_EXCEEDED,
            )

    def seats_of(self, user_id: str) -> int:
        """Seats a buyer booked, holds, and waits for in line on this event."""
        return (self.held.get(user_id, 0) + self.holding.get(user_id, 0)
                + self.placed.get(user_id, 0))

    def _within_open_bound(self, user_id: str, quantity: int) -> None:
        """With no per-user limit, what one buyer holds and waits for is still bounded."""
        if self.max_tickets_per_user is not None:
            return  # the limit bounds them, with what the buyer booked
        has = self.holding.get(user_id, 0) + self.placed.get(user_id, 0)
        if has + quantity > MAX_OPEN_SEATS_PER_USER:
            raise Conflict(
                f"At most {MAX_OPEN_SEATS_PER_USER} seats held or waited for at once per buyer "
                f"on an event; you have {has}", code=codes.TOO_MANY_HOLDS)

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
        hold_id: UUID | None = None,
        offer_for: UUID | None = None,
    ) -> None:
        if hold_id is not None:  # a checkout's confirmation: its hold's seats become sold
            self._end_hold(hold_id)
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

    def cancel_booking(self, booking: BookingRef, *, now: datetime, by: Actor | None = None,
                       reason: str | None = None) -> None:
        """Cancel a confirmed booking of this event; its seats are free again at once.

        Its holder cancels it, with a reason or none; the event's organizers and admins with
        one (None: a trusted caller, for its holder). To anyone else it is not found.
        """
        cancelled_by = self.canceller_of(booking, by)
        stated = given_reason(reason)
        if cancelled_by != CUSTOMER and stated is None:
            raise reason_required("Cancelling another's booking needs a reason")
        booking.require_cancellable()
        self._require_open()
        if now >= self.starts_at:
            raise RuleBroken("The event has already started", code=codes.EVENT_IN_PAST)
        booking.require_unused()
        self._cancel(booking, now, reason=cancelled_by, cancelled_by=cancelled_by,
                     stated_reason=stated)

    def canceller_of(self, booking: BookingRef, by: Actor | None) -> str:
        """Who `by` is to this booking: its holder, this event's organizer (or co-organizer),
        an admin; anyone else is told it is not found, as an unknown id is."""
        if by is None or booking.user_id == by.id:
            return CUSTOMER
        if by.admin:
            return ADMIN
        if booking.event_id == self.id and self.may_manage(by.id):
            return ORGANIZER
        raise booking_not_found(booking.id)

    def _cancel(self, booking: BookingRef, now: datetime, *, reason: str, cancelled_by: str,
                stated_reason: str | None) -> None:
        if booking.category is None:  # a ref recorded before refs held the booking's facts
            raise RuntimeError(f"booking {booking.id} was not completed from its event's records")
        self._booking_cancelled(
            booking_id=booking.id,
            user_id=booking.user_id,
            category=booking.category,
            quantity=booking.seats,
            refund=booking.refund,
            reason=reason,
            cancelled_at=now,
            cancelled_by=cancelled_by,
            stated_reason=stated_reason,
        )
        booking.cancel(reason=reason, now=now, cancelled_by=cancelled_by,
                       stated_reason=stated_reason)

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
        cancelled_by: str | None = None,
        stated_reason: str | None = None,
    ) -> None:
        self.categories[category]["sold"] -= quantity
        self.held[user_id] -= quantity
        if not self.keeps_records:
            return
        key = str(booking_id)
        booking = self.bookings[key]
        record: BookingState = {
            **booking,
            "status": CANCELLED,
            "cancelled_at": cancelled_at,
            "tickets": dict.fromkeys(booking["tickets"], TICKET_CANCELLED),
        }
        # Only what was recorded: a legacy cancellation's record stays as it was (snapshots
        # taken before these keys existed hold it so).
        if cancelled_by is not None:
            record["cancelled_by"] = cancelled_by
        if stated_reason is not None:
            record["cancellation_reason"] = stated_reason
        self.bookings[key] = record

    def check_in(self, booking: BookingRef, code: str, *, now: datetime) -> None:
        """Mark a ticket of `booking` used, once."""
        if booking.event_id != self.id:
            raise ticket_not_found()
        booking.use_ticket(code, now=now)
        self._ticket_checked_in(booking_id=booking.id, code=code, checked_in_at=now)

    @event(TicketCheckedIn)
    def _ticket_checked_in(self, booking_id: UUID, code: str, checked_in_at: datetime) -> None:
        if not self.keeps_records:
            return
        key = str(booking_id)
        booking = self.bookings[key]
        self.bookings[key] = {**booking, "tickets": {**booking["tickets"], code: TICKET_USED}}

    # ----- the event's life: cancelled or completed ---------------------------------------

    def cancel(self, *, now: datetime, bookings: Iterable[BookingRef], by: Actor | None = None,
               reason: str | None = None) -> None:
        """Cancel the event and every confirmed booking on it (`bookings`), each refunded.

        Until it starts its organizer or an admin may, with a reason or none; once started,
        only an admin, with a reason (None: a trusted caller, with an admin's rights).
        """
        self._require_open()
        cancelled_by = ORGANIZER if by is not None and not by.admin else ADMIN
        stated = given_reason(reason)
        if now >= self.starts_at:
            if cancelled_by == ORGANIZER:
                raise Conflict("The event has started: only an admin may cancel it now",
                               code=codes.EVENT_STARTED)
            if stated is None:
                raise reason_required("Cancelling an event that has started needs a reason")
        for booking in bookings:
            if booking.status == CONFIRMED:
                self._cancel(booking, now, reason=EVENT_CANCELLED, cancelled_by=cancelled_by,
                             stated_reason=stated)
        self._event_cancelled(cancelled_at=now, cancelled_by=cancelled_by, reason=stated)

    @event(EventCancelled)
    def _event_cancelled(self, cancelled_at: datetime, cancelled_by: str | None = None,
                         reason: str | None = None) -> None:
        self.status = CANCELLED
        self._close_sales()

    def complete(self, *, now: datetime) -> None:
        """Close a started event: no more bookings or cancellations."""
        self._require_open()
        if now < self.starts_at:
            raise RuleBroken("The event has not started yet", code=codes.EVENT_NOT_STARTED)
        self._event_completed(completed_at=now)

    def complete_when_over(self, *, now: datetime) -> bool:
        """Close the event once it is over (`over_at`), as the scheduler does: False, nothing
        done, when it is closed already (completed by another scheduler, or cancelled) or not
        over (moved later since it was found due)."""
        if self.status != ACTIVE or now < self.over_at:
            return False
        self._event_completed(completed_at=now)
        return True

    @event(EventCompleted)
    def _event_completed(self, completed_at: datetime) -> None:
        self.status = COMPLETED
        self._close_sales()

    def _close_sales(self) -> None:
        """A closed event's holds and lines end with it (the read side ends them so too)."""
        self.holds, self.on_hold, self.holding = {}, {}, {}
        self.line, self.waiting = {}, {}

    @property
    def over_at(self) -> datetime:
        """When the event is over: its end, or its start when it has none."""
        return self.ends_at if self.ends_at is not None else self.starts_at

    def _require_open(self) -> None:
        if self.status == CANCELLED:
            raise RuleBroken("The event is cancelled", code=codes.EVENT_CANCELLED)
        if self.status == COMPLETED:
            raise RuleBroken("The event is completed", code=codes.EVENT_COMPLETED)

    # ----- checkout holds and the waiting line --------------------------------------------

    def hold(  # noqa: PLR0913 - a hold's fields
        self, *, hold_id: UUID, user_id: str, user_name: str, category: str | None,
        quantity: int, now: datetime,
    ) -> HoldState:
        """Take `quantity` seats of one category out of sale for this buyer until the hold
        expires (`hold_seconds` from now, never past the start), as a booking would take them."""
        self._require_on_sale(now, quantity)
        if str(hold_id) in self.holds:
            raise Conflict(f"Hold {hold_id} already exists", code=codes.DUPLICATE_BOOKING)
        if sum(1 for h in self.holds.values() if h["user_id"] == user_id) >= MAX_HOLDS_PER_USER:
            raise Conflict(f"At most {MAX_HOLDS_PER_USER} holds at once per buyer on an event",
                           code=codes.TOO_MANY_HOLDS)
        again_at = self.lapsed.get(user_id)
        if again_at is not None and now < again_at:
            raise Conflict(f"Your last hold on this event lapsed: you may hold seats again from "
                           f"{again_at.isoformat()}, or book them now", code=codes.HOLD_TOO_SOON)
        name = self._seats_for(user_id, category, quantity)
        self._within_open_bound(user_id, quantity)
        self._seats_held(hold_id=hold_id, user_id=user_id, user_name=user_name, category=name,
                         quantity=quantity, unit_price=self.categories[name]["price"],
                         expires_at=self.hold_expiry(now), held_at=now, offer_for=None)
        return self.holds[str(hold_id)]

    def hold_expiry(self, now: datetime) -> datetime:
        """When a hold made `now` expires: its length later, or the start if that comes first."""
        seconds = self.hold_seconds or DEFAULT_HOLD_SECONDS
        return min(now + timedelta(seconds=seconds), self.starts_at)

    @event(SeatsHeld)
    def _seats_held(  # noqa: PLR0913 - the SeatsHeld event's fields
        self, hold_id: UUID, user_id: str, user_name: str, category: str, quantity: int,
        unit_price: Decimal, expires_at: datetime, held_at: datetime, offer_for: UUID | None,
        waited_for: int | None = None,
    ) -> None:
        place = None if offer_for is None else str(offer_for)
        if place is not None:  # offered: out of the line, all it waited for no longer waited
            entry = self.line.pop(place, None)
            wanted = entry["quantity"] if entry is not None else waited_for or quantity
            self.waiting[category] = self.waiting.get(category, 0) - wanted
            self.placed[user_id] = self.placed.get(user_id, 0) - wanted
        self.holds[str(hold_id)] = {
            "user_id": user_id, "user_name": user_name, "category": category,
            "quantity": quantity, "unit_price": unit_price, "expires_at": expires_at,
            "offer_for": place,
        }
        self.on_hold[category] = self.on_hold.get(category, 0) + quantity
        self.holding[user_id] = self.holding.get(user_id, 0) + quantity

    def confirm_hold(
        self, claim: ClaimRef, *, booking_id: UUID, ticket_codes: list[str], by: Actor | None,
        now: datetime,
    ) -> None:
        """Turn the buyer's active hold into a booking of its seats, at the held price."""
        hold = self._active_hold(claim, by, now)
        self._require_open()
        if now >= self.starts_at:
            raise RuleBroken("The event has already started", code=codes.EVENT_IN_PAST)
        quantity = hold["quantity"]
        limit = self.max_tickets_per_user
        if limit is not None and self.seats_of(hold["user_id"]) > limit:  # lowered since held
            raise RuleBroken(f"At most {limit} tickets per user for this event",
                             code=codes.USER_LIMIT_EXCEEDED)
        fresh = not any(code in self.ticket_index for code in ticket_codes)
        if len(ticket_codes) != quantity or len(set(ticket_codes)) != quantity or not fresh:
            raise ValueError("one fresh ticket code per seat is required")
        self._seats_booked(booking_id=booking_id, user_id=hold["user_id"],
                           user_name=hold["user_name"], category=hold["category"],
                           quantity=quantity, unit_price=hold["unit_price"],
                           ticket_codes=ticket_codes, booked_at=now, hold_id=claim.id,
                           offer_for=ended(hold)["offer_for"])

    @event(HoldConfirmed)
    def _hold_confirmed(  # noqa: PLR0913 - the HoldConfirmed event's fields
        self, hold_id: UUID, user_id: str, category: str, quantity: int,
        offer_for: UUID | None, booking_id: UUID, confirmed_at: datetime,
    ) -> None:
        """A confirmation recorded before it was one `SeatsBooked`: its hold ends here."""
        self._end_hold(hold_id)

    def release_hold(self, claim: ClaimRef, *, by: Actor | None, now: datetime) -> None:
        """Give the held seats back before the hold expires: its buyer (an offer declined so),
        or an admin."""
        hold = self._active_hold(claim, by, now)
        released_by = ADMIN if by is not None and by.admin and by.id != claim.user_id \
            else CUSTOMER
        self._hold_released(hold_id=claim.id, **ended(hold), released_by=released_by,
                            released_at=now)

    @event(HoldReleased)
    def _hold_released(  # noqa: PLR0913 - the HoldReleased event's fields
        self, hold_id: UUID, user_id: str, category: str, quantity: int,
        offer_for: UUID | None, released_by: str, released_at: datetime,
    ) -> None:
        self._end_hold(hold_id)
        if released_by == CUSTOMER:
            self._lapse(user_id, released_at)

    def expire_holds(self, *, now: datetime) -> int:
        """Expire every hold whose time is up, and every place in line once the event has
        started (none is offered seats after), as the scheduler does: how many. A hold or a
        place ended already (by another scheduler) is not there."""
        due = [(key, hold) for key, hold in self.holds.items() if hold["expires_at"] <= now]
        for key, hold in due:
            self._hold_expired(hold_id=UUID(key), **ended(hold), expired_at=now)
        places = list(self.line.items()) if now >= self.starts_at else []
        for key, place in places:
            self._waitlist_left(entry_id=UUID(key), user_id=place["user_id"],
                                category=place["category"], quantity=place["quantity"],
                                left_by=EVENT_STARTED, left_at=now)
        return len(due) + len(places)

    @event(HoldExpired)
    def _hold_expired(  # noqa: PLR0913 - the HoldExpired event's fields
        self, hold_id: UUID, user_id: str, category: str, quantity: int,
        offer_for: UUID | None, expired_at: datetime,
    ) -> None:
        self._end_hold(hold_id)
        self._lapse(user_id, expired_at)

    def _lapse(self, user_id: str, at: datetime) -> None:
        """A hold that ended unbought keeps its buyer from holding again for one hold length;
        lapses over by `at` are forgotten (the warm aggregate's memory stays bounded)."""
        self.lapsed = {user: until for user, until in self.lapsed.items() if until > at}
        self.lapsed[user_id] = at + timedelta(seconds=self.hold_seconds or DEFAULT_HOLD_SECONDS)

    def _end_hold(self, hold_id: UUID) -> None:
        hold = self.holds.pop(str(hold_id))
        self.on_hold[hold["category"]] -= hold["quantity"]
        self.holding[hold["user_id"]] -= hold["quantity"]

    def _active_hold(self, claim: ClaimRef, by: Actor | None, now: datetime) -> HoldState:
        """The claim's hold, still active, for its buyer (an admin too; None: trusted)."""
        if claim.event_id != self.id or not claim.is_hold or (
                by is not None and by.id != claim.user_id and not by.admin):
            raise hold_not_found(claim.id)
        hold = self.holds.get(str(claim.id))
        if hold is None or now >= hold["expires_at"]:
            if claim.expires_at is not None and now >= claim.expires_at:
                raise DomainError("The hold expired: its seats went back on sale",
                                  code=codes.HOLD_EXPIRED)
            raise Conflict("The hold was confirmed or released already", code=codes.HOLD_ENDED)
        return hold

    def join_line(  # noqa: PLR0913 - a place's fields
        self, *, entry_id: UUID, user_id: str, user_name: str, category: str | None,
        quantity: int, now: datetime,
    ) -> None:
        """Wait in a category's line for up to `quantity` seats: only once none is on sale
        (the line is owed only seats that come back after it formed; those on sale stay on
        sale to everyone), once per buyer and category, within the per-user limit."""
        self._require_on_sale(now, quantity)
        name = self.resolve_category(category)
        left = self.available(name)
        if left:
            seats = "seat is" if left == 1 else "seats are"
            raise Conflict(f"{left} {seats} of {name!r} on sale: book or hold them",
                           code=codes.NOT_SOLD_OUT)
        if any(p["user_id"] == user_id and p["category"] == name for p in self.line.values()) \
                or any(h["user_id"] == user_id and h["category"] == name and h["offer_for"]
                       for h in self.holds.values()):
            raise Conflict(f"You are in the line for {name!r} already",
                           code=codes.ALREADY_IN_LINE)
        if quantity > self.categories[name]["capacity"]:
            raise RuleBroken(f"{name!r} has {self.categories[name]['capacity']} seats in all",
                             code=codes.NOT_ENOUGH_SEATS)
        self._within_limit(user_id, quantity)
        self._within_open_bound(user_id, quantity)
        self._waitlist_joined(entry_id=entry_id, user_id=user_id, user_name=user_name,
                              category=name, quantity=quantity, joined_at=now)

    @event(WaitlistJoined)
    def _waitlist_joined(  # noqa: PLR0913 - the WaitlistJoined event's fields
        self, entry_id: UUID, user_id: str, user_name: str, category: str, quantity: int,
        joined_at: datetime,
    ) -> None:
        self.line[str(entry_id)] = {"user_id": user_id, "user_name": user_name,
                                    "category": category, "quantity": quantity,
                                    "joined_at": joined_at}
        self.waiting[category] = self.waiting.get(category, 0) + quantity
        self.placed[user_id] = self.placed.get(user_id, 0) + quantity

    def leave_line(self, claim: ClaimRef, *, by: Actor | None, now: datetime) -> None:
        """Step out of the line: the one waiting, or an admin. An offer made already is a hold:
        released, not left."""
        if claim.event_id != self.id or claim.is_hold or (
                by is not None and by.id != claim.user_id and not by.admin):
            raise place_not_found(claim.id)
        if str(claim.id) not in self.line:
            raise Conflict("No longer waiting: offered seats already, or left",
                           code=codes.PLACE_ENDED)
        left_by = ADMIN if by is not None and by.admin and by.id != claim.user_id else CUSTOMER
        place = self.line[str(claim.id)]
        self._waitlist_left(entry_id=claim.id, user_id=place["user_id"],
                            category=place["category"], quantity=place["quantity"],
                            left_by=left_by, left_at=now)

    @event(WaitlistLeft)
    def _waitlist_left(  # noqa: PLR0913 - the WaitlistLeft event's fields
        self, entry_id: UUID, user_id: str, category: str, quantity: int, left_by: str,
        left_at: datetime,
    ) -> None:
        place = self.line.pop(str(entry_id))
        self.waiting[place["category"]] -= place["quantity"]
        self.placed[place["user_id"]] -= place["quantity"]

    def offer_to_line(self, *, now: datetime, new_hold_id: Callable[[], UUID]) -> list[UUID]:
        """Offer the seats free now to each category's line, strictly in the order of joining:
        the first place gets a hold of what is free, all it waited for or fewer (nobody behind
        it waits for seats it cannot take whole); a place whose buyer reached the per-user
        limit meanwhile (the limit was lowered) is passed. The offers' hold ids."""
        if self.status != ACTIVE or now >= self.starts_at:
            return []
        offers = []
        for place_id, place in list(self.line.items()):
            name, wanted = place["category"], place["quantity"]
            free = self._free(name)
            if free <= 0:
                continue
            room = self._room_for(place["user_id"], wanted)
            if room <= 0:
                self._waitlist_left(entry_id=UUID(place_id), user_id=place["user_id"],
                                    category=name, quantity=wanted, left_by=LIMIT_REACHED,
                                    left_at=now)
                continue
            hold_id = new_hold_id()
            self._seats_held(hold_id=hold_id, user_id=place["user_id"],
                             user_name=place["user_name"], category=name,
                             quantity=min(free, wanted, room),
                             unit_price=self.categories[name]["price"],
                             expires_at=self.hold_expiry(now), held_at=now,
                             offer_for=UUID(place_id), waited_for=wanted)
            offers.append(hold_id)
        return offers

    def _room_for(self, user_id: str, wanted: int) -> int:
        """Seats an offer may give a place waiting for `wanted`, under the per-user limit."""
        limit = self.max_tickets_per_user
        return wanted if limit is None else limit - (self.seats_of(user_id) - wanted)

    def place_in_line(self, entry_id: UUID) -> int | None:
        """The place's rank in its category's line, 1 for the first (None: not waiting)."""
        place = self.line.get(str(entry_id))
        if place is None:
            return None
        rank = 0
        for other_id, other in self.line.items():
            if other["category"] == place["category"]:
                rank += 1
            if other_id == str(entry_id):
                return rank
        return None

    def _require_on_sale(self, now: datetime, quantity: int) -> None:
        self._require_open()
        if now >= self.starts_at:
            raise RuleBroken("The event has already started", code=codes.EVENT_IN_PAST)
        if quantity < 1:
            raise RuleBroken("Quantity must be at least 1", code=codes.INVALID_QUANTITY)

    # ----- who runs it: its organizer, co-organizers and invitations ----------------------

    def may_manage(self, user_id: str) -> bool:
        """Whether the user is this event's organizer or one of its co-organizers."""
        return user_id == self.organizer_id or user_id in self.co_organizers

    def require_manager(self, actor: Actor | None) -> None:
        """Refuse unless the actor is an admin, its organizer or a co-organizer (None: trusted):
        editing details, reading bookings and stats, checking tickets in."""
        if actor is None or actor.admin or self.may_manage(actor.id):
            return
        raise not_organizer()

    def require_owner(self, actor: Actor | None) -> None:
        """Refuse unless the actor is an admin or its organizer (None: trusted): cancelling,
        completing, transferring it, changing its co-organizers."""
        if actor is None or actor.admin or actor.id == self.organizer_id:
            return
        if self.may_manage(actor.id):
            raise Forbidden("Only this event's organizer or an admin may do this",
                            code=codes.NOT_EVENT_OWNER)
        raise not_organizer()

    def transfer(self, *, organizer_id: str, organizer_name: str, by: Actor,
                 now: datetime) -> None:
        """Hand the event to another organizer: an admin to any organizer account, its
        organizer only to one of its co-organizers (who accepted to be named on it)."""
        self.require_owner(by)
        if organizer_id == self.organizer_id:
            raise RuleBroken("That user already organizes this event", code=codes.ALREADY_ORGANIZER)
        if not by.admin and organizer_id not in self.co_organizers:
            raise RuleBroken("An organizer hands the event only to one of its co-organizers",
                             code=codes.NOT_A_CO_ORGANIZER)
        self._organizer_transferred(previous_organizer_id=self.organizer_id,
                                    organizer_id=organizer_id, organizer_name=organizer_name,
                                    by=by.id, transferred_at=now)

    @event(OrganizerTransferred)
    def _organizer_transferred(
        self, previous_organizer_id: str | None, organizer_id: str, organizer_name: str,
        by: str, transferred_at: datetime,
    ) -> None:
        self.organizer_id, self.organizer_name = organizer_id, organizer_name
        self.co_organizers.pop(organizer_id, None)  # a co-organizer made organizer is one role
        self.invited.pop(organizer_id, None)

    def add_co_organizer(self, *, user_id: str, user_name: str, by: Actor) -> None:
        """An admin makes another organizer a co-organizer at once; the event's organizer
        invites them (`accept_invitation`)."""
        self.require_owner(by)
        if user_id == self.organizer_id:
            raise RuleBroken("That user already organizes this event", code=codes.ALREADY_ORGANIZER)
        if user_id in self.co_organizers:
            raise RuleBroken("That user already co-organizes this event",
                             code=codes.ALREADY_CO_ORGANIZER)
        if by.admin:
            self._co_organizer_added(user_id=user_id, user_name=user_name, by=by.id)
            return
        if user_id in self.invited:
            raise RuleBroken("That user is invited already", code=codes.ALREADY_INVITED)
        if len(self.co_organizers) + len(self.invited) >= MAX_CO_ORGANIZERS:
            raise RuleBroken(f"At most {MAX_CO_ORGANIZERS} co-organizers and invitations per "
                             "event", code=codes.TOO_MANY_CO_ORGANIZERS)
        self._co_organizer_invited(user_id=user_id, user_name=user_name, by=by.id)

    @event(CoOrganizerAdded)
    def _co_organizer_added(self, user_id: str, user_name: str, by: str) -> None:
        self.co_organizers[user_id] = user_name
        self.invited.pop(user_id, None)  # an admin's addition answers an invitation too

    @event(CoOrganizerInvited)
    def _co_organizer_invited(self, user_id: str, user_name: str, by: str) -> None:
        self.invited[user_id] = user_name

    def accept_invitation(self, *, by: Actor) -> None:
        """The invited organizer becomes a co-organizer (and is named on the event)."""
        name = self._invitation_of(by)
        self._co_organizer_accepted(user_id=by.id, user_name=name)

    @event(CoOrganizerAccepted)
    def _co_organizer_accepted(self, user_id: str, user_name: str) -> None:
        self.invited.pop(user_id, None)
        self.co_organizers[user_id] = user_name

    def decline_invitation(self, *, by: Actor) -> None:
        """The invited organizer says no: nothing of it is shown on the event."""
        self._invitation_of(by)
        self._co_organizer_declined(user_id=by.id)

    @event(CoOrganizerDeclined)
    def _co_organizer_declined(self, user_id: str) -> None:
        self.invited.pop(user_id, None)

    def remove_co_organizer(self, *, user_id: str, by: Actor) -> None:
        """Take a co-organizer's rights away, or withdraw an invitation (the organizer, an
        admin); a co-organizer may step down. Never the organizer's: a transfer moves them."""
        if not (by.id == user_id and user_id in self.co_organizers):
            self.require_owner(by)
        if user_id == self.organizer_id:
            raise RuleBroken("The organizer cannot be removed; transfer the event instead",
                             code=codes.IS_ORGANIZER)
        if user_id in self.invited:
            self._co_organizer_invitation_withdrawn(user_id=user_id, by=by.id)
            return
        if user_id not in self.co_organizers:
            raise NotFound("That user does not co-organize this event",
                           code=codes.CO_ORGANIZER_NOT_FOUND)
        self._co_organizer_removed(user_id=user_id, by=by.id)

    @event(CoOrganizerInvitationWithdrawn)
    def _co_organizer_invitation_withdrawn(self, user_id: str, by: str) -> None:
        self.invited.pop(user_id, None)

    @event(CoOrganizerRemoved)
    def _co_organizer_removed(self, user_id: str, by: str) -> None:
        self.co_organizers.pop(user_id, None)

    def _invitation_of(self, by: Actor) -> str:
        """The invitee's name, if the actor has an invitation pending on this event."""
        name = self.invited.get(by.id)
        if name is None:
            raise NotFound("No invitation of yours is pending on this event",
                           code=codes.INVITATION_NOT_FOUND)
        return name

    # ----- queries ------------------------------------------------------------------------

    def resolve_category(self, category: str | None) -> str:
        if category is None:
            if len(self.categories) == 1:
                return next(iter(self.categories))
            raise RuleBroken(
                "This event has several categories; name one", code=codes.CATEGORY_REQUIRED
            )
        if category not in self.categories:
            raise RuleBroken(f"No category {category!r} on this event", code=codes.UNKNOWN_CATEGORY)
        return category

    def available(self, category: str) -> int:
        """Seats a walk-up buyer may take: neither sold, held, nor owed to the line."""
        return max(0, self._free(category) - self.waiting.get(category, 0))

    def _free(self, category: str) -> int:
        c = self.categories[category]
        return c["capacity"] - c["sold"] - self.on_hold.get(category, 0)

    @property
    def total_seats(self) -> int:
        return sum(c["capacity"] for c in self.categories.values())

    @property
    def available_seats(self) -> int:
        return sum(self.available(name) for name in self.categories)

    def booking(self, booking_id: UUID) -> BookingState:
        """One booking's record, on an aggregate loaded with them (a warm one has none: a
        booking's own stream, `commands.domain.booking`, tells it instead)."""
        if not self.keeps_records:
            raise RuntimeError("a warm aggregate keeps no booking records; read the BookingRef")
        try:
            return self.bookings[str(booking_id)]
        except KeyError:
            raise booking_not_found(booking_id) from None


def ended(hold: HoldState) -> dict[str, Any]:
    """What an ended hold's event repeats of it, for readers of the log."""
    offer_for = hold["offer_for"]
    return {"user_id": hold["user_id"], "category": hold["category"],
            "quantity": hold["quantity"], "offer_for": UUID(offer_for) if offer_for else None}


def given_reason(reason: str | None) -> str | None:
    """A reason as given, None when there is none (blank counts as none)."""
    if reason is None or not reason.strip():
        return None
    return reason.strip()


def reason_required(message: str) -> DomainError:
    return DomainError(message, code=codes.REASON_REQUIRED)


def check_category(name: str, price: Decimal, capacity: int, *, minimum: int = 1) -> None:
    """A category needs a name, a price >= 0 with at most 2 decimals, and a capacity."""
    if not name.strip():
        raise RuleBroken("A category needs a name", code=codes.INVALID_CATEGORY)
    if not price.is_finite() or price < 0 or price.as_tuple().exponent < -2:  # type: ignore[operator]
        raise RuleBroken("Price must be >= 0 with at most 2 decimals", code=codes.INVALID_PRICE)
    if capacity < minimum:
        raise RuleBroken(f"Capacity must be at least {minimum}", code=codes.INVALID_CAPACITY)


def check_details(details: dict[str, Any], *, now: datetime, starts_changed: bool = True) -> None:
    """Name present, start in the future (when set now), end after start, limit >= 1."""
    if not str(details["name"]).strip():
        raise RuleBroken("An event needs a name", code=codes.INVALID_EVENT)
    starts_at: datetime = details["starts_at"]
    if starts_at.tzinfo is None:
        raise RuleBroken("starts_at needs a time zone", code=codes.INVALID_EVENT)
    if starts_changed and starts_at <= now:
        raise RuleBroken("starts_at must be in the future", code=codes.STARTS_IN_PAST)
    ends_at: datetime | None = details["ends_at"]
    if ends_at is not None and (ends_at.tzinfo is None or ends_at <= starts_at):
        raise RuleBroken("ends_at must be after starts_at, with a time zone",
                         code=codes.INVALID_EVENT)
    limit = details["max_tickets_per_user"]
    if limit is not None and limit < 1:
        raise RuleBroken("max_tickets_per_user must be at least 1", code=codes.INVALID_EVENT)
    seconds = details.get("hold_seconds")
    if seconds is not None and not MIN_HOLD_SECONDS <= seconds <= MAX_HOLD_SECONDS:
        raise RuleBroken(
            f"hold_seconds must be from {MIN_HOLD_SECONDS} to {MAX_HOLD_SECONDS}",
            code=codes.INVALID_EVENT)



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
    hold_seconds: int | None = None,
) -> Event:
    """Check every creation rule, then start the event's stream (None: unowned, admins only)."""
    check_details(
        {"name": name, "starts_at": starts_at, "ends_at": ends_at,
         "max_tickets_per_user": max_tickets_per_user, "hold_seconds": hold_seconds},
        now=now,
    )
    if not categories:
        raise RuleBroken("An event needs at least one ticket category", code=codes.INVALID_EVENT)
    names = [c["name"] for c in categories]
    if len(set(names)) != len(names):
        raise RuleBroken("Category names must be unique", code=codes.INVALID_CATEGORY)
    for c in categories:
        check_category(c["name"], Decimal(c["price"]), int(c["capacity"]))
    if len(currency) != 3 or not currency.isalpha():
        raise RuleBroken("currency must be a 3-letter ISO 4217 code", code=codes.INVALID_EVENT)
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
        hold_seconds=hold_seconds,
    )
