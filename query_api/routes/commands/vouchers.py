"""An event's vouchers: made (one, several named, or a batch of random codes) and disabled,
by its organizers and admins."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from commands.domain.errors import DomainError
from core import error_codes as codes
from query_api.reads.consistency import stamp_write
from query_api.routes.commands.common import actor
from query_api.schemas.common import VoucherCode
from query_api.schemas.vouchers import VoucherDisabledOut, VoucherIn, VoucherMade
from query_api.service.deps import LedgerDep, OrganizerUser
from query_api.service.openapi import described, named

router = APIRouter(tags=["vouchers"])
NOT_YOURS: dict[int | str, dict[str, Any]] = {
    403: {"description": described(codes.NOT_EVENT_ORGANIZER)},
    404: {"description": named(codes.EVENT_NOT_FOUND)},
}


@router.post("/events/{event_id}/vouchers", status_code=201, responses={
    **NOT_YOURS,
    400: {"description": named(codes.EVENT_CANCELLED, codes.EVENT_COMPLETED)},
    409: {"description": described(codes.VOUCHER_CODE_TAKEN)},
    422: {"description": described(codes.INVALID_VOUCHER, note="`where` names the field")
                         + "; or VALIDATION_ERROR"}})
def create_vouchers(event_id: UUID, body: VoucherIn, user: OrganizerUser, ledger: LedgerDep,
                    response: Response) -> VoucherMade:
    """Make vouchers on the same terms: one `code`, several named `codes`, or `count` random
    codes (unambiguous letters and digits after `prefix`; the CSV export lists them). Codes are
    kept upper-cased; a buyer may type them in any case. A voucher prices each seat of the
    categories it applies to and is used once per seat, at most `max_uses` times in all,
    decided with the seats: never more, however many buyers redeem it at once."""
    try:
        outcome = ledger.create_vouchers(
            event_id, codes=body.named, count=body.count, prefix=body.prefix,
            actor=actor(user), discount=body.discount, value=body.value,
            max_uses=body.max_uses, valid_from=body.valid_from, valid_until=body.valid_until,
            categories=body.categories, label=body.label, reserve=body.reserve)
    except DomainError as refused:
        if body.code is not None and refused.where[:1] == ("codes",):
            refused.where = ("code",)  # the one code, as the body named it
        raise
    stamp_write(response, outcome.position)
    return VoucherMade.model_validate(outcome.view | {"position": outcome.position})


@router.post("/events/{event_id}/vouchers/{code}/disable", responses={
    **NOT_YOURS, 422: {"description": named(codes.VOUCHER_NOT_FOUND)}})
def disable_voucher(event_id: UUID, code: VoucherCode, user: OrganizerUser,
                    ledger: LedgerDep, response: Response) -> VoucherDisabledOut:
    """No buyer may use the voucher from now on; the seats booked with it stay booked at its
    price. Disabling it again answers the same, nothing recorded (`position` null)."""
    outcome = ledger.disable_voucher(event_id, code, actor(user))
    stamp_write(response, outcome.position)
    return VoucherDisabledOut.model_validate(outcome.view | {"position": outcome.position})


