"""Who may run an event: the caller of a command, checked on the state the command decides on."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from commands.aggregate import Event
from commands.errors import Forbidden
from commands.views import Outcome


@dataclass(frozen=True)
class Actor:
    """The signed-in user a command runs for: admins run every event, organizers their own."""

    id: str
    admin: bool = False


def require_manager(event: Event, actor: Actor | None) -> None:
    """Refuse unless the actor is an admin or one of the event's organizers (None: trusted)."""
    if actor is None or actor.admin or event.may_manage(actor.id):
        return
    raise Forbidden("Only this event's organizers or an admin may do this",
                    code="NOT_EVENT_ORGANIZER")


class OwnershipCommands:
    """The Ledger's commands on who runs an event (each change an event of its stream)."""

    clock: Callable[[], datetime]
    _change: Callable[..., Outcome]  # the Ledger's: lock, load, check the actor, decide, save

    def transfer_event(self, event_id: UUID, organizer: tuple[str, str], by: str) -> Outcome:
        """Hand the event to the organizer (id, name); the caller made sure `by` is an admin."""
        return self._change("transfer_event", event_id, lambda e: e.transfer(
            organizer_id=organizer[0], organizer_name=organizer[1], by=by, now=self.clock()))

    def add_co_organizer(self, event_id: UUID, user: tuple[str, str], actor: Actor) -> Outcome:
        """Let another organizer (id, name) run the event too."""
        return self._change("add_co_organizer", event_id, lambda e: e.add_co_organizer(
            user_id=user[0], user_name=user[1], by=actor.id), actor)

    def remove_co_organizer(self, event_id: UUID, user_id: str, actor: Actor) -> Outcome:
        return self._change("remove_co_organizer", event_id,
                            lambda e: e.remove_co_organizer(user_id=user_id, by=actor.id), actor)
