"""Bookings: what selling seats outright, cancelling a booking (who may, and why) and checking
a ticket in require. Pure rules over the event's state and the booking's own stream; the
records a full aggregate keeps of them are `commands.domain.records`'."""

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any
from uuid import UUID

from commands.domain import taxes, vouchers
from commands.domain.actor import Actor
from commands.domain.booking import Booking
from commands.domain.checkout import require_no_payment_due, settlement
from commands.domain.errors import (
    Conflict,
    DomainError,
    RuleBroken,
    booking_not_found,
    ticket_not_found,
)
from commands.domain.events import (
    ADMIN,
    CONFIRMED,
    CUSTOMER,
    ORGANIZER,
    TICKET_CANCELLED,
    TICKET_USED,
)
from commands.domain.lifecycle import (
    given_reason,
    reason_required,
    require_not_started,
    require_on_sale,
)
from commands.domain.lines import Line, recorded, seats_in
from commands.domain.organizers import may_manage
from commands.domain.seats import on_sale_to, require_fresh_codes
from commands.domain.state import EventState
from core import error_codes as codes


def booking_terms(event: EventState, *, booking_id: UUID, user_id: str,  # noqa: PLR0913
                  category: str | None, quantity: int, ticket_codes: list[str], now: datetime,
                  pay_first: bool, voucher: str | None = None) -> dict[str, Any]:
    """What `quantity` seats booked outright, whole or not at all, record: their category, its
    price (a voucher's, when one is given), and how they are paid for (with `pay_first`, free
    seats only: paid seats are booked by paying for a hold)."""
    require_on_sale(event, now, quantity)
    # Without its records (a warm aggregate), a booking id used before collides with its
    # `Booking` in the store, and ticket codes are 128 random bits.
    if str(booking_id) in event.bookings:
        raise Conflict(f"Booking {booking_id} already exists", code=codes.DUPLICATE_BOOKING)
    require_fresh_codes(event, ticket_codes, quantity)
    name = on_sale_to(event, user_id, category, quantity, voucher)
    line: Line = {"category": name, "quantity": quantity,
                  "unit_price": event.categories[name]["price"]}
    terms: dict[str, Any] = {}
    if voucher is not None:
        code, (line,) = vouchers.redeemed(event, voucher, [line], now)
        terms["voucher"] = code
    (line,) = taxes.taxed(event, [line])
    if recorded([line]):
        terms["lines"] = recorded([line])
    price = line["unit_price"]
    require_no_payment_due(price, pay_first)
    return {"category": name, "unit_price": price,
            "settlement": settlement(price, by_payment=False), **terms}


def canceller_of(event: EventState, booking: Booking, by: Actor | None) -> str:
    """Who `by` is to this booking: its holder, this event's organizer (or co-organizer), an
    admin; anyone else is told it is not found, as an unknown id is."""
    if by is None or booking.user_id == by.id:
        return CUSTOMER
    if by.admin:
        return ADMIN
    if booking.event_id == event.id and may_manage(event, by.id):
        return ORGANIZER
    raise booking_not_found(booking.id)


def cancellation(event: EventState, booking: Booking, *, now: datetime,
                 by: Actor | None, reason: str | None) -> tuple[str, str | None]:
    """Who cancels a confirmed booking before the start, and the reason given: its holder,
    with a reason or none; the event's organizers and admins with one. None of them cancels a
    booking with a ticket checked in: someone is in that seat, so it is neither free to sell
    again nor owed back. Only the event's own cancellation (`Event.cancel`), which refunds
    everyone, still cancels it."""
    cancelled_by = canceller_of(event, booking, by)
    stated = given_reason(reason)
    if cancelled_by != CUSTOMER and stated is None:
        raise reason_required("Cancelling another's booking needs a reason")
    booking.require_cancellable()
    require_not_started(event, now)
    booking.require_unused()
    return cancelled_by, stated


def tickets_cancellation(event: EventState, booking: Booking, named: list[str], *,  # noqa: PLR0913
                         now: datetime, by: Actor | None,
                         reason: str | None) -> tuple[str, str | None]:
    """Who cancels some tickets of a confirmed booking before the start, and the reason given,
    as for the whole booking (`cancellation`); each ticket named once, of this booking, neither
    cancelled nor used. A request that breaks any of these is refused whole."""
    cancelled_by = canceller_of(event, booking, by)
    stated = given_reason(reason)
    if cancelled_by != CUSTOMER and stated is None:
        raise reason_required("Cancelling another's tickets needs a reason")
    booking.require_cancellable()
    require_not_started(event, now)
    if len(set(named)) != len(named):
        raise DomainError("A ticket is named more than once", code=codes.TICKET_NAMED_TWICE)
    for code in named:
        status = booking.tickets.get(code)
        if status is None:
            raise ticket_not_found()
        if status == TICKET_CANCELLED:
            raise Conflict("The ticket was refunded already", code=codes.TICKET_ALREADY_REFUNDED)
        if status == TICKET_USED:
            raise RuleBroken("The ticket was checked in", code=codes.TICKET_ALREADY_USED)
    return cancelled_by, stated








def cancelled_seats(booking: Booking) -> dict[str, Any]:
    """What a `BookingCancelled` repeats of the booking: the seats it frees (those its tickets
    cancelled before did not), per category when it spans several, the refund."""
    lines = booking.lines_left()
    return {**_seats_of(booking), "quantity": booking.seats_left, "refund": booking.refund,
            **_lines_field(booking, lines)}


def cancelled_tickets(booking: Booking, codes: list[str]) -> dict[str, Any]:
    """What a `TicketsCancelled` repeats of the booking: the seats of `codes` (per category
    when the booking spans several), their price."""
    lines = booking.lines_of_tickets(codes)
    return {**_seats_of(booking), "quantity": seats_in(lines), "ticket_codes": list(codes),
            "refund": booking.price_of(codes), **_lines_field(booking, lines)}


def _lines_field(booking: Booking, lines: list[Any]) -> dict[str, Any]:
    """The `lines` a cancellation records: only a booking across categories records any,
    and each of its cancellations names theirs (even one category's)."""
    if booking.lines is None:
        return {}
    return {"lines": recorded(lines) or [dict(line) for line in lines],
            "category": lines[0]["category"] if lines else booking.category}


def _seats_of(booking: Booking) -> dict[str, Any]:
    if booking.category is None:  # a ref recorded before refs held the booking's facts
        raise RuntimeError(f"booking {booking.id} was not completed from its event's records")
    return {"booking_id": booking.id, "user_id": booking.user_id, "category": booking.category}


def confirmed(bookings: Iterable[Booking]) -> Iterator[Booking]:
    """The bookings an event's cancellation cancels: those still confirmed."""
    return (booking for booking in bookings if booking.status == CONFIRMED)


def require_ticket_here(event: EventState, booking: Booking) -> None:
    """A ticket is checked in at its own event: at any other it is not found."""
    if booking.event_id != event.id:
        raise ticket_not_found()
