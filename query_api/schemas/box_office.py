"""An event's box office and its attendees, as its organizers see them at the door."""

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field, model_validator

from query_api.schemas.common import WAITLISTED_ALIAS, EventStatus, Money

TicketStatus = Literal["active", "used", "cancelled"]


class CategorySeats(BaseModel):
    name: str
    price: Money
    capacity: int
    sold: int
    held: int = Field(description="in checkout holds not yet confirmed or paid")
    waitlisted: int = Field(description="what the category's waitlist waits for")
    waiting: int = Field(0, deprecated=WAITLISTED_ALIAS, description=WAITLISTED_ALIAS)
    free: int = Field(description="on sale now: capacity less sold and held")

    @model_validator(mode="before")
    @classmethod
    def _waitlisted_and_its_alias(cls, data: Any) -> Any:
        """`waiting`, deprecated, answers the same count."""
        return {**data, "waiting": data.get("waitlisted", 0)} if isinstance(data, dict) else data


class TaxTotal(BaseModel):
    """What the event's seats of one tax rule and rate sold for and what was refunded: net,
    tax and gross (what buyers paid); seats of no rule under `name` null and rate 0."""

    name: str | None
    rate: Decimal = Field(description="percent")
    net: Money
    tax: Money
    gross: Money
    refunded_net: Money
    refunded_tax: Money
    refunded_gross: Money


class BoxOfficeMoney(BaseModel):
    """The event's money in its currency: the sales' figures and the payments'."""

    currency: str
    bookings: int
    tickets_sold: int
    revenue: Money = Field(description="gross sales")
    refunds: Money = Field(description="refunded")
    net: Money = Field(description="net sales")
    collected: Money
    returned: Money
    collected_net: Money = Field(description="net collected")
    by_rate: list[TaxTotal] = Field(
        default_factory=list, description="the sales and refunds per tax rule and rate")


class CheckInsAt(BaseModel):
    at: datetime = Field(description="the start of a quarter hour, UTC")
    count: int


class CheckIns(BaseModel):
    checked_in: int
    tickets: int = Field(description="its tickets not cancelled")
    series: list[CheckInsAt] = Field(description="check-ins per quarter hour, oldest first")


class BoxOfficeOut(BaseModel):
    event_id: UUID
    name: str
    status: EventStatus
    currency: str
    starts_at: datetime
    categories: list[CategorySeats]
    money: BoxOfficeMoney
    check_ins: CheckIns
    position: int = Field(description="the projection position this reflects")


class AttendeeOut(BaseModel):
    """A ticket and its holder."""

    code: str
    name: str
    email: str | None = Field(description="the booking account's (None once it is deleted)")
    category: str
    status: TicketStatus
    checked_in_at: datetime | None
    booking_id: UUID
    booked_at: datetime


class AttendeePage(BaseModel):
    items: list[AttendeeOut]
    next_cursor: str | None
    position: int = Field(description="the projection position this page reflects")
