"""Who runs an event: the commands on it, each decided on the state it changes, and the read
of it that organizers' reads are authorized on."""

from collections.abc import Collection
from typing import Any, TypeVar
from uuid import UUID

from commands.application.runner import CommandRunner
from commands.application.views import Outcome, owners_view
from commands.domain import organizers
from commands.domain.actor import Actor
from commands.domain.errors import DomainError
from core import error_codes as codes
from core.personal import Named

T = TypeVar("T")


class OrganizerCommands:
    """Transfer an event, choose its co-organizers, answer an invitation; who runs it now."""

    def __init__(self, runner: CommandRunner) -> None:
        self.runner = runner

    def transfer(self, event_id: UUID, organizer: tuple[str, Named], actor: Actor) -> Outcome:
        """Hand the event to the organizer (id, name as the ledger sealed it): an admin's, or
        its organizer's to a co-organizer."""
        return self.runner.change("transfer_event", event_id, lambda e: e.transfer(
            organizer_id=organizer[0], organizer_name=organizer[1], by=actor,
            now=self.runner.clock()))

    def add(self, event_id: UUID, user: tuple[str, Named], actor: Actor) -> Outcome:
        """Another organizer (id, name as the ledger sealed it) runs the event too: at once for
        an admin; invited, until they accept, for its organizer."""
        return self.runner.change("add_co_organizer", event_id, lambda e: e.add_co_organizer(
            user_id=user[0], user_name=user[1], by=actor))

    def remove(self, event_id: UUID, user_id: str, actor: Actor) -> Outcome:
        """Take a co-organizer's rights away, or withdraw their invitation (or step down)."""
        return self.runner.change("remove_co_organizer", event_id,
                                  lambda e: e.remove_co_organizer(user_id=user_id, by=actor))

    def accept(self, event_id: UUID, actor: Actor) -> Outcome:
        """The actor accepts their invitation to co-organize the event."""
        return self.runner.change("accept_co_organizer", event_id,
                                  lambda e: e.accept_invitation(by=actor))

    def decline(self, event_id: UUID, actor: Actor) -> Outcome:
        """The actor declines their invitation to co-organize the event."""
        return self.runner.change("decline_co_organizer", event_id,
                                  lambda e: e.decline_invitation(by=actor))

    # ----- who runs it, as the store says now ---------------------------------------------

    def runs(self, event_id: UUID, user_id: str) -> bool:
        """Whether the user organizes or co-organizes the event as its stream says now, whatever
        the projections' lag (EVENT_NOT_FOUND for no such event)."""
        return self.runner.read(event_id, lambda e: organizers.may_manage(e, user_id))

    def run_by(self, event_ids: Collection[UUID], user_id: str) -> set[UUID]:
        """Those of the events the user organizes or co-organizes now (unknown ids left out)."""
        found = set()
        for event_id in event_ids:
            try:
                if self.runs(event_id, user_id):
                    found.add(event_id)
            except DomainError as exc:
                if exc.code != codes.EVENT_NOT_FOUND:
                    raise
        return found

    def owners(self, event_id: UUID) -> dict[str, Any]:
        """Who runs the event now, with the invitations pending (`owners_view`)."""
        return self.runner.read(event_id, owners_view)
