"""Who runs an event: co-organizers (added by admins, invited by its organizer, who accept or
decline), and transfers (admins, or its organizer to a co-organizer)."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from commands.domain.errors import RuleBroken
from core import error_codes as codes
from query_api.auth import user_accounts
from query_api.routes.commands.common import actor, changed
from query_api.schemas import CoOrganizerIn, EventChanged, TransferIn
from query_api.service.deps import LedgerDep, OrganizerUser
from query_api.service.errors import ApiError
from query_api.service.openapi import described, named

router = APIRouter(tags=["organizers"])
Responses = dict[int | str, dict[str, Any]]
REFUSED: Responses = {
    400: {"description": named(codes.NOT_AN_ORGANIZER, codes.ALREADY_ORGANIZER,
                               codes.ALREADY_CO_ORGANIZER, codes.ALREADY_INVITED,
                               codes.NOT_A_CO_ORGANIZER) + "..."},
    403: {"description": f"{described(codes.NOT_EVENT_ORGANIZER)}; "
                         f"{described(codes.NOT_EVENT_OWNER)}"},
    404: {"description": named(codes.EVENT_NOT_FOUND, codes.CO_ORGANIZER_NOT_FOUND)},
}
ANSWER: Responses = {
    403: {"description": described(codes.NOT_THE_INVITEE)},
    404: {"description": named(codes.EVENT_NOT_FOUND, codes.INVITATION_NOT_FOUND)},
}


def _organizer(user_id: UUID) -> tuple[str, str]:
    found = user_accounts.organizer(user_id)
    if found is None:  # the same answer whether the account is missing or has another role
        raise RuleBroken("That account is not an organizer", code=codes.NOT_AN_ORGANIZER)
    return found


@router.post("/events/{event_id}/organizers", status_code=201, responses=REFUSED)
def add_co_organizer(event_id: UUID, body: CoOrganizerIn, user: OrganizerUser,
                     ledger: LedgerDep, response: Response) -> EventChanged:
    """Let another organizer run the event too: an admin makes them co-organizer at once; its
    organizer invites them (named on the event once they accept; pending:
    `GET /api/events/{event_id}/organizers`)."""
    outcome = ledger.add_co_organizer(event_id, _organizer(body.user_id), actor(user))
    return changed(outcome, response)


@router.delete("/events/{event_id}/organizers/{user_id}", responses=REFUSED)
def remove_co_organizer(event_id: UUID, user_id: UUID, user: OrganizerUser,
                        ledger: LedgerDep, response: Response) -> EventChanged:
    """Take a co-organizer's rights away or withdraw an invitation (its organizer, an admin);
    a co-organizer may step down. Never the organizer's: transfer the event."""
    outcome = ledger.remove_co_organizer(event_id, str(user_id), actor(user))
    return changed(outcome, response)


@router.post("/events/{event_id}/organizers/{user_id}/accept", responses=ANSWER)
def accept_co_organizer_invitation(event_id: UUID, user_id: UUID, user: OrganizerUser,
                                   ledger: LedgerDep, response: Response) -> EventChanged:
    """Accept your invitation to co-organize the event: you run it, named on it, at once."""
    _require_invitee(user_id, user.id)
    return changed(ledger.accept_co_organizer(event_id, actor(user)), response)


@router.post("/events/{event_id}/organizers/{user_id}/decline", responses=ANSWER)
def decline_co_organizer_invitation(event_id: UUID, user_id: UUID, user: OrganizerUser,
                                    ledger: LedgerDep, response: Response) -> EventChanged:
    """Decline your invitation to co-organize the event."""
    _require_invitee(user_id, user.id)
    return changed(ledger.decline_co_organizer(event_id, actor(user)), response)


@router.post("/events/{event_id}/transfer", responses=REFUSED)
def transfer_event(event_id: UUID, body: TransferIn, user: OrganizerUser, ledger: LedgerDep,
                   response: Response) -> EventChanged:
    """Hand the event to another organizer: their rights start at this version (an admin to
    any organizer; its organizer to one of its co-organizers)."""
    outcome = ledger.transfer_event(event_id, _organizer(body.organizer_id), actor(user))
    return changed(outcome, response)


def _require_invitee(user_id: UUID, caller: UUID) -> None:
    """Only the invited organizer answers their invitation (an admin neither)."""
    if user_id != caller:
        raise ApiError(codes.NOT_THE_INVITEE, "Only the invited organizer may answer")
