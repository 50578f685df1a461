"""Bookings: the request, the booking with its tickets, pages of them, check-ins."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from query_api.schemas.common import CategoryName, Input, Money


class BookIn(Input):
    category: CategoryName | None = None
    quantity: int = Field(default=1, ge=1, strict=True)


class TicketOut(BaseModel):
    code: str
    status: Literal["active", "used", "cancelled"]


class BookingOut(BaseModel):
    id: UUID
    event_id: UUID
    user_id: UUID
    user_name: str
    category: str
    quantity: int
    unit_price: Money
    total_amount: Money
    status: Literal["confirmed", "cancelled"]
    tickets: list[TicketOut]
    created_at: datetime
    position: int | None = Field(
        default=None, description="global position of the latest event on this booking"
    )


class BookingPage(BaseModel):
    items: list[BookingOut]
    next_cursor: str | None
    position: int = Field(description="the projection position this page reflects")


class CheckInOut(BaseModel):
    code: str
    status: Literal["used"]
    event_id: UUID
    position: int | None
