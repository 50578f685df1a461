"""Booking seats, and cancelling a booking (its holder, its event's organizers, an admin)."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Header, Response

from commands.application.views import Outcome
from core import error_codes as codes
from query_api.reads.consistency import stamp_write
from query_api.routes.commands.common import actor, check_quantity
from query_api.schemas import BookIn, BookingOut, CancelIn, RefundIn, RefundOut
from query_api.service.deps import BookerUser, LedgerDep, SettingsDep
from query_api.service.openapi import (
    VOUCHER_REFUSED_409,
    VOUCHER_REFUSED_422,
    described,
    named,
)

router = APIRouter(tags=["bookings"])
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="retrying with the same key returns the first booking",
    ),
]


@router.post(
    "/events/{event_id}/book",
    status_code=201,
    responses={
        200: {"model": BookingOut,
              "description": "an idempotent replay: the first booking (Idempotent-Replayed: true)"},
        400: {"description": named(codes.SOLD_OUT, codes.NOT_ENOUGH_SEATS,
                                   codes.USER_LIMIT_EXCEEDED, codes.EVENT_CANCELLED) + "..."},
        404: {"description": named(codes.EVENT_NOT_FOUND)},
        409: {"description": f"{named(codes.IDEMPOTENCY_KEY_REUSED)}; "
                             f"{described(codes.PAYMENT_REQUIRED)}; "
                             f"{described(codes.EVENT_NOT_PUBLISHED)}; "
                             + VOUCHER_REFUSED_409},
        422: {"description": VOUCHER_REFUSED_422 + ", or VALIDATION_ERROR"},
    },
)
async def book_event(  # noqa: PLR0913 - request parts and dependencies
    event_id: UUID,
    body: BookIn,
    user: BookerUser,
    ledger: LedgerDep,
    settings: SettingsDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> BookingOut:
    """Book `quantity` seats in a category (which may be left out when there is one), at a
    voucher's price when `voucher` names one."""
    # Async: the request awaits its group commit (commands.store.group_commit) on the event
    # loop, so a process holds no thread per booking in flight.
    check_quantity(body.quantity, settings.max_tickets_per_booking)
    outcome = await ledger.book_async(
        event_id,
        user_id=user.id,
        user_name=user.name,
        category=body.category,
        quantity=body.quantity,
        idempotency_key=idempotency_key,
        voucher=body.voucher,
    )
    if outcome.replayed:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
    stamp_write(response, outcome.position)
    return BookingOut.model_validate(outcome.view | {"position": outcome.position})


CANCEL_REFUSED: dict[int | str, dict[str, Any]] = {
    400: {"description": named(codes.ALREADY_CANCELLED, codes.EVENT_IN_PAST,
                               codes.TICKET_ALREADY_USED) + "..."},
    404: {"description": named(codes.BOOKING_NOT_FOUND)},
    422: {"description": described(codes.REASON_REQUIRED, "the caller is not the booking's "
                                                          "holder and gave no reason")},
}


@router.delete("/bookings/{booking_id}", responses=CANCEL_REFUSED)
def cancel_booking(
    booking_id: UUID,
    user: BookerUser,
    ledger: LedgerDep,
    response: Response,
) -> BookingOut:
    """Cancel one's own booking, without a reason; its seats are free again at once."""
    return _cancelled(ledger.cancel_booking(booking_id, actor(user)), response)


@router.post("/bookings/{booking_id}/cancel", responses=CANCEL_REFUSED)
def cancel_booking_with_reason(
    booking_id: UUID,
    user: BookerUser,
    ledger: LedgerDep,
    response: Response,
    body: CancelIn | None = None,
) -> BookingOut:
    """Cancel a booking, saying why: its holder (the reason optional), its event's organizer
    or co-organizers and admins (the reason required). To anyone else it is not found.

    The booking then shows who cancelled it (`cancelled_by`) and why (`cancellation_reason`).
    """
    reason = body.reason if body is not None else None
    return _cancelled(ledger.cancel_booking(booking_id, actor(user), reason), response)


@router.post("/bookings/{booking_id}/refunds", status_code=201, responses={
    **CANCEL_REFUSED,
    400: {"description": named(codes.ALREADY_CANCELLED, codes.EVENT_IN_PAST,
                               codes.TICKET_ALREADY_USED) + "..."},
    404: {"description": named(codes.BOOKING_NOT_FOUND, codes.TICKET_NOT_FOUND)},
    409: {"description": f"{described(codes.TICKET_ALREADY_REFUNDED)}; "
                         f"{described(codes.REFUND_EXCEEDS_PAYMENT)}; "
                         f"{described(codes.REFUND_IN_PROGRESS)}"},
    422: {"description": f"{described(codes.TICKET_NAMED_TWICE)}; "
                         f"{described(codes.REASON_REQUIRED)}"},
})
def refund_tickets(
    booking_id: UUID,
    body: RefundIn,
    user: BookerUser,
    ledger: LedgerDep,
    response: Response,
) -> RefundOut:
    """Cancel some tickets of a booking and give their price back: through the payment
    provider when the booking was paid for (refunded at once, or by the refunds' manager when
    the provider does not answer). Who may, and the reason, as for cancelling the booking; naming
    every ticket it has left cancels the booking. A request naming a ticket twice, one refunded
    already or one checked in is refused whole."""
    outcome = ledger.refund_tickets(booking_id, body.tickets, actor(user), body.reason)
    stamp_write(response, outcome.position)
    return RefundOut.model_validate(outcome.view | {"position": outcome.position})


def _cancelled(outcome: Outcome, response: Response) -> BookingOut:
    stamp_write(response, outcome.position)
    return BookingOut.model_validate(outcome.view | {"position": outcome.position})
