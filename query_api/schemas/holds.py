"""Checkout holds, and places on a sold-out category's waitlist."""

from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field, model_validator

from query_api.schemas.bookings import OrderLine, TaxLine
from query_api.schemas.common import CategoryName, Input, Moment, Money, VoucherCode

HoldStatus = Literal["active", "confirmed", "released", "expired", "closed"]
PlaceStatus = Literal["waiting", "offered", "served", "passed", "left", "closed", "ended"]


MAX_LINES = 20  # as the domain's (`commands.domain.checkout.MAX_LINES`)


class HoldLineIn(Input):
    category: CategoryName
    quantity: int = Field(ge=1, strict=True)


class HoldIn(Input):
    """One category's seats (`category`, `quantity`), or an order across categories
    (`lines`), held all or none with one expiry."""

    category: CategoryName | None = None
    # No default in the document: a generated client then sends none beside `lines`.
    quantity: int | None = Field(default=None, ge=1, strict=True,
                                 description="seats of `category`: 1 when not given")
    lines: list[HoldLineIn] | None = Field(
        default=None, min_length=1, max_length=MAX_LINES,
        description="each category's seats, for an order across categories; not with "
                    "`category` or `quantity`")
    voucher: VoucherCode | None = Field(
        default=None, description="a voucher's code: its price for the seats it applies to")

    @model_validator(mode="after")
    def _one_form(self) -> "HoldIn":
        if self.lines is not None and (self.category is not None or self.quantity is not None):
            raise ValueError("give `lines`, or `category` and `quantity`, not both")
        return self

    @property
    def seats(self) -> int:
        if self.lines:
            return sum(line.quantity for line in self.lines)
        return 1 if self.quantity is None else self.quantity


class HoldOut(BaseModel):
    """Seats out of sale for their buyer until `expires_at`: made at checkout, or an offer
    made to a place on a waitlist (`offer`, `place_id`). Confirmed, it names its booking."""

    id: UUID
    event_id: UUID
    user_id: UUID
    category: str | None = Field(description="None once it ended, read from the write side")
    quantity: int | None
    unit_price: Money | None
    lines: list[OrderLine] | None = Field(
        default=None, description="each category's seats and price while active")
    total: Money | None = Field(default=None, description="what its seats cost, while active")
    list_total: Money | None = Field(
        default=None, description="what they would cost without its voucher, while active")
    voucher: str | None = Field(default=None, description="the voucher it was held with")
    taxes: list[TaxLine] | None = Field(
        default=None, description="its price per tax rule and rate, while active")
    status: HoldStatus
    expires_at: Moment | None
    offer: bool = Field(description="an offer to a place on the waitlist, not a checkout hold")
    place_id: UUID | None = Field(description="the place on the waitlist an offer was made to")
    booking_id: UUID | None
    position: int | None = None


class HoldPage(BaseModel):
    items: list[HoldOut]
    next_cursor: str | None
    position: int


class PlaceIn(Input):
    category: CategoryName | None = None
    quantity: int = Field(default=1, ge=1, strict=True)


RANK_ALIAS = "Deprecated: use rank (the same value)."


class PlaceOut(BaseModel):
    """One buyer's place on a sold-out category's waitlist, with its rank while it waits."""

    id: UUID
    event_id: UUID
    user_id: UUID
    category: str | None
    quantity: int | None
    rank: int | None = Field(description="its position on the waitlist while it waits, 1: "
                                         "offered the next seats; null once it no longer waits")
    place: int | None = Field(None, deprecated=RANK_ALIAS, description=RANK_ALIAS)
    status: PlaceStatus
    joined_at: Moment | None
    hold_id: UUID | None = Field(None, description="the offer made to it, once offered")
    position: int | None = None

    @model_validator(mode="before")
    @classmethod
    def _rank_and_its_alias(cls, data: Any) -> Any:
        """`place`, deprecated, answers the rank too."""
        return {**data, "place": data.get("rank")} if isinstance(data, dict) else data


class PlacePage(BaseModel):
    items: list[PlaceOut]
    next_cursor: str | None
    position: int
