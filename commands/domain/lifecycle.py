"""The event's life: open until cancelled or completed, on sale until it starts, over at its
end (or its start when it has none). Pure rules over its state."""

from datetime import datetime

from commands.domain.actor import Actor
from commands.domain.errors import Conflict, DomainError, RuleBroken
from commands.domain.events import ACTIVE, ADMIN, CANCELLED, COMPLETED, ORGANIZER
from commands.domain.state import EventState
from core import error_codes as codes


def require_open(event: EventState) -> None:
    """Neither cancelled nor completed."""
    if event.status == CANCELLED:
        raise RuleBroken("The event is cancelled", code=codes.EVENT_CANCELLED)
    if event.status == COMPLETED:
        raise RuleBroken("The event is completed", code=codes.EVENT_COMPLETED)


def require_not_started(event: EventState, now: datetime) -> None:
    """Open, and not started: what every sale, hold, place and cancellation needs."""
    require_open(event)
    if now >= event.starts_at:
        raise RuleBroken("The event has already started", code=codes.EVENT_IN_PAST)


def require_on_sale(event: EventState, now: datetime, quantity: int) -> None:
    """Seats may be sold, held or waited for now, `quantity` of them."""
    require_not_started(event, now)
    require_published(event)
    if quantity < 1:
        raise RuleBroken("Quantity must be at least 1", code=codes.INVALID_QUANTITY)


def require_published(event: EventState) -> None:
    """Not a draft: a draft is on sale to nobody until it is published."""
    if not event.published:
        raise Conflict("The event is a draft: it is not on sale until it is published",
                       code=codes.EVENT_NOT_PUBLISHED)


def require_schedulable(event: EventState, at: datetime | None, now: datetime) -> None:
    """A draft, open and not started, may be set to go on sale at a time still to come and
    before it starts (or have its schedule withdrawn, `at` None)."""
    if event.published:
        raise Conflict("The event is on sale already", code=codes.ALREADY_PUBLISHED)
    require_not_started(event, now)
    if at is not None and not now < at < event.starts_at:
        raise RuleBroken("A publication is scheduled after now and before the event starts",
                         code=codes.PUBLISH_AT_INVALID)


def publication_due(event: EventState, now: datetime) -> bool:
    """A draft whose scheduled publication came, open and not started: published now."""
    at = event.publish_at
    return (not event.published and at is not None and now >= at
            and event.status == ACTIVE and now < event.starts_at)


def publishable(event: EventState, now: datetime) -> bool:
    """Whether publishing records anything: a draft, open and not started, is published;
    one published already is left as it is (idempotent, so a retried publish is harmless)."""
    if event.published:
        return False
    require_not_started(event, now)
    return True


def over_at(event: EventState) -> datetime:
    """When the event is over: its end, or its start when it has none."""
    return event.ends_at if event.ends_at is not None else event.starts_at


def is_over(event: EventState, now: datetime) -> bool:
    """Open and over: the scheduler completes it (False when closed already, or moved later
    since it was found due)."""
    return event.status == ACTIVE and now >= over_at(event)


def require_completable(event: EventState, now: datetime) -> None:
    """Open, and started."""
    require_open(event)
    if now < event.starts_at:
        raise RuleBroken("The event has not started yet", code=codes.EVENT_NOT_STARTED)


def event_canceller(event: EventState, now: datetime, by: Actor | None,
                    reason: str | None) -> tuple[str, str | None]:
    """Who cancels the event (ORGANIZER, ADMIN; None: a trusted caller, an admin's rights)
    and the reason they gave: before the start its organizer or an admin, with a reason or
    none; once started, only an admin, with a reason."""
    require_open(event)
    cancelled_by = ORGANIZER if by is not None and not by.admin else ADMIN
    stated = given_reason(reason)
    if now >= event.starts_at:
        if cancelled_by == ORGANIZER:
            raise Conflict("The event has started: only an admin may cancel it now",
                           code=codes.EVENT_STARTED)
        if stated is None:
            raise reason_required("Cancelling an event that has started needs a reason")
    return cancelled_by, stated


def given_reason(reason: str | None) -> str | None:
    """A reason as given, None when there is none (blank counts as none)."""
    if reason is None or not reason.strip():
        return None
    return reason.strip()


def reason_required(message: str) -> DomainError:
    return DomainError(message, code=codes.REASON_REQUIRED)
