"""All data the ledger holds about one person, gathered for their own download (access and
portability) or an admin's answer to a request received by mail: their account, bookings with
tickets, holds and waitlist places, payments, invoices, the messages sent to them, and the
webhook deliveries that named them. Read from the read tables and the outbound logs, never
the event store (whose history the auditors' exports cover)."""

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from commands.domain.chain import plain
from core.erased_address import shown_email
from projections.bookings import PaymentRow
from projections.holds import HoldRow, PlaceRow
from projections.invoices import InvoiceRow
from query_api.auth.user_accounts import User
from query_api.reads.bookings import bookings_of, payment_summary
from workers.mail.tables import MailMessage
from workers.webhooks.tables import WebhookDelivery, WebhookEndpoint

BATCH = 500  # rows read at a time from the larger tables


def personal_data(session: Session, user_id: UUID, now: datetime) -> dict[str, Any] | None:
    """Everything held about user `user_id`, as JSON values; None when there is no such
    account."""
    account = session.get(User, user_id)
    if account is None:
        return None
    bookings = bookings_of(session, user_id)
    holds = list(session.scalars(select(HoldRow).where(HoldRow.user_id == user_id)
                                 .order_by(HoldRow.created_at)))
    booked = [b["id"] for b in bookings]
    payments = session.scalars(select(PaymentRow).where(or_(
        PaymentRow.hold_id.in_([h.id for h in holds]), PaymentRow.booking_id.in_(booked)))
        .order_by(PaymentRow.updated_at))
    found: dict[str, Any] = plain({
        "exported_at": now,
        "about": "Every record the ledger keeps about this account, in the API's shapes.",
        "account": {"id": account.id, "email": shown_email(account.email), "name": account.name,
                    "phone": account.phone, "role": account.role,
                    "language": account.language, "created_at": account.created_at},
        "bookings": bookings,
        "holds": [_columns(h, ("id", "event_id", "category", "quantity", "unit_price",
                               "status", "expires_at", "voucher", "booking_id", "created_at",
                               "ended_at", "lines")) for h in holds],
        "waitlist_places": [_columns(p, ("id", "event_id", "category", "quantity", "status",
                                         "joined_at", "ended_at"))
                            for p in session.scalars(select(PlaceRow).where(
                                PlaceRow.user_id == user_id).order_by(PlaceRow.joined_at))],
        "payments": [{"id": p.id, "hold_id": p.hold_id, "booking_id": p.booking_id,
                      "event_id": p.event_id, **payment_summary(p)} for p in payments],
        "invoices": [row.document for row in session.scalars(
            select(InvoiceRow).where(InvoiceRow.user_id == user_id).order_by(
                InvoiceRow.position))],
        "messages": list(_messages(session, user_id)),
        "webhook_deliveries": list(_deliveries(session, user_id)),
    })
    return found


def _columns(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name, None) for name in names}


def _messages(session: Session, user_id: UUID) -> Iterator[dict[str, Any]]:
    """The messages sent to them: what, to which address, and how it went (their content is
    the booking's, above)."""
    query = (select(MailMessage).where(MailMessage.recipient_id == user_id)
             .order_by(MailMessage.created_at).execution_options(yield_per=BATCH))
    for m in session.scalars(query):
        yield _columns(m, ("id", "kind", "event_id", "booking_id", "recipient_email",
                           "recipient_name", "status", "created_at", "sent_at")) | {
            "recipient_email": shown_email(m.recipient_email)}  # none once they are erased


def _deliveries(session: Session, user_id: UUID) -> Iterator[dict[str, Any]]:
    """The webhook deliveries whose body named them, and where each was sent: the organizers'
    systems that received their data."""
    named = f'"user_id":"{user_id}"'
    query = (select(WebhookDelivery, WebhookEndpoint.url)
             .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
             .where(WebhookDelivery.payload.contains(named, autoescape=True))
             .order_by(WebhookDelivery.position).execution_options(yield_per=BATCH))
    for delivery, url in session.execute(query):
        yield {"id": delivery.id, "sent_to": url, "event_type": delivery.event_type,
               "status": delivery.status, "created_at": delivery.created_at,
               "delivered_at": delivery.delivered_at, "body": json.loads(delivery.payload)}
