"""Paying for a hold, the payment provider's webhook, and how the browser pays."""

from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from core import error_codes as codes
from core.settings import Settings
from query_api.reads.consistency import stamp_write
from query_api.routes.commands.common import actor
from query_api.schemas.payments import (
    MarkPaidIn,
    MarkRefundedIn,
    NoticeOut,
    OfflinePaymentOut,
    PaymentIn,
    PaymentMethodOut,
    PaymentMethodsOut,
    PaymentOut,
    PaymentsConfig,
)
from query_api.service.deps import (
    BookerUser,
    CurrentUser,
    LedgerDep,
    OrganizerUser,
    SettingsDep,
)
from query_api.service.openapi import described, named

router = APIRouter(tags=["payments"])
STRIPE_JS = "https://js.stripe.com/v3/"
# Where Stripe.js loads from, draws its card field and calls (Stripe's documented policy).
STRIPE_ORIGINS = ("https://js.stripe.com", "https://api.stripe.com", "https://hooks.stripe.com")
# A webhook's body is Stripe's own event: small. Anything larger is not one.
MAX_NOTICE_BYTES = 256 * 1024


@router.post(
    "/holds/{hold_id}/payment",
    responses={
        200: {"model": PaymentOut, "description": "asked again: the payment as it stands"},
        402: {"description": described(codes.PAYMENT_DECLINED)},
        404: {"description": named(codes.HOLD_NOT_FOUND)},
        409: {"description": named(codes.NOTHING_TO_PAY, codes.AMOUNT_TOO_SMALL,
                                   codes.PAYMENT_IN_PROGRESS, codes.PAYMENT_METHOD_NOT_ACCEPTED,
                                   codes.OTHER_METHOD_STARTED,
                                   codes.PAYMENTS_OFF, codes.HOLD_ENDED)},
        410: {"description": described(codes.HOLD_EXPIRED)},
        422: {"description": named(codes.UNKNOWN_PAYMENT_METHOD, codes.PAYMENT_METHOD_NEEDED)},
        503: {"description": described(codes.PROVIDER_UNAVAILABLE)},
    },
    status_code=201,
)
async def pay_hold(hold_id: UUID, body: PaymentIn, user: BookerUser, ledger: LedgerDep,
                   response: Response) -> PaymentOut:
    """Pay for a hold with one of its event's `method`s. By card (left out: the card
    provider), with the card's PaymentMethod: a PaymentIntent for the hold's total is
    made and confirmed on the server. `succeeded`: the hold is booked (`booking_id`).
    `requires_action`: complete it in the browser with Stripe.js (`client_secret`), then ask
    again; the provider's webhook books it too, whichever comes first, once. A declined card
    is 402 PAYMENT_DECLINED: try another. By a method that books the seats first (`offline`,
    a bank transfer): `awaiting_payment`, the hold booked at once (`booking_id`), its price
    owed until the event's organizers mark it received; the buyer quotes `reference`. Asked
    again, the payment as it stands (no second charge)."""
    outcome = await run_in_threadpool(ledger.pay_hold, hold_id, actor(user),
                                      body.payment_method, body.method)
    if outcome.replayed:
        response.status_code = 200
    stamp_write(response, outcome.position)
    return PaymentOut.model_validate(outcome.view | {"position": outcome.position})


@router.get("/holds/{hold_id}/payment",
            responses={404: {"description": named(codes.HOLD_NOT_FOUND,
                                                  codes.PAYMENT_NOT_FOUND)}})
async def get_hold_payment(hold_id: UUID, user: CurrentUser, ledger: LedgerDep) -> PaymentOut:
    """A hold's payment as recorded (its buyer, admins, auditors)."""
    reader = None if user.reads_every_event else actor(user)
    return PaymentOut.model_validate(await run_in_threadpool(ledger.payment, hold_id, reader))


@router.post(
    "/payments/{provider}/webhook",
    responses={400: {"description": described(codes.INVALID_SIGNATURE)},
               404: {"description": described(codes.PROVIDER_NOT_FOUND)},
               409: {"description": described(codes.PAYMENTS_OFF)}},
)
async def payment_provider_webhook(provider: str, request: Request,
                                   ledger: LedgerDep) -> NoticeOut:
    """The payment provider's webhook (`stripe`: `payment_intent.succeeded`,
    `payment_intent.payment_failed`), verified with the endpoint's signing secret: a payment
    that succeeded books its hold, once however often it is delivered. Not for people: the
    provider calls it."""
    payload = await request.body()
    if len(payload) > MAX_NOTICE_BYTES:
        payload = b""  # refused by the signature check, as any body not the provider's
    found = await run_in_threadpool(ledger.payment_notice, provider, payload,
                                    request.headers)
    return NoticeOut.model_validate(found)


def browser_origins(settings: Settings) -> tuple[str, ...]:
    """The origins the web UI's Stripe.js needs (none without a provider): Stripe's, or the one
    of the API it is pointed at (localstripe serves its Stripe.js itself)."""
    if not settings.payments_required:
        return ()
    if settings.stripe_api_base:
        base = urlsplit(settings.stripe_api_base)
        return (f"{base.scheme}://{base.netloc}",)
    return STRIPE_ORIGINS


@router.get("/payments/config")
async def payments_config(settings: SettingsDep) -> PaymentsConfig:
    """How the browser pays: the provider (null when none is set up: paid seats are booked
    as before, without payment), its publishable key and Stripe.js's address."""
    if not settings.payments_required:
        return PaymentsConfig(provider=None, publishable_key=None, js_url=None)
    base = settings.stripe_api_base
    return PaymentsConfig(provider="stripe", publishable_key=settings.stripe_publishable_key,
                          js_url=f"{base.rstrip('/')}/js.stripe.com/v3/" if base else STRIPE_JS)


@router.get("/payments/methods")
async def get_payment_methods(ledger: LedgerDep) -> PaymentMethodsOut:
    """The payment methods this server has, in the order a buyer is offered them: what an
    event may accept (its `payment_methods`) and a buyer may pay a hold with (`method`)."""
    methods = await run_in_threadpool(ledger.payment_methods)
    default = ledger.payment_methods_by_default()
    return PaymentMethodsOut(items=[
        PaymentMethodOut(name=m.name, label=m.label, by_default=m.name in default,
                         books_seats_first=m.books_seats_first)
        for m in methods.values()])


OFFLINE_REFUSED: dict[int | str, dict[str, Any]] = {
    403: {"description": described(codes.NOT_EVENT_ORGANIZER, "not one who runs its event")},
    404: {"description": named(codes.BOOKING_NOT_FOUND)},
}


@router.post("/bookings/{booking_id}/payment", status_code=201, responses={
    **OFFLINE_REFUSED,
    400: {"description": named(codes.ALREADY_CANCELLED)},
    409: {"description": named(codes.ALREADY_PAID, codes.NOTHING_TO_PAY)},
})
async def mark_booking_paid(booking_id: UUID, body: MarkPaidIn, user: OrganizerUser,
                            ledger: LedgerDep, response: Response) -> OfflinePaymentOut:
    """Mark a booking paid at the door or by bank transfer (its event's organizers, or an
    admin): recorded as its payment (provider `offline`) for the price of the seats it has.
    A booking paid through the provider, or marked before, is 409 ALREADY_PAID."""
    outcome = await run_in_threadpool(ledger.mark_paid, booking_id, actor(user), body.method,
                                      body.reference)
    stamp_write(response, outcome.position)
    return OfflinePaymentOut.model_validate(outcome.view | {"position": outcome.position})


@router.post("/bookings/{booking_id}/payment/refund", responses={
    **OFFLINE_REFUSED, 409: {"description": described(codes.NO_REFUND_OWED)}})
async def mark_booking_refunded(booking_id: UUID, body: MarkRefundedIn, user: OrganizerUser,
                                ledger: LedgerDep, response: Response) -> OfflinePaymentOut:
    """Mark the refund of a booking paid at the door or by transfer given back (its event's
    organizers, or an admin): its cancellation, or its tickets', asked for it."""
    outcome = await run_in_threadpool(ledger.mark_refunded, booking_id, actor(user),
                                      body.reference)
    stamp_write(response, outcome.position)
    return OfflinePaymentOut.model_validate(outcome.view | {"position": outcome.position})


@router.post("/bookings/{booking_id}/payment/refund-retry", responses={
    **OFFLINE_REFUSED, 409: {"description": named(codes.NO_REFUND_OWED, codes.REFUND_IN_PROGRESS,
                                                  codes.PAYMENTS_OFF)},
    503: {"description": described(codes.PROVIDER_UNAVAILABLE)}})
async def retry_booking_refund(booking_id: UUID, user: OrganizerUser, ledger: LedgerDep,
                               response: Response) -> PaymentOut:
    """Ask the provider again, now, for a refund of the booking it refused (its event's
    organizers, or an admin): the refunds' manager tries a failed refund a few times, then
    leaves it failed and shown. Answers the payment as it stands after the try."""
    outcome = await run_in_threadpool(ledger.retry_refund, booking_id, actor(user))
    stamp_write(response, outcome.position)
    return PaymentOut.model_validate(outcome.view | {"position": outcome.position})
