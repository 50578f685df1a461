"""Who runs an event, decided on the aggregate: its organizer and co-organizers.

A mixin of `commands.aggregate.Event`: the rules live here, the events they trigger and
their appliers on the aggregate. Admins run every event (the caller checks that).
"""

from collections.abc import Callable
from datetime import datetime

from commands.errors import NotFound, RuleBroken

MAX_CO_ORGANIZERS = 50


class Organizers:
    """The ownership decisions of an Event."""

    organizer_id: str | None
    co_organizers: dict[str, str]  # user id -> name
    # The appliers, each defined with its event on the aggregate.
    _organizer_transferred: Callable[..., None]
    _co_organizer_added: Callable[..., None]
    _co_organizer_removed: Callable[..., None]

    def may_manage(self, user_id: str) -> bool:
        """Whether the user is this event's organizer or one of its co-organizers."""
        return user_id == self.organizer_id or user_id in self.co_organizers

    def transfer(self, *, organizer_id: str, organizer_name: str, by: str, now: datetime) -> None:
        """Hand the event to another organizer (an admin's decision: the caller checks)."""
        if organizer_id == self.organizer_id:
            raise RuleBroken("That user already organizes this event", code="ALREADY_ORGANIZER")
        self._organizer_transferred(previous_organizer_id=self.organizer_id,
                                    organizer_id=organizer_id, organizer_name=organizer_name,
                                    by=by, transferred_at=now)

    def add_co_organizer(self, *, user_id: str, user_name: str, by: str) -> None:
        """Let another organizer run this event too."""
        if user_id == self.organizer_id:
            raise RuleBroken("That user already organizes this event", code="ALREADY_ORGANIZER")
        if user_id in self.co_organizers:
            raise RuleBroken("That user already co-organizes this event",
                             code="ALREADY_CO_ORGANIZER")
        if len(self.co_organizers) >= MAX_CO_ORGANIZERS:
            raise RuleBroken(f"At most {MAX_CO_ORGANIZERS} co-organizers per event",
                             code="TOO_MANY_CO_ORGANIZERS")
        self._co_organizer_added(user_id=user_id, user_name=user_name, by=by)

    def remove_co_organizer(self, *, user_id: str, by: str) -> None:
        """Take a co-organizer's rights on this event away (never the organizer's)."""
        if user_id == self.organizer_id:
            raise RuleBroken("The organizer cannot be removed; an admin can transfer the event",
                             code="IS_ORGANIZER")
        if user_id not in self.co_organizers:
            raise NotFound("That user does not co-organize this event",
                           code="CO_ORGANIZER_NOT_FOUND")
        self._co_organizer_removed(user_id=user_id, by=by)
