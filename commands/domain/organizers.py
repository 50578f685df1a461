"""Who runs an event, decided on the aggregate: its organizer, co-organizers and invitations.

A mixin of `commands.domain.event.Event`: the rules live here, the events they trigger and
their appliers on the aggregate. Pure: the caller is an `Actor` handed in.

Roles within an event: its organizer (and admins) cancel, complete and transfer it and change
its co-organizers; a co-organizer edits its details, reads its bookings and stats and checks
tickets in. An organizer's choice of a co-organizer is an invitation, theirs only once they
accept it (it names them on the event); an admin's makes them co-organizer at once.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from commands.domain.errors import Forbidden, NotFound, RuleBroken

MAX_CO_ORGANIZERS = 50  # co-organizers and pending invitations together


@dataclass(frozen=True)
class Actor:
    """The signed-in user a command runs for: admins run every event, organizers their own."""

    id: str
    admin: bool = False


def not_organizer() -> Forbidden:
    return Forbidden("Only this event's organizers or an admin may do this",
                     code="NOT_EVENT_ORGANIZER")


class Organizers:
    """The ownership decisions of an Event."""

    organizer_id: str | None
    co_organizers: dict[str, str]  # user id -> name
    invited: dict[str, str]  # user id -> name: invited by an organizer, not accepted yet
    # The appliers, each defined with its event on the aggregate.
    _organizer_transferred: Callable[..., None]
    _co_organizer_added: Callable[..., None]
    _co_organizer_removed: Callable[..., None]
    _co_organizer_invited: Callable[..., None]
    _co_organizer_accepted: Callable[..., None]
    _co_organizer_declined: Callable[..., None]
    _co_organizer_invitation_withdrawn: Callable[..., None]

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
                            code="NOT_EVENT_OWNER")
        raise not_organizer()

    def transfer(self, *, organizer_id: str, organizer_name: str, by: Actor,
                 now: datetime) -> None:
        """Hand the event to another organizer: an admin to any organizer account, its
        organizer only to one of its co-organizers (who accepted to be named on it)."""
        self.require_owner(by)
        if organizer_id == self.organizer_id:
            raise RuleBroken("That user already organizes this event", code="ALREADY_ORGANIZER")
        if not by.admin and organizer_id not in self.co_organizers:
            raise RuleBroken("An organizer hands the event only to one of its co-organizers",
                             code="NOT_A_CO_ORGANIZER")
        self._organizer_transferred(previous_organizer_id=self.organizer_id,
                                    organizer_id=organizer_id, organizer_name=organizer_name,
                                    by=by.id, transferred_at=now)

    def add_co_organizer(self, *, user_id: str, user_name: str, by: Actor) -> None:
        """An admin makes another organizer a co-organizer at once; the event's organizer
        invites them (`accept_invitation`)."""
        self.require_owner(by)
        if user_id == self.organizer_id:
            raise RuleBroken("That user already organizes this event", code="ALREADY_ORGANIZER")
        if user_id in self.co_organizers:
            raise RuleBroken("That user already co-organizes this event",
                             code="ALREADY_CO_ORGANIZER")
        if by.admin:
            self._co_organizer_added(user_id=user_id, user_name=user_name, by=by.id)
            return
        if user_id in self.invited:
            raise RuleBroken("That user is invited already", code="ALREADY_INVITED")
        if len(self.co_organizers) + len(self.invited) >= MAX_CO_ORGANIZERS:
            raise RuleBroken(f"At most {MAX_CO_ORGANIZERS} co-organizers and invitations per "
                             "event", code="TOO_MANY_CO_ORGANIZERS")
        self._co_organizer_invited(user_id=user_id, user_name=user_name, by=by.id)

    def accept_invitation(self, *, by: Actor) -> None:
        """The invited organizer becomes a co-organizer (and is named on the event)."""
        name = self._invitation_of(by)
        self._co_organizer_accepted(user_id=by.id, user_name=name)

    def decline_invitation(self, *, by: Actor) -> None:
        """The invited organizer says no: nothing of it is shown on the event."""
        self._invitation_of(by)
        self._co_organizer_declined(user_id=by.id)

    def remove_co_organizer(self, *, user_id: str, by: Actor) -> None:
        """Take a co-organizer's rights away, or withdraw an invitation (the organizer, an
        admin); a co-organizer may step down. Never the organizer's: a transfer moves them."""
        if not (by.id == user_id and user_id in self.co_organizers):
            self.require_owner(by)
        if user_id == self.organizer_id:
            raise RuleBroken("The organizer cannot be removed; transfer the event instead",
                             code="IS_ORGANIZER")
        if user_id in self.invited:
            self._co_organizer_invitation_withdrawn(user_id=user_id, by=by.id)
            return
        if user_id not in self.co_organizers:
            raise NotFound("That user does not co-organize this event",
                           code="CO_ORGANIZER_NOT_FOUND")
        self._co_organizer_removed(user_id=user_id, by=by.id)

    def _invitation_of(self, by: Actor) -> str:
        """The invitee's name, if the actor has an invitation pending on this event."""
        name = self.invited.get(by.id)
        if name is None:
            raise NotFound("No invitation of yours is pending on this event",
                           code="INVITATION_NOT_FOUND")
        return name
