"""Who runs an event: co-organizers (its organizers add and remove them), transfers (admins)."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from commands.errors import RuleBroken
from query_api import accounts
from query_api.deps import AdminUser, LedgerDep, OrganizerUser
from query_api.routes.commands.common import actor, changed
from query_api.schemas import CoOrganizerIn, EventChanged, TransferIn

router = APIRouter(tags=["organizers"])
Responses = dict[int | str, dict[str, Any]]
REFUSED: Responses = {
    400: {"description": "NOT_AN_ORGANIZER, ALREADY_ORGANIZER, ALREADY_CO_ORGANIZER..."},
    403: {"description": "NOT_EVENT_ORGANIZER: another organizer's event"},
    404: {"description": "EVENT_NOT_FOUND, CO_ORGANIZER_NOT_FOUND"},
}


def _organizer(user_id: UUID) -> tuple[str, str]:
    found = accounts.organizer(user_id)
    if found is None:  # the same answer whether the account is missing or has another role
        raise RuleBroken("That account is not an organizer", code="NOT_AN_ORGANIZER")
    return found


@router.post("/events/{event_id}/organizers", status_code=201, responses=REFUSED)
def add_co_organizer(event_id: UUID, body: CoOrganizerIn, user: OrganizerUser,
                     ledger: LedgerDep, response: Response) -> EventChanged:
    """Let another organizer run the event too (its organizers, or an admin)."""
    outcome = ledger.add_co_organizer(event_id, _organizer(body.user_id), actor(user))
    return changed(outcome, response)


@router.delete("/events/{event_id}/organizers/{user_id}", responses=REFUSED)
def remove_co_organizer(event_id: UUID, user_id: UUID, user: OrganizerUser,
                        ledger: LedgerDep, response: Response) -> EventChanged:
    """Take a co-organizer's rights on the event away (never the organizer's: transfer)."""
    outcome = ledger.remove_co_organizer(event_id, str(user_id), actor(user))
    return changed(outcome, response)


@router.post("/events/{event_id}/transfer", responses=REFUSED)
def transfer_event(event_id: UUID, body: TransferIn, user: AdminUser, ledger: LedgerDep,
                   response: Response) -> EventChanged:
    """Hand the event to another organizer: their rights start at this version (admins)."""
    outcome = ledger.transfer_event(event_id, _organizer(body.organizer_id), str(user.id))
    return changed(outcome, response)
