"""Booking: a booking's own stream, saved with its event's stream in one transaction.

Its id is the booking id, so the write side finds a booking without any projection, and a
retried `Idempotency-Key` (which derives the same booking id) collides with it in the store
instead of booking twice. It records what the booking is (`Registered`: the seats, their price
and ticket codes) and what became of it (`Cancelled`, `TicketUsed`), each appended beside the
event's own domain event in the same save: a cancellation or a check-in is decided on the
booking's stream, so the event's aggregate keeps seat counts, not every booking.

A ref registered before it carried the booking's facts (version 1) is completed from its
event's records when it is loaded (`completed`).
"""

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from commands.domain.chain import UPCAST, ChainedCreated, ChainedEvent
from commands.domain.declared import Declared
from commands.domain.errors import RuleBroken, ticket_not_found
from commands.domain.events import (
    CANCELLED,
    CONFIRMED,
    TICKET_ACTIVE,
    TICKET_CANCELLED,
    TICKET_USED,
    BookingState,
)
from commands.domain.lines import Line, lines_of, lines_of_tickets, ticket_lines, total_of
from core import error_codes as codes
from core.personal import Named

FACTS = ("user_name", "category", "quantity", "unit_price", "ticket_codes", "booked_at")
STORED_AS = "commands.booking_ref:BookingRef"  # the topic of a booking's stream, as stored


class Booking(Aggregate):
    """A booking: where it lives, who made it with what request, its seats and tickets."""

    TOPIC = STORED_AS  # kept wherever the code lives: stored events decode, queries find them

    class Created(Aggregate.Created):  # the library's, never triggered: `Registered` is ours
        TOPIC = f"{STORED_AS}.Created"

    class Registered(ChainedCreated):
        TOPIC = f"{STORED_AS}.Registered"
        declared = Declared("Booking registered", personal=("user_name",))
        class_version = 2  # version 1 held the event, the owner and the request only
        secret = ("ticket_codes", "voucher")  # audit views show digests (commands.domain.chain)
        event_id: UUID
        user_id: str
        fingerprint: str
        user_name: Named | None
        category: str | None
        quantity: int | None
        unit_price: Decimal | None
        ticket_codes: list[str] | None
        booked_at: datetime | None
        # Across categories, as its event's `SeatsBooked` (`commands.domain.lines`).
        lines: list[dict[str, Any]] | None = None
        # The voucher its seats were priced by, as its event's `SeatsBooked` names it.
        voucher: str | None = None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Recorded before refs held the booking: completed from its event's records.

            The fields are not in what its hash covered (`commands.domain.chain.UPCAST`).
            """
            for name in FACTS:
                state[name] = None
            state[UPCAST] = FACTS

    class Cancelled(ChainedEvent):
        """As its event's `BookingCancelled` tells it (`commands.domain.events`): what ended
        it, who cancelled it and the reason they gave (None when recorded before these)."""

        TOPIC = f"{STORED_AS}.Cancelled"
        declared = Declared("Booking stream cancelled")
        reason: str
        refund: Decimal
        cancelled_at: datetime
        cancelled_by: str | None = None
        stated_reason: str | None = None

    class TicketsCancelled(ChainedEvent):
        """As its event's `TicketsCancelled` tells it: some tickets cancelled, their price
        given back, the booking confirmed with the rest."""

        TOPIC = f"{STORED_AS}.TicketsCancelled"
        declared = Declared("Tickets cancelled")
        secret = ("ticket_codes",)
        ticket_codes: list[str]
        refund: Decimal
        reason: str
        cancelled_at: datetime
        cancelled_by: str
        stated_reason: str | None

    class TicketUsed(ChainedEvent):
        TOPIC = f"{STORED_AS}.TicketUsed"
        declared = Declared("Ticket used")
        secret = ("code",)
        code: str
        checked_in_at: datetime

    class TicketCheckInUndone(ChainedEvent):
        TOPIC = f"{STORED_AS}.TicketCheckInUndone"
        declared = Declared("Check-in undone")
        secret = ("code",)
        code: str
        undone_at: datetime

    @event(Registered)
    def __init__(  # noqa: PLR0913 - the Registered event's fields
        self, id: UUID, event_id: UUID,  # noqa: A002 - the library's name for the id
        user_id: str, fingerprint: str, user_name: Named | None = None,
        category: str | None = None, quantity: int | None = None,
        unit_price: Decimal | None = None, ticket_codes: list[str] | None = None,
        booked_at: datetime | None = None, lines: list[dict[str, Any]] | None = None,
        voucher: str | None = None,
    ) -> None:
        self.event_id = event_id
        self.lines = lines
        self.voucher = voucher
        self.user_id = user_id
        self.fingerprint = fingerprint
        self.user_name = user_name
        self.category = category
        self.quantity = quantity
        self.unit_price = unit_price
        self.tickets: dict[str, str] = dict.fromkeys(ticket_codes or (), TICKET_ACTIVE)
        self.checked_in_at: dict[str, datetime] = {}  # of its tickets used now
        self.created_at = booked_at
        self.status = CONFIRMED
        self.cancelled_at: datetime | None = None
        self.cancelled_by: str | None = None
        self.cancellation_reason: str | None = None

    @event(Cancelled)
    def _cancelled(self, reason: str, refund: Decimal, cancelled_at: datetime,
                   cancelled_by: str | None = None, stated_reason: str | None = None) -> None:
        self.status = CANCELLED
        self.cancelled_at = cancelled_at
        self.cancelled_by, self.cancellation_reason = cancelled_by, stated_reason
        self.tickets = dict.fromkeys(self.tickets, TICKET_CANCELLED)

    @event(TicketsCancelled)
    def _tickets_cancelled(  # noqa: PLR0913 - the TicketsCancelled event's fields
        self, ticket_codes: list[str], refund: Decimal, reason: str, cancelled_at: datetime,
        cancelled_by: str, stated_reason: str | None,
    ) -> None:
        self.tickets.update(dict.fromkeys(ticket_codes, TICKET_CANCELLED))

    @event(TicketUsed)
    def _ticket_used(self, code: str, checked_in_at: datetime) -> None:
        self.tickets[code] = TICKET_USED
        self.checked_in_at[code] = checked_in_at

    @event(TicketCheckInUndone)
    def _ticket_check_in_undone(self, code: str, undone_at: datetime) -> None:
        self.tickets[code] = TICKET_ACTIVE
        self.checked_in_at.pop(code, None)

    # ----- decisions: the booking's own rules (the event's are `commands.domain.event`) -----

    @property
    def refund(self) -> Decimal:
        """What cancelling it now gives back: the price of the seats it has left."""
        if self.lines is None:
            return self.price * self.seats_left
        return total_of(self.lines_left())

    def price_of(self, codes: list[str]) -> Decimal:
        """What tickets `codes` cost, each at its line's price."""
        if self.lines is None:
            return self.price * len(codes)
        return total_of(self.lines_of_tickets(codes))

    def lines_of_tickets(self, codes: list[str]) -> list[Line]:
        """The lines tickets `codes` make: their seats per category, at each one's price."""
        return lines_of_tickets(codes, ticket_lines(self.tickets, lines_of(self)))

    def lines_left(self) -> list[Line]:
        """The lines of its tickets not cancelled."""
        if self.status == CANCELLED:
            return []
        return self.lines_of_tickets(
            [code for code, s in self.tickets.items() if s != TICKET_CANCELLED])

    @property
    def seats(self) -> int:
        """The seats it was booked with."""
        return int(self.quantity or 0)

    @property
    def seats_left(self) -> int:
        """Its seats less those whose tickets were cancelled while it stayed confirmed."""
        if self.status == CANCELLED:
            return 0
        return self.seats - sum(1 for s in self.tickets.values() if s == TICKET_CANCELLED)

    @property
    def tickets_left(self) -> set[str]:
        """The codes of its tickets not cancelled (used ones included)."""
        return {code for code, s in self.tickets.items() if s != TICKET_CANCELLED}

    @property
    def price(self) -> Decimal:
        return self.unit_price if self.unit_price is not None else Decimal(0)

    def require_cancellable(self) -> None:
        if self.status == CANCELLED:
            raise RuleBroken("The booking is already cancelled", code=codes.ALREADY_CANCELLED)

    def require_unused(self) -> None:
        if TICKET_USED in self.tickets.values():
            raise RuleBroken("A ticket of this booking was used", code=codes.TICKET_ALREADY_USED)

    def cancel(self, *, reason: str, now: datetime, cancelled_by: str,
               stated_reason: str | None) -> None:
        self._cancelled(reason=reason, refund=self.refund, cancelled_at=now,
                        cancelled_by=cancelled_by, stated_reason=stated_reason)

    def cancel_tickets(self, codes: list[str], *, refund: Decimal, reason: str,  # noqa: PLR0913
                       now: datetime, cancelled_by: str, stated_reason: str | None) -> None:
        self._tickets_cancelled(ticket_codes=list(codes), refund=refund, reason=reason,
                                cancelled_at=now, cancelled_by=cancelled_by,
                                stated_reason=stated_reason)

    def use_ticket(self, code: str, *, now: datetime) -> None:
        """Mark one of its tickets used, once. A second scan is refused with who and when, for
        the door to tell a copied ticket from a double scan."""
        status = self.tickets.get(code)
        if status is None:
            raise ticket_not_found()
        if status == TICKET_USED:
            at = self.checked_in_at.get(code)
            raise RuleBroken(
                "The ticket was already checked in" + (f" at {at:%H:%M} UTC" if at else ""),
                code=codes.TICKET_ALREADY_USED, facts={"ticket": self.at_door(code)})
        if status == TICKET_CANCELLED:
            raise RuleBroken("The ticket is cancelled", code=codes.TICKET_CANCELLED)
        self._ticket_used(code=code, checked_in_at=now)

    def undo_ticket_use(self, code: str, *, now: datetime) -> None:
        """Take back the check-in of one of its tickets: live again."""
        status = self.tickets.get(code)
        if status is None:
            raise ticket_not_found()
        if status != TICKET_USED:
            raise RuleBroken("The ticket is not checked in", code=codes.TICKET_NOT_CHECKED_IN)
        self._ticket_check_in_undone(code=code, undone_at=now)

    def at_door(self, code: str) -> dict[str, Any]:
        """Ticket `code` as the door sees it: its holder, its category, whether and when it
        was checked in (None when unknown: a version-1 ref's records keep no time)."""
        line = ticket_lines(self.tickets, lines_of(self)).get(code)
        return {"code": code, "status": self.tickets[code], "name": self.user_name,
                "category": line["category"] if line else self.category,
                "checked_in_at": self.checked_in_at.get(code)}

    # ----- a ref of version 1 -----------------------------------------------------------

    @property
    def complete(self) -> bool:
        """Whether it holds the booking's facts (a version-1 ref does not until `completed`)."""
        return self.category is not None

    def completed(self, record: BookingState) -> "Booking":
        """A version-1 ref with its booking's facts and fate as its event's aggregate, loaded
        with its records, holds them (`record`): in memory only, what it records is unchanged."""
        self.user_name, self.category = record["user_name"], record["category"]
        self.quantity, self.unit_price = record["quantity"], record["unit_price"]
        self.tickets = dict(record["tickets"])
        self.checked_in_at = {}
        self.lines = record.get("lines")
        self.created_at, self.cancelled_at = record["created_at"], record["cancelled_at"]
        self.cancelled_by = record.get("cancelled_by")
        self.cancellation_reason = record.get("cancellation_reason")
        self.status = record["status"]
        return self

    def state(self) -> BookingState:
        """The booking as the event's records held it."""
        return {
            "user_id": self.user_id,
            "user_name": self.user_name or "",
            "category": self.category or "",
            "quantity": self.seats,
            "unit_price": self.price,
            "status": self.status,
            "tickets": dict(self.tickets),
            "created_at": self.created_at,  # type: ignore[typeddict-item]
            "cancelled_at": self.cancelled_at,
            "cancelled_by": self.cancelled_by,
            "cancellation_reason": self.cancellation_reason,
            **({"lines": self.lines} if self.lines else {}),  # type: ignore[typeddict-item]
            **({"voucher": self.voucher} if self.voucher else {}),  # type: ignore[typeddict-item]
        }


def booking_ref(seats: Any, event_id: UUID, fingerprint: str) -> Booking:
    """The ref of the booking an Event's `SeatsBooked` domain event (`seats`) just made."""
    return Booking(
        id=seats.booking_id, event_id=event_id, user_id=seats.user_id,
        fingerprint=fingerprint, user_name=seats.user_name, category=seats.category,
        quantity=seats.quantity, unit_price=seats.unit_price,
        ticket_codes=list(seats.ticket_codes), booked_at=seats.booked_at,
        lines=getattr(seats, "lines", None), voucher=getattr(seats, "voucher", None))

