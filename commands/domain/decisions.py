"""The decisions on an event's inventory and bookings: each rule checked, then an event triggered.

A mixin of `commands.domain.event.Event`: the rules and the queries they read live here, the
events they trigger (`commands.domain.events`) and their appliers on the aggregate. Pure
domain: no I/O and no clock; time (`now`), ids and ticket codes come in as arguments.
"""

from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from commands.domain.booking import BookingRef
from commands.domain.errors import Conflict, RuleBroken, booking_not_found, ticket_not_found
from commands.domain.events import (
    CANCELLED,
    COMPLETED,
    CONFIRMED,
    DETAIL_FIELDS,
    BookingState,
    CategoryState,
)


class Decisions:
    """The commands and queries of an Event's seats, bookings and tickets."""

    id: UUID
    status: str
    starts_at: datetime
    max_tickets_per_user: int | None
    categories: dict[str, CategoryState]
    bookings: dict[str, BookingState]
    held: dict[str, int]  # user id -> confirmed tickets
    ticket_index: dict[str, str]  # ticket code -> booking id
    keeps_records: bool  # False: `bookings` and `ticket_index` are empty for good
    # The appliers, each defined with its event on the aggregate.
    _details_updated: Callable[..., None]
    _category_added: Callable[..., None]
    _category_changed: Callable[..., None]
    _seats_booked: Callable[..., None]
    _booking_cancelled: Callable[..., None]
    _ticket_checked_in: Callable[..., None]
    _event_cancelled: Callable[..., None]
    _event_completed: Callable[..., None]

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
        # Without its records (a warm aggregate), a booking id used before collides with its
        # `BookingRef` in the store, and ticket codes are 128 random bits.
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

    def cancel_booking(self, booking: BookingRef, *, now: datetime,
                       reason: str = "customer") -> None:
        """Cancel a confirmed booking of this event; its seats are free again at once."""
        booking.require_cancellable()
        self._require_open()
        if now >= self.starts_at:
            raise RuleBroken("The event has already started", code="EVENT_IN_PAST")
        booking.require_unused()
        self._cancel(booking, reason, now)

    def cancel(self, *, now: datetime, bookings: Iterable[BookingRef]) -> None:
        """Cancel the event and every confirmed booking on it (`bookings`), each refunded."""
        self._require_open()
        for booking in bookings:
            if booking.status == CONFIRMED:
                self._cancel(booking, "event_cancelled", now)
        self._event_cancelled(cancelled_at=now)

    def complete(self, *, now: datetime) -> None:
        """Close a started event: no more bookings or cancellations."""
        self._require_open()
        if now < self.starts_at:
            raise RuleBroken("The event has not started yet", code="EVENT_NOT_STARTED")
        self._event_completed(completed_at=now)

    def check_in(self, booking: BookingRef, code: str, *, now: datetime) -> None:
        """Mark a ticket of `booking` used, once."""
        if booking.event_id != self.id:
            raise ticket_not_found()
        booking.use_ticket(code, now=now)
        self._ticket_checked_in(booking_id=booking.id, code=code, checked_in_at=now)

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
        """One booking's record, on an aggregate loaded with them (a warm one has none: a
        booking's own stream, `commands.domain.booking`, tells it instead)."""
        if not self.keeps_records:
            raise RuntimeError("a warm aggregate keeps no booking records; read the BookingRef")
        try:
            return self.bookings[str(booking_id)]
        except KeyError:
            raise booking_not_found(booking_id) from None

    def _require_open(self) -> None:
        if self.status == CANCELLED:
            raise RuleBroken("The event is cancelled", code="EVENT_CANCELLED")
        if self.status == COMPLETED:
            raise RuleBroken("The event is completed", code="EVENT_COMPLETED")

    def _cancel(self, booking: BookingRef, reason: str, now: datetime) -> None:
        self._booking_cancelled(
            booking_id=booking.id,
            user_id=booking.user_id,
            category=booking.category,
            quantity=booking.seats,
            refund=booking.refund,
            reason=reason,
            cancelled_at=now,
        )
        booking.cancel(reason=reason, now=now)


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

