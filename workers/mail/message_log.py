"""An event's messages as its organizers read them: kind, recipient, status, error, times."""

from typing import Any
from uuid import UUID

from sqlalchemy import Select, select

from core.erased_address import shown_email
from workers.mail.tables import MailMessage


def of_event(event_id: UUID) -> Select[tuple[MailMessage]]:
    """The event's messages (the caller orders and pages them by `created_at`, `id`)."""
    return select(MailMessage).where(MailMessage.event_id == event_id)


def shown(message: MailMessage) -> dict[str, Any]:
    """A message's public fields: never its data (ticket codes travel only to their holder),
    nor the placeholder an erased recipient's row keeps for an address."""
    return {"id": message.id, "kind": message.kind, "status": message.status,
            "recipient_id": message.recipient_id,
            "recipient_email": shown_email(message.recipient_email),
            "recipient_name": message.recipient_name, "booking_id": message.booking_id,
            "resend": message.resend, "attempts": message.attempts,
            "last_error": message.last_error, "created_at": message.created_at,
            "sent_at": message.sent_at}
