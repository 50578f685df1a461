"""The booking records a full `Event` aggregate keeps, for time travel to show: each applier
writes its change here. A warm aggregate keeps none (`Event.forget_bookings`): every function
that writes is a no-op on it, and a booking's own stream (`commands.domain.booking`) tells the
rest."""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from sys import intern
from typing import Any
from uuid import UUID

from commands.domain.errors import booking_not_found
from commands.domain.events import (
    CANCELLED,
    CONFIRMED,
    TICKET_ACTIVE,
    TICKET_CANCELLED,
    TICKET_USED,
    BookingState,
)
from commands.domain.state import EventState
from core.personal import Named


def add(event: EventState, booking_id: UUID, *, user_id: str,  # noqa: PLR0913 - its fields
        user_name: Named, category: str, quantity: int, unit_price: Decimal,
        ticket_codes: list[str], booked_at: datetime, lines: list[dict[str, Any]] | None,
        voucher: str | None = None) -> None:
    """Record a new booking and index its tickets."""
    if not event.keeps_records:
        return
    key = str(booking_id)
    event.bookings[key] = _booked(
        event.categories[category]["price"], user_id=user_id, user_name=user_name,
        category=category, quantity=quantity, unit_price=unit_price,
        ticket_codes=ticket_codes, booked_at=booked_at, lines=lines)
    if voucher:
        event.bookings[key]["voucher"] = voucher
    for code in ticket_codes:
        event.ticket_index[code] = key


def amend(event: EventState, booking_id: UUID, change: Callable[..., BookingState],
          *args: Any) -> None:
    """Replace a booking's record by `change(record, *args)`: never edited in place, so that a
    fork (`Event.fork`) shares the records unchanged."""
    if event.keeps_records:
        key = str(booking_id)
        event.bookings[key] = change(event.bookings[key], *args)


def _booked(category_price: Decimal, *, user_id: str, user_name: Named,  # noqa: PLR0913
            category: str, quantity: int, unit_price: Decimal, ticket_codes: list[str],
            booked_at: datetime, lines: list[dict[str, Any]] | None) -> BookingState:
    # A full aggregate holds every booking: the strings a user's bookings repeat, and the
    # category's price, are kept once, not once per booking.
    if category_price == unit_price and category_price.as_tuple() == unit_price.as_tuple():
        unit_price = category_price
    record: BookingState = {
        "user_id": intern(user_id),
        "user_name": intern(user_name) if isinstance(user_name, str) else user_name,
        "category": intern(category),
        "quantity": quantity,
        "unit_price": unit_price,
        "status": CONFIRMED,
        "tickets": dict.fromkeys(ticket_codes, TICKET_ACTIVE),
        "created_at": booked_at,
        "cancelled_at": None,
    }
    if lines:
        record["lines"] = lines
    return record


def cancelled(booking: BookingState, cancelled_at: datetime, cancelled_by: str | None,
              stated_reason: str | None) -> BookingState:
    """The booking's record once cancelled, its tickets with it."""
    record: BookingState = {
        **booking,
        "status": CANCELLED,
        "cancelled_at": cancelled_at,
        "tickets": dict.fromkeys(booking["tickets"], TICKET_CANCELLED),
    }
    # Only what was recorded: a legacy cancellation's record stays as it was (snapshots taken
    # before these keys existed hold it so).
    if cancelled_by is not None:
        record["cancelled_by"] = cancelled_by
    if stated_reason is not None:
        record["cancellation_reason"] = stated_reason
    return record


def tickets_cancelled(booking: BookingState, codes: list[str]) -> BookingState:
    """The booking's record once tickets `codes` are cancelled; it stays confirmed."""
    return {**booking, "tickets": {**booking["tickets"], **dict.fromkeys(codes,
                                                                         TICKET_CANCELLED)}}


def checked_in(booking: BookingState, code: str) -> BookingState:
    """The booking's record once its ticket `code` is used."""
    return {**booking, "tickets": {**booking["tickets"], code: TICKET_USED}}


def check_in_undone(booking: BookingState, code: str) -> BookingState:
    """The booking's record once the check-in of its ticket `code` is taken back."""
    return {**booking, "tickets": {**booking["tickets"], code: TICKET_ACTIVE}}


def record_of(event: EventState, booking_id: UUID) -> BookingState:
    """One booking's record, on an aggregate loaded with them."""
    if not event.keeps_records:
        raise RuntimeError("a warm aggregate keeps no booking records; read the Booking")
    try:
        return event.bookings[str(booking_id)]
    except KeyError:
        raise booking_not_found(booking_id) from None
