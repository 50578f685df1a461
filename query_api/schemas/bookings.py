"""Bookings: the request, the booking with its tickets, pages of them, check-ins."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from query_api.schemas.common import CategoryName, Input, Money, PersonName, Reason, VoucherCode


class BookIn(Input):
    category: CategoryName | None = None
    quantity: int = Field(default=1, ge=1, strict=True)
    voucher: VoucherCode | None = Field(
        default=None, description="a voucher's code: its price for the seats it applies to")


class TicketOut(BaseModel):
    code: str
    status: Literal["active", "used", "cancelled"]
    category: str = Field(description="the category of the line it was booked on")


class OrderLine(BaseModel):
    """One category's seats in an order, at the price it was held or booked at."""

    category: str
    quantity: int
    unit_price: Money
    list_price: Money | None = Field(
        default=None, description="the category's price before a voucher (none: no voucher)")
    unit_tax: Money | None = Field(
        default=None, description="the tax each seat's price holds (none: untaxed)")
    tax_name: str | None = None
    tax_rate: Decimal | None = Field(default=None, description="percent")


class TaxLine(BaseModel):
    """What an order's seats of one tax rule and rate cost: net, tax and gross (what the buyer
    pays); seats of no rule under `name` null and rate 0."""

    name: str | None
    rate: Decimal = Field(description="percent")
    net: Money
    tax: Money
    gross: Money


class BookedSeats(BaseModel):
    """What a booking holds, wherever it is shown: a read of the bookings, an event's state."""

    id: UUID
    user_id: UUID
    user_name: PersonName
    category: str = Field(description="its first line's category (`lines` has them all)")
    quantity: int = Field(description="its seats, all lines'")
    unit_price: Money = Field(description="its first line's price (`lines` has each one's)")
    total_amount: Money
    list_total: Money | None = Field(
        default=None, description="what its seats cost before a voucher's discount")
    taxes: list[TaxLine] = Field(default_factory=list,
                                 description="its price per tax rule and rate")
    voucher: str | None = Field(default=None, description="the voucher its seats were "
                                                          "priced by")
    lines: list[OrderLine] = Field(description="each category's seats and price: one line "
                                               "unless it was ordered across categories")
    status: Literal["confirmed", "cancelled"]
    tickets: list[TicketOut] = Field(description="in the order of its lines")
    created_at: datetime


class BookingPayment(BaseModel):
    """How the booking's payment stands, as the log told it (the `bookings` read model)."""

    status: Literal["started", "awaiting_payment", "succeeded", "failed", "refund_pending",
                    "refunded", "refund_failed"] = Field(
        description="awaiting_payment: booked, its price owed until its organizers mark the "
                    "money received (a bank transfer quoting `reference`); "
                    "succeeded: paid; refund_pending: money going back; refunded: some or all "
                    "of it given back (`refunded`); refund_failed: a refund the provider "
                    "refused, tried again by the refunds' manager (`message` says why)")
    provider: str
    amount: Money = Field(description="what the payment took")
    refunded: Money = Field(description="what it gave back so far")
    currency: str
    message: str | None = Field(description="the provider's reason for the last failure")
    updated_at: datetime
    reference: str | None = Field(
        default=None, description="while awaiting_payment: what the buyer quotes on the transfer")


class BookingOut(BookedSeats):
    event_id: UUID
    cancelled_by: Literal["customer", "organizer", "admin"] | None = Field(
        default=None,
        description="who cancelled it: its holder, its event's organizers or an admin; null "
                    "while confirmed, or for a cancellation recorded before it said")
    cancellation_reason: str | None = Field(
        default=None, description="the reason given when it was cancelled, if any (its "
                                  "event's, when the event's cancellation took it)")
    position: int | None = Field(
        default=None, description="global position of the latest event on this booking"
    )
    payment: BookingPayment | None = Field(
        default=None, description="its payment through a provider, as the read model has it "
                                  "(null: not paid through one, or a booking just made, from "
                                  "the write side)")


class CancelIn(Input):
    """Why it is cancelled: needed from an event's organizers and admins, optional from a
    booking's holder or for an event that has not started."""

    reason: Reason | None = None


TicketCode = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
# At most a booking's tickets: more than any booking has is refused by the schema.
MAX_TICKETS_PER_REFUND = 100


class RefundIn(Input):
    """The tickets of the booking to cancel and refund, each once; why (needed from an event's
    organizers and admins, optional from the booking's holder)."""

    tickets: list[TicketCode] = Field(min_length=1, max_length=MAX_TICKETS_PER_REFUND)
    reason: Reason | None = None


class RefundOut(BaseModel):
    """A refund of some tickets: their price given back (`amount`), and the booking after it
    (cancelled whole when they were all it had left)."""

    booking: BookingOut
    tickets: list[str]
    amount: Money
    currency: str
    status: Literal["refunded", "refund_pending", "refund_failed", "not_paid",
                    "nothing_owed"] = Field(
        description="how the payment's refund stands: made, being made (the refunds' manager "
                    "makes it), failed (retried, shown to the organizer), `not_paid`: the "
                    "booking had no payment, nothing goes back through a provider, or "
                    "`nothing_owed`: the tickets cost nothing")
    position: int | None


class BookingPage(BaseModel):
    items: list[BookingOut]
    next_cursor: str | None
    position: int = Field(description="the projection position this page reflects")


class CheckInOut(BaseModel):
    """A ticket at the door, after a check-in (`used`) or its undoing (`active`)."""

    code: str
    status: Literal["used", "active"]
    event_id: UUID
    name: PersonName | None = Field(default=None,
                                    description="its holder's name (the booking's)")
    category: str | None = None
    checked_in_at: datetime | None = Field(default=None,
                                           description="when it was checked in, while it is")
    position: int | None
