"""A hold's payment, the provider's set-up as the browser needs it, and webhook answers."""

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from query_api.schemas.common import Input, Money

PaymentStatus = Literal[
    "succeeded", "failed", "refund_pending", "refunded", "refund_failed",
    # booked at once with a method that books the seats first: the money still to come
    "awaiting_payment",
    # the provider's, while it is being made
    "started", "requires_action", "processing", "requires_confirmation",
    "requires_payment_method", "requires_capture", "canceled",
]


class PaymentIn(Input):
    method: str | None = Field(
        default=None, min_length=1, max_length=32, pattern=r"^[a-z0-9_]+$",
        description="one of the event's payment methods (GET /api/payments/methods), such as "
                    "`offline` (a bank transfer: booked at once, the price owed); left out, "
                    "the card provider")
    payment_method: str | None = Field(
        default=None, min_length=3, max_length=255, pattern=r"^[A-Za-z0-9_]+$",
        description="the card's PaymentMethod id (`pm_...`), made by Stripe.js in the browser; "
                    "needed by a card, by no other method")


class PaymentOut(BaseModel):
    """A hold's payment. `succeeded` names the booking it made; `requires_action` is handed to
    Stripe.js with `client_secret` (3-D Secure), then asked again; `refunded` (or
    `refund_pending`): it succeeded after its hold had ended, and all of it went back."""

    payment_id: UUID
    hold_id: UUID
    event_id: UUID
    status: PaymentStatus
    amount: Money
    currency: str
    provider: str
    intent_id: str = Field(description="the provider's PaymentIntent id")
    client_secret: str | None = Field(description="for Stripe.js, while it is being made")
    booking_id: UUID | None
    refunded: Money
    message: str | None = Field(description="why the last attempt failed")
    reference: str | None = Field(
        default=None, description="while awaiting_payment: what the buyer quotes on the "
                                  "transfer (the booking is `booking_id`)")
    position: int | None = None


class PaymentsConfig(BaseModel):
    """How the browser pays: the provider, its publishable key and its Stripe.js address."""

    provider: Literal["stripe"] | None = Field(description="null: no payment provider is set up")
    publishable_key: str | None
    js_url: str | None


class PaymentMethodOut(BaseModel):
    """A payment method the server has: what an event may accept and a buyer may choose."""

    name: str = Field(description="what an event's `payment_methods` and a payment's `method` "
                                  "name it by")
    label: str = Field(description="what a person reads")
    by_default: bool = Field(
        description="accepted by an event whose organizers never chose its methods: a "
                    "provider that takes the money first when one is set up, else money by hand")
    books_seats_first: bool = Field(
        description="true: the hold is booked at once and its price owed until its organizers "
                    "mark the money received; false: the payment's success books it")


class PaymentMethodsOut(BaseModel):
    items: list[PaymentMethodOut]


class MarkPaidIn(Input):
    """How the organizer took the booking's money, outside any payment provider."""

    method: Literal["door", "bank_transfer"] = Field(
        description="at the door, or by a bank transfer the organizer received")
    reference: str | None = Field(
        default=None, min_length=1, max_length=100, pattern=r"^[A-Za-z0-9 ._/#-]+$",
        description="the transfer's reference or the receipt's number, recorded with it")


class MarkRefundedIn(Input):
    reference: str | None = Field(
        default=None, min_length=1, max_length=100, pattern=r"^[A-Za-z0-9 ._/#-]+$",
        description="the transfer's reference or the receipt's number, recorded with it")


class OfflinePaymentOut(BaseModel):
    """A booking's payment taken outside any provider, as its organizer marked it."""

    booking_id: UUID
    status: Literal["succeeded", "refund_pending", "refunded"]
    provider: Literal["offline"]
    method: Literal["door", "bank_transfer"]
    amount: Money = Field(description="what was taken: the price of the seats it has")
    refunded: Money
    currency: str
    position: int | None


class NoticeOut(BaseModel):
    received: bool
    changed: bool = Field(description="whether it changed a payment (a replay changes nothing)")
