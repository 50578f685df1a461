"""Who may run an event: the caller of a command, checked on the state the command decides on."""

from dataclasses import dataclass

from commands.aggregate import Event
from commands.errors import Forbidden


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
