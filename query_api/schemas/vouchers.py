"""An event's vouchers: made one by code or as a batch of random codes, listed with what each
sold, disabled."""

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from query_api.schemas.common import CategoryName, Input, Moment, Money, SingleLine, VoucherCode

Discount = Literal["percent", "amount_off", "set_price"]
Label = Annotated[str, Field(max_length=80), SingleLine]
MAX_BATCH = 1000  # as the domain's (`commands.domain.vouchers.MAX_CODES`)


class VoucherIn(Input):
    """One voucher (`code`), several named (`codes`), or a batch of `count` random codes after
    `prefix`, all on the same terms."""

    code: VoucherCode | None = Field(default=None, description="one voucher's code")
    codes: list[VoucherCode] | None = Field(default=None, min_length=1, max_length=MAX_BATCH,
                                            description="several vouchers' codes")
    count: int | None = Field(default=None, ge=1, le=MAX_BATCH, strict=True,
                              description="how many random codes to make")
    prefix: str = Field(default="", max_length=12, pattern=r"^[A-Za-z0-9_-]*$",
                        description="what each random code starts with")
    discount: Discount = Field(description="percent: `value` % off; amount_off: `value` off "
                                           "each seat; set_price: each seat costs `value`")
    value: Decimal = Field(ge=0, le=10_000_000, description="a percentage, or an amount in "
                                                            "the event's currency")
    max_uses: int = Field(default=1, ge=1, le=100_000, strict=True,
                          description="seats it may be used for in all")
    valid_from: Moment | None = None
    valid_until: Moment | None = None
    categories: list[CategoryName] | None = Field(
        default=None, max_length=100, description="the categories it applies to; none: all")
    label: Label | None = Field(default=None,
                                description="a note for the organizers: press, early birds")
    reserve: bool = Field(default=False, description=(
        "keep its uses' seats of its one category off general sale for its holders until it "
        "is used or disabled (no `valid_until` then)"))

    @model_validator(mode="after")
    def _one_way(self) -> "VoucherIn":
        given = [self.code is not None, self.codes is not None, self.count is not None]
        if sum(given) != 1:
            raise ValueError("give one of `code`, `codes` or `count`")
        return self

    @property
    def named(self) -> list[str] | None:
        if self.code is not None:
            return [self.code]
        return self.codes


class VoucherOut(BaseModel):
    """A voucher's terms and what it sold: seats booked with it (`redeemed`, in `bookings`),
    what they cost the buyers (`revenue`) and what it took off (`discounts`)."""

    code: str
    discount: Discount
    value: Money
    max_uses: int
    redeemed: int = Field(description="seats booked with it; a cancellation does not give a "
                                      "use back")
    bookings: int
    revenue: Money
    discounts: Money
    valid_from: Moment | None
    valid_until: Moment | None
    categories: list[str] | None
    label: str | None
    disabled: bool
    reserve: bool = False
    created_at: Moment


class VoucherMade(BaseModel):
    """Vouchers just made, as the ledger recorded them: nothing sold yet."""

    vouchers: list[VoucherOut]
    position: int | None = None


class VoucherDisabledOut(BaseModel):
    code: str
    disabled: Literal[True]
    position: int | None = Field(description="null when it was disabled already")


class VoucherPage(BaseModel):
    items: list[VoucherOut]
    next_cursor: str | None
    position: int
