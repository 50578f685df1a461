"""A booking's confirmation sent again, on request: a new message row, its `resend` the next
number, made from the booking as it stands now (its tickets not cancelled), to its holder's
address now; at most MAIL_RESENDS_PER_HOUR per booking within any hour."""

import math
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from commands.domain.lines import ticket_lines
from core.db import session_scope
from projections.personal import name_of
from workers.mail import lookups
from workers.mail.subscriber import Draft, new_row, ticket
from workers.mail.tables import CONFIRMATION, messages

WINDOW = timedelta(hours=1)
TRIES = 3  # two resends at once may pick the same number: the second tries the next


class TooManyResends(Exception):
    """The booking's confirmation was sent again as often as it may be within the hour."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after  # seconds until the oldest resend of the hour ages out


class RecipientGone(Exception):
    """The booking's holder has no account any more: there is no address to send to."""


def queue_confirmation(booking: dict[str, Any], requested_by: UUID,
                       max_per_hour: int) -> dict[str, Any]:
    """Queue the booking's confirmation again (`booking` as the write side tells it): the new
    message's row."""
    for attempt in range(TRIES):
        try:
            return _queue(booking, requested_by, max_per_hour)
        except IntegrityError:
            if attempt == TRIES - 1:
                raise
    raise AssertionError("unreachable")


def _queue(booking: dict[str, Any], requested_by: UUID, max_per_hour: int) -> dict[str, Any]:
    now = datetime.now(UTC)
    booking_id, holder = booking["id"], UUID(str(booking["user_id"]))
    of_booking = (messages.c.kind == CONFIRMATION, messages.c.subject_id == booking_id,
                  messages.c.recipient_id == holder)
    with session_scope() as session:
        recent = list(session.scalars(
            select(messages.c.created_at).where(*of_booking, messages.c.resend > 0,
                                                messages.c.created_at > now - WINDOW)
            .order_by(messages.c.created_at)))
        if len(recent) >= max_per_hour:
            frees = recent[len(recent) - max_per_hour] + WINDOW
            raise TooManyResends(max(1, math.ceil((frees - now).total_seconds())))
        number = int(session.scalar(select(func.max(messages.c.resend))
                                    .where(*of_booking)) or 0) + 1
        person = lookups.recipients(session, [holder]).get(holder)
        if person is None:
            raise RecipientGone(str(holder))
        event_id = UUID(str(booking["event_id"]))
        event = lookups.event_details(session, [event_id]).get(event_id) or {
            "id": str(event_id), "name": "", "venue": "", "timezone": "UTC"}
        lines = booking["lines"]
        of_ticket = ticket_lines([t["code"] for t in booking["tickets"]], lines)
        tickets = [ticket(t["code"], of_ticket.get(t["code"]) or lines[0])
                   for t in booking["tickets"] if t["status"] != "cancelled"]
        draft = Draft(CONFIRMATION, booking_id, event_id, booking_id, holder, 0,
                      {"booking_id": booking_id, "holder_name": name_of(booking["user_name"]),
                       "quantity": len(tickets), "total": booking["total_amount"],
                       "tickets": tickets})
        row = new_row(draft, person, event, now, resend=number, requested_by=requested_by)
        row["position"] = None  # asked for, not made from the log
        session.execute(insert(messages).values(row))
    return row
