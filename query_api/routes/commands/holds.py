"""Checkout holds (hold, confirm, release) and the waitlist (join, leave)."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, Response
from fastapi.concurrency import run_in_threadpool

from commands.application.views import Outcome
from core import error_codes as codes
from query_api.reads.consistency import stamp_write
from query_api.routes.commands.common import actor, check_quantity
from query_api.schemas import BookingOut
from query_api.schemas.holds import HoldIn, HoldOut, PlaceIn, PlaceOut
from query_api.service.deps import BookerUser, CurrentUser, LedgerDep, SettingsDep
from query_api.service.openapi import (
    VOUCHER_REFUSED_409,
    VOUCHER_REFUSED_422,
    described,
    named,
)

router = APIRouter(tags=["holds"])
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", min_length=1, max_length=200,
           description="retrying with the same key returns the first hold (or place)"),
]
REPLAYED = "an idempotent replay: the first one (Idempotent-Replayed: true)"
# The code keeps its name (codes are a contract); what it means says waitlist.
ALREADY_WAITLISTED = described(codes.ALREADY_IN_LINE, "the buyer has a place on this waitlist")


@router.post(
    "/events/{event_id}/holds",
    status_code=201,
    responses={
        200: {"model": HoldOut, "description": REPLAYED},
        400: {"description": named(codes.SOLD_OUT, codes.NOT_ENOUGH_SEATS,
                                   codes.USER_LIMIT_EXCEEDED, codes.EVENT_IN_PAST) + "..."},
        404: {"description": named(codes.EVENT_NOT_FOUND)},
        409: {"description": named(codes.TOO_MANY_HOLDS, codes.HOLD_TOO_SOON,
                                   codes.IDEMPOTENCY_KEY_REUSED, codes.EVENT_NOT_PUBLISHED)
                             + "; " + VOUCHER_REFUSED_409},
        422: {"description": named(codes.CATEGORY_NAMED_TWICE, codes.TOO_MANY_LINES) + "; "
                             + VOUCHER_REFUSED_422 + ", or VALIDATION_ERROR"},
    },
)
async def hold_seats(  # noqa: PLR0913 - request parts and dependencies
    event_id: UUID, body: HoldIn, user: BookerUser, ledger: LedgerDep, settings: SettingsDep,
    response: Response, idempotency_key: IdempotencyKey = None,
) -> HoldOut:
    """Take seats out of sale while the buyer checks out: they are theirs until `expires_at`
    (the event's `hold_seconds`, 600 by default), then go back on sale unless confirmed
    (`POST /api/holds/{id}/confirm`). Holds and places on a waitlist count against the per-user
    limit; with none set, a buyer holds and waits for a bounded number of seats at once. A
    buyer's own release is free, but a hold that lapsed (expired, or released within one hold
    length of their last free release) keeps them from holding again for one hold length
    (HOLD_TOO_SOON until `may_hold_again_at`); they may book outright meanwhile. An order across
    categories names each in `lines`: all are held or none, under one expiry, and confirmed
    (or paid for) they make one booking with the tickets of each line. A `voucher` prices the
    seats it applies to (each line then tells its `list_price` too) and uses one of its uses
    per seat; a release or an expiry gives them back."""
    check_quantity(body.seats, settings.max_tickets_per_booking)
    lines = [(line.category, line.quantity) for line in body.lines] if body.lines else None
    # Async: the request awaits its group commit on the event loop, as a booking does.
    outcome = await ledger.hold_async(
        event_id, user_id=user.id, user_name=user.name, category=body.category,
        quantity=body.seats, lines=lines, idempotency_key=idempotency_key,
        voucher=body.voucher)
    return HoldOut.model_validate(_answered(outcome, response))


@router.post(
    "/holds/{hold_id}/confirm",
    status_code=201,
    responses={
        200: {"model": BookingOut, "description": "confirmed before: its booking, replayed"},
        404: {"description": named(codes.HOLD_NOT_FOUND)},
        409: {"description": f"{described(codes.HOLD_ENDED)}; "
                             f"{described(codes.PAYMENT_REQUIRED)}"},
        410: {"description": described(codes.HOLD_EXPIRED)},
    },
)
async def confirm_hold(hold_id: UUID, user: BookerUser, ledger: LedgerDep,
                       response: Response) -> BookingOut:
    """Book the held seats, at the price they were held at: the booking with its tickets.
    A retry answers the same booking."""
    outcome = await ledger.confirm_hold_async(hold_id, actor(user))
    return BookingOut.model_validate(_answered(outcome, response))


@router.delete(
    "/holds/{hold_id}",
    responses={404: {"description": named(codes.HOLD_NOT_FOUND)},
               409: {"description": described(codes.HOLD_ENDED)},
               410: {"description": described(codes.HOLD_EXPIRED)}},
)
async def release_hold(hold_id: UUID, user: BookerUser, ledger: LedgerDep,
                       response: Response) -> HoldOut:
    """Give the held seats back now (an offer to a place on the waitlist is declined so: it
    passes to the place ranked next)."""
    outcome = await run_in_threadpool(ledger.release_hold, hold_id, actor(user))
    return HoldOut.model_validate(_answered(outcome, response))


@router.get("/holds/{hold_id}", responses={404: {"description": named(codes.HOLD_NOT_FOUND)}})
async def get_hold(hold_id: UUID, user: CurrentUser, ledger: LedgerDep) -> HoldOut:
    """One hold as its event's stream tells it now (its buyer, admins, auditors)."""
    reader = None if user.reads_every_event else actor(user)
    return HoldOut.model_validate(await run_in_threadpool(ledger.hold_now, hold_id, reader))


@router.post(
    "/events/{event_id}/waitlist",
    status_code=201,
    responses={
        200: {"model": PlaceOut, "description": REPLAYED},
        400: {"description": named(codes.NOT_ENOUGH_SEATS, codes.USER_LIMIT_EXCEEDED,
                                   codes.EVENT_IN_PAST) + "..."},
        404: {"description": named(codes.EVENT_NOT_FOUND)},
        409: {"description": f"{named(codes.NOT_SOLD_OUT, codes.TOO_MANY_HOLDS)}, "
                             f"{named(codes.IDEMPOTENCY_KEY_REUSED, codes.EVENT_NOT_PUBLISHED)}; "
                             f"{ALREADY_WAITLISTED}"},
    },
)
async def join_waitlist(  # noqa: PLR0913 - request parts and dependencies
    event_id: UUID, body: PlaceIn, user: BookerUser, ledger: LedgerDep, settings: SettingsDep,
    response: Response, idempotency_key: IdempotencyKey = None,
) -> PlaceOut:
    """Take a place on a sold-out category's waitlist, for up to `quantity` seats (none on
    sale: those on sale stay on sale to everyone). Seats that come back on sale after the
    waitlist formed are owed to it and offered by rank (the order of joining), each offer a
    hold of its own: the place ranked 1 is offered what came back, all it waits for or fewer,
    so it never holds up those ranked after it (`GET /api/users/{id}/holds`, and live on the
    event's stream). The answer's `rank` is the place's position (`place`: its deprecated
    alias). A place counts toward the per-user limit."""
    check_quantity(body.quantity, settings.max_tickets_per_booking)
    outcome = await run_in_threadpool(
        ledger.join_waitlist, event_id, user_id=user.id, user_name=user.name,
        category=body.category, quantity=body.quantity, idempotency_key=idempotency_key)
    return PlaceOut.model_validate(_answered(outcome, response))


@router.delete(
    "/waitlist/{place_id}",
    responses={404: {"description": named(codes.PLACE_NOT_FOUND)},
               409: {"description": described(codes.PLACE_ENDED)}},
)
async def leave_waitlist(place_id: UUID, user: BookerUser, ledger: LedgerDep,
                         response: Response) -> PlaceOut:
    """Leave the waitlist: the place ends, and those ranked after it move up."""
    outcome = await run_in_threadpool(ledger.leave_waitlist, place_id, actor(user))
    return PlaceOut.model_validate(_answered(outcome, response))


def _answered(outcome: Outcome, response: Response) -> dict[str, object]:
    if outcome.replayed:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
    stamp_write(response, outcome.position)
    return outcome.view | {"position": outcome.position}
