"""Domain errors, each with a stable machine-readable code of `core.error_codes`."""

from typing import Any

from core import error_codes as codes
from core.error_codes import ErrorCode


class DomainError(Exception):
    """A command was refused; `code` is stable (its status is the API's), the message is for
    people, `where` the part of the command refused when that is one of several (a path
    into its fields: an order's second line is `("lines", 1)`)."""

    code: ErrorCode = codes.DOMAIN_ERROR
    where: tuple[str | int, ...] = ()

    def __init__(self, message: str, *, code: ErrorCode | None = None,
                 facts: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        # What the refusal found, for a client to show without asking again (a ticket
        # already checked in: by whom and when); the API adds them to the error's body.
        self.facts = facts or {}
        if code is not None:
            self.code = code

    @property
    def status(self) -> int:
        return self.code.status


class NotFound(DomainError):
    """The thing named by an id does not exist (HTTP 404)."""

    code = codes.NOT_FOUND


class Forbidden(DomainError):
    """The caller may not do this to this thing, e.g. another organizer's event (HTTP 403)."""

    code = codes.FORBIDDEN


class RuleBroken(DomainError):
    """A business rule refuses the command (HTTP 400)."""

    code = codes.RULE_BROKEN


class Conflict(DomainError):
    """The request contradicts an earlier one, e.g. a reused idempotency key (HTTP 409)."""

    code = codes.CONFLICT


class Busy(DomainError):
    """The store stayed contended or unreachable past our bounds (HTTP 503)."""

    code = codes.BUSY


def event_not_found(event_id: object = None, *, message: str | None = None) -> NotFound:
    """404 EVENT_NOT_FOUND; `message` when what was looked for is not one event's id."""
    return NotFound(message or f"Event {event_id} not found", code=codes.EVENT_NOT_FOUND)


def booking_not_found(booking_id: object) -> NotFound:
    return NotFound(f"Booking {booking_id} not found", code=codes.BOOKING_NOT_FOUND)


def ticket_not_found() -> NotFound:
    return NotFound("Ticket not found", code=codes.TICKET_NOT_FOUND)


def hold_not_found(hold_id: object) -> NotFound:
    return NotFound(f"Hold {hold_id} not found", code=codes.HOLD_NOT_FOUND)


def place_not_found(place_id: object) -> NotFound:
    return NotFound(f"Place on the waitlist {place_id} not found", code=codes.PLACE_NOT_FOUND)


def person_not_found(person_id: object) -> NotFound:
    return NotFound(f"No person {person_id}", code=codes.PERSON_NOT_FOUND)


def person_already_erased(person_id: object) -> Conflict:
    return Conflict(f"Person {person_id} is erased already", code=codes.PERSON_ALREADY_ERASED)


def person_not_erased(person_id: object) -> Conflict:
    return Conflict(f"Person {person_id} is not erased", code=codes.PERSON_NOT_ERASED)


def invoice_details_already_forgotten(person_id: object) -> Conflict:
    return Conflict(f"The invoice details of person {person_id} are forgotten already",
                    code=codes.INVOICE_DETAILS_ALREADY_FORGOTTEN)
