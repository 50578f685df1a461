"""Forgetting a person: the person themself (`DELETE /api/users/me`, their password typed
again) or an admin (`POST /api/users/{id}/erasure`).

Organizers may not: an account spans every organizer's events, and one organizer forgetting
a buyer would take them from the others' lists and invoices' copies too. A buyer's request to
an organizer goes to an admin (docs/SECURITY.md).
"""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from commands.domain.erasure import ASKED_BY_THEM, ASKED_OF_ADMIN
from commands.ledger import Ledger
from core import error_codes as codes
from query_api.auth.user_cache import user_cache
from query_api.reads import waits
from query_api.reads.consistency import stamp_write
from query_api.routes.commands.auth import GUESSED, HASHING, confirm_password
from query_api.schemas import ErasureConfirmIn, ErasureOut
from query_api.service.deps import AdminUser, CurrentUser, LedgerDep
from query_api.service.openapi import described, named
from workers import erasure

router = APIRouter(prefix="/users", tags=["users"])
REFUSED: dict[int | str, dict[str, Any]] = {
    404: {"description": named(codes.PERSON_NOT_FOUND)},
    409: {"description": f"{described(codes.PERSON_ALREADY_ERASED)}; or "
                         f"{described(codes.PERSON_HAS_UNPAID_ORDERS)}"},
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


async def _erased(ledger: Ledger, person_id: UUID, by: str, reason: str,
                  response: Response) -> ErasureOut:
    # The person's holds and unpaid orders are read from the read models: as far as the log
    # is now (bounded), so a hold made a moment ago is released too.
    await waits.wait_for(await run_in_threadpool(ledger.eventlog.last), erasure.READ_MODELS)
    outcome = await run_in_threadpool(erasure.erase, ledger, person_id, by, reason)
    user_cache().forget(person_id)
    # The position in the header too, as every command answers it: a reader asking for it
    # (the web UI, the SDK) sees the read models with the person forgotten.
    stamp_write(response, outcome.position)
    return ErasureOut(**outcome.view, position=outcome.position)
