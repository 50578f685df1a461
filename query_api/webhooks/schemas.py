"""The webhooks' request and response bodies."""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from query_api.schemas.common import MAX_POSITION, SingleLine

DeliveryStatus = Literal["pending", "delivered", "failed"]


class WebhookIn(BaseModel):
    """An endpoint to register: where, which event types, one event or all (admins)."""

    url: Annotated[str, Field(min_length=1, max_length=2048), SingleLine]
    event_types: Annotated[list[Annotated[str, Field(max_length=64)]],
                           Field(min_length=1, max_length=50)]
    event_id: UUID | None = Field(default=None, description="one event (an organizer's must)")
    description: Annotated[str, Field(max_length=500), SingleLine] | None = None


class WebhookOut(BaseModel):
    """A registered endpoint; its secret is never shown again."""

    id: UUID
    url: str
    event_types: list[str]
    event_id: UUID | None
    description: str | None
    created_at: datetime
    active: bool
    suspended: bool = Field(description="its owner no longer has the role, or no longer runs "
                                        "the event, it needs: nothing is sent to it")
    suspended_reason: str | None
    failing_since: datetime | None = Field(
        None, description="every attempt has failed since then (null: the last one worked)")
    disabled_at: datetime | None = Field(
        None, description="disabled after failing for WEBHOOK_DISABLE_AFTER_SECONDS: nothing "
                          "is sent until a replay enables it again")
    disabled_reason: str | None = Field(None, description="why it was disabled")


class WebhookCreated(WebhookOut):
    """The endpoint just registered, with its signing secret: keep it now, it is not shown
    again."""

    secret: str = Field(description="Standard Webhooks secret, whsec_<base64>")


class WebhookPage(BaseModel):
    items: list[WebhookOut]
    next_cursor: str | None


class EventTypes(BaseModel):
    """What an endpoint may subscribe to, in a stable order."""

    items: list[str]


class DeliveryOut(BaseModel):
    """One endpoint's copy of one log position and how sending it went."""

    id: UUID = Field(description="sent as webhook-id msg_<hex>, the same on every attempt")
    position: int
    event_type: str
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    next_cursor: str | None


class ReplayIn(BaseModel):
    from_position: int = Field(ge=0, le=MAX_POSITION)


class ReplayOut(BaseModel):
    """How many deliveries will be sent again, in order."""

    replayed: int
