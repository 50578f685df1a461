"""Domain errors, each with a stable machine-readable code."""


class DomainError(Exception):
    """A command was refused; `code` is stable, the message is for people."""

    code = "DOMAIN_ERROR"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class NotFound(DomainError):
    """The thing named by an id does not exist (HTTP 404)."""

    code = "NOT_FOUND"


class Forbidden(DomainError):
    """The caller may not do this to this thing, e.g. another organizer's event (HTTP 403)."""

    code = "FORBIDDEN"


class RuleBroken(DomainError):
    """A business rule refuses the command (HTTP 400)."""

    code = "RULE_BROKEN"


class Conflict(DomainError):
    """The request contradicts an earlier one, e.g. a reused idempotency key (HTTP 409)."""

    code = "CONFLICT"


class Busy(DomainError):
    """The store stayed contended or unreachable past our bounds (HTTP 503)."""

    code = "BUSY"


def event_not_found(event_id: object) -> NotFound:
    return NotFound(f"Event {event_id} not found", code="EVENT_NOT_FOUND")


def booking_not_found(booking_id: object) -> NotFound:
    return NotFound(f"Booking {booking_id} not found", code="BOOKING_NOT_FOUND")


def ticket_not_found() -> NotFound:
    return NotFound("Ticket not found", code="TICKET_NOT_FOUND")
