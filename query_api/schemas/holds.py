"""Checkout holds and places in waiting lines."""

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from query_api.schemas.common import CategoryName, Input, Moment, Money

HoldStatus = Literal["active", "confirmed", "released", "expired", "closed"]
PlaceStatus = Literal["waiting", "offered", "served", "passed", "left", "closed", "ended"]


class HoldIn(Input):
    category: CategoryName | None = None
    quantity: int = Field(default=1, ge=1, strict=True)


class HoldOut(BaseModel):
    """Seats out of sale for their buyer until `expires_at`; `offer`: made to a place in
    line (`place_id`). Confirmed, it names its booking."""

    id: UUID
    event_id: UUID
    user_id: UUID
    category: str | None = Field(description="None once it ended, read from the write side")
    quantity: int | None
    unit_price: Money | None
    status: HoldStatus
    expires_at: Moment | None
    offer: bool
    place_id: UUID | None
    booking_id: UUID | None
    position: int | None = None


class HoldPage(BaseModel):
    items: list[HoldOut]
    next_cursor: str | None
    position: int


class PlaceIn(Input):
    category: CategoryName | None = None
    quantity: int = Field(default=1, ge=1, strict=True)


class PlaceOut(BaseModel):
    """A place in a sold-out category's line: `place` is its rank while it waits (1: next
    to be offered seats)."""

    id: UUID
    event_id: UUID
    user_id: UUID
    category: str | None
    quantity: int | None
    place: int | None
    status: PlaceStatus
    joined_at: Moment | None
    hold_id: UUID | None = Field(None, description="the offer made to it, once offered")
    position: int | None = None


class PlacePage(BaseModel):
    items: list[PlaceOut]
    next_cursor: str | None
    position: int
