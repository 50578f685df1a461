"""The messages' response bodies."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

MessageKind = Literal["booking_confirmed", "booking_cancelled", "tickets_cancelled",
                      "waitlist_offer", "event_cancelled", "invoice_issued", "invoice_cancelled"]
MessageStatus = Literal["queued", "sending", "sent", "failed", "bounced"]


class MessageOut(BaseModel):
    """One e-mail to one buyer, and how sending it went (never what it says: its tickets
    travel only to their holder)."""

    id: UUID = Field(description="also the e-mail's Message-ID")
    kind: MessageKind
    status: MessageStatus
    recipient_id: UUID
    recipient_email: str | None = Field(description="None once the recipient is erased")
    recipient_name: str
    booking_id: UUID | None
    resend: int = Field(description="0: made from the log; n: the n-th resend asked for")
    attempts: int = Field(description="SMTP sessions begun for it")
    last_error: str | None = Field(description="the server's refusal, why it waits, or the "
                                               "bounce reported after sending")
    created_at: datetime
    sent_at: datetime | None


class MessagePage(BaseModel):
    items: list[MessageOut]
    next_cursor: str | None


class BounceOut(BaseModel):
    """What a delivery report recorded on the message it is about."""

    message_id: UUID
    status: MessageStatus = Field(description="the message's, now: `bounced` after a failure; "
                                              "a delay leaves it `sent`")
    action: Literal["failed", "delayed"] = Field(description="what the report says of its "
                                                             "recipient")
    status_code: str = Field(description="the report's enhanced status code, as 5.1.1")
    reason: str = Field(description="the receiving side's words, as `last_error` shows them")
    changed: bool = Field(description="false: this report was already recorded")
