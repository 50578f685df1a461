"""Forgetting a person: the person themself (`DELETE /api/users/me`, their password typed
again), an admin (`POST /api/users/{id}/erasure`), or an organizer their own buyer
(`POST /api/organizers/me/buyers/{id}/erasure`).

An account spans every organizer's events, so an organizer forgets only a customer all of
whose bookings, holds and waitlist places are for events they organize or co-organize
(`workers.buyers`): forgetting another organizer's buyer would take them from that one's lists
too. Such a buyer, or a staff account, is an admin's to erase (docs/SECURITY.md).
"""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from commands.application.views import Outcome
from commands.domain.erasure import ASKED_BY_THEM, ASKED_OF_ADMIN
from commands.domain.errors import Busy
from commands.ledger import Ledger
from core import error_codes as codes
from query_api.auth.user_cache import user_cache
from query_api.reads import waits
from query_api.reads.consistency import stamp_write
from query_api.routes.commands.auth import GUESSED, HASHING, confirm_password
from query_api.schemas import ErasureConfirmIn, ErasureOut
from query_api.service.deps import AdminUser, CurrentUser, LedgerDep, OrganizerUser
from query_api.service.openapi import COMMON, described, named
from workers import buyers, erasure

router = APIRouter(prefix="/users", tags=["users"])
organizer_router = APIRouter(prefix="/organizers/me/buyers", tags=["organizers"])
REFUSED: dict[int | str, dict[str, Any]] = {
    404: {"description": named(codes.PERSON_NOT_FOUND)},
    409: {"description": f"{described(codes.PERSON_ALREADY_ERASED)}; or "
                         f"{described(codes.PERSON_HAS_UNPAID_ORDERS)}"},
}
BUYER_REFUSED: dict[int | str, dict[str, Any]] = {
    404: {"description": described(codes.PERSON_NOT_FOUND,
                                   "none of the person's bookings, holds or places is for an "
                                   "event you run (or no such person)")},
    409: {"description": "; or ".join(described(code) for code in (
        codes.PERSON_BUYS_FROM_OTHERS, codes.PERSON_IS_STAFF, codes.PERSON_ALREADY_ERASED,
        codes.PERSON_HAS_UNPAID_ORDERS))},
    503: {"description": f"{COMMON[503]}; "
                         f"{described(codes.BUSY, 'the read models are behind the log')}"},
}


@router.delete("/me", responses={403: {"description": described(codes.WRONG_PASSWORD)},
                                 **REFUSED, **GUESSED, **HASHING})
async def erase_me(body: ErasureConfirmIn, user: CurrentUser, ledger: LedgerDep,
                   request: Request, response: Response) -> ErasureOut:
    """Delete my account: my name and e-mail are forgotten everywhere, my tokens stop working.
    Bookings, payments and invoices stay, naming nobody (invoices keep their buyer's details
    for their legal retention). Active holds are released; unpaid orders refuse it."""
    await confirm_password(user, body.password, request)
    return await _erased(ledger, user.id, str(user.id), ASKED_BY_THEM, response)


@router.post("/{user_id}/erasure", responses=REFUSED)
async def erase_user(user_id: UUID, admin: AdminUser, ledger: LedgerDep,
                     response: Response) -> ErasureOut:
    """Forget a person (admins only): as `DELETE /api/users/me`, on their request or the
    law's."""
    return await _erased(ledger, user_id, str(admin.id), ASKED_OF_ADMIN, response)


@organizer_router.post("/{user_id}/erasure", responses=BUYER_REFUSED)
async def erase_my_buyer(user_id: UUID, organizer: OrganizerUser, ledger: LedgerDep,
                         response: Response) -> ErasureOut:
    """Forget a buyer of your events (on their request): as `POST /api/users/{id}/erasure`,
    for a customer all of whose bookings, holds and waitlist places are for events you
    organize or co-organize. One who also bought for others' events is an admin's to erase
    (409); one who bought nothing of yours is unknown to you (404)."""
    if not await _caught_up(ledger):
        # Forgetting is not undone: a booking of another organizer's event not folded yet
        # would make this buyer look like the organizer's alone.
        raise Busy("The bookings are still being brought up to date: try again in a moment",
                   code=codes.BUSY)
    outcome = await run_in_threadpool(buyers.forget_buyer, ledger, organizer.id, user_id)
    return _answer(outcome, user_id, response)


async def _erased(ledger: Ledger, person_id: UUID, by: str, reason: str,
                  response: Response) -> ErasureOut:
    await _caught_up(ledger)
    outcome = await run_in_threadpool(erasure.erase, ledger, person_id, by, reason)
    return _answer(outcome, person_id, response)


async def _caught_up(ledger: Ledger) -> bool:
    """Whether the read models a person's holds, unpaid orders and purchases are read from
    reached the log as it is now, waited for (bounded): a hold made a moment ago is released
    too."""
    return await waits.wait_for(await run_in_threadpool(ledger.eventlog.last),
                                erasure.READ_MODELS)


def _answer(outcome: Outcome, person_id: UUID, response: Response) -> ErasureOut:
    user_cache().forget(person_id)
    # The position in the header too, as every command answers it: a reader asking for it
    # (the web UI, the SDK) sees the read models with the person forgotten.
    stamp_write(response, outcome.position)
    return ErasureOut(**outcome.view, position=outcome.position)
