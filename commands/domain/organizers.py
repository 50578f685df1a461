"""Who runs an event: its organizer and co-organizers, and invitations. Its organizer (and
admins) cancel, complete and transfer it and change its co-organizers; a co-organizer edits
its details, reads its bookings and stats and checks tickets in. An organizer's choice of a
co-organizer is an invitation, theirs once they accept it; an admin's makes them one at once."""

from typing import Literal

from commands.domain.actor import Actor
from commands.domain.errors import Forbidden, NotFound, RuleBroken
from commands.domain.state import EventState
from core import error_codes as codes
from core.personal import Named

MAX_CO_ORGANIZERS = 50  # co-organizers and pending invitations together


def not_organizer() -> Forbidden:
    return Forbidden("Only this event's organizers or an admin may do this",
                     code=codes.NOT_EVENT_ORGANIZER)


def may_manage(event: EventState, user_id: str) -> bool:
    """Whether the user is the event's organizer or one of its co-organizers."""
    return user_id == event.organizer_id or user_id in event.co_organizers


def require_manager(event: EventState, actor: Actor | None) -> None:
    """Refuse unless the actor is an admin, its organizer or a co-organizer (None: trusted):
    editing details, reading bookings and stats, checking tickets in."""
    if actor is None or actor.admin or may_manage(event, actor.id):
        return
    raise not_organizer()


def require_owner(event: EventState, actor: Actor | None) -> None:
    """Refuse unless the actor is an admin or its organizer (None: trusted): cancelling,
    completing, transferring it, changing its co-organizers."""
    if actor is None or actor.admin or actor.id == event.organizer_id:
        return
    if may_manage(event, actor.id):
        raise Forbidden("Only this event's organizer or an admin may do this",
                        code=codes.NOT_EVENT_OWNER)
    raise not_organizer()


def check_transfer(event: EventState, organizer_id: str, by: Actor) -> None:
    """An admin hands the event to any organizer account; its organizer only to one of its
    co-organizers (who accepted to be named on it)."""
    require_owner(event, by)
    if organizer_id == event.organizer_id:
        raise RuleBroken("That user already organizes this event", code=codes.ALREADY_ORGANIZER)
    if not by.admin and organizer_id not in event.co_organizers:
        raise RuleBroken("An organizer hands the event only to one of its co-organizers",
                         code=codes.NOT_A_CO_ORGANIZER)


def co_organizer_joins(event: EventState, user_id: str,
                       by: Actor) -> Literal["added", "invited"]:
    """How a co-organizer chosen by `by` joins: added at once by an admin, invited by the
    event's organizer."""
    require_owner(event, by)
    if user_id == event.organizer_id:
        raise RuleBroken("That user already organizes this event", code=codes.ALREADY_ORGANIZER)
    if user_id in event.co_organizers:
        raise RuleBroken("That user already co-organizes this event",
                         code=codes.ALREADY_CO_ORGANIZER)
    if by.admin:
        return "added"
    if user_id in event.invited:
        raise RuleBroken("That user is invited already", code=codes.ALREADY_INVITED)
    if len(event.co_organizers) + len(event.invited) >= MAX_CO_ORGANIZERS:
        raise RuleBroken(f"At most {MAX_CO_ORGANIZERS} co-organizers and invitations per "
                         "event", code=codes.TOO_MANY_CO_ORGANIZERS)
    return "invited"


def invitation_of(event: EventState, by: Actor) -> Named:
    """The invitee's name (sealed), if the actor has an invitation pending on this event."""
    name = event.invited.get(by.id)
    if name is None:
        raise NotFound("No invitation of yours is pending on this event",
                       code=codes.INVITATION_NOT_FOUND)
    return name


def co_organizer_leaves(event: EventState, user_id: str,
                        by: Actor) -> Literal["withdrawn", "removed"]:
    """How a co-organizer leaves: an invitation withdrawn, or their rights taken away (the
    organizer, an admin), or a co-organizer stepping down. Never the organizer: a transfer
    moves them."""
    if not (by.id == user_id and user_id in event.co_organizers):
        require_owner(event, by)
    if user_id == event.organizer_id:
        raise RuleBroken("The organizer cannot be removed; transfer the event instead",
                         code=codes.IS_ORGANIZER)
    if user_id in event.invited:
        return "withdrawn"
    if user_id not in event.co_organizers:
        raise NotFound("That user does not co-organize this event",
                       code=codes.CO_ORGANIZER_NOT_FOUND)
    return "removed"
