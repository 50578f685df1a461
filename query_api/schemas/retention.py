"""An organizer's retention of their buyers."""

from datetime import datetime

from pydantic import BaseModel, Field

from query_api.schemas.common import Input
from workers.retention_policies import MAX_DAYS


class RetentionIn(Input):
    forget_buyers_after_days: int | None = Field(
        ge=1, le=MAX_DAYS, description="days after each of your events ends; null: never")


class RetentionOut(BaseModel):
    """Your events' buyers are forgotten this many days after the event ends, once no other
    event they bought for still keeps them (null: never, by retention)."""

    forget_buyers_after_days: int | None
    updated_at: datetime | None
