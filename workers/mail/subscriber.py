"""The messages' subscriber of the global log: one message row per (kind, subject, recipient),
inserted in the transaction that moves its position in `mail_tracking`.

Exactly once, resumable: it follows the log through the batch loop every subscriber shares
(`projections.batch_loop`), beside the webhooks' fan-out on the messages' and the webhooks'
ticks (`workers.subscribers`). A batch locks its row, read the log past its position, insert the
messages its events call for and move the position in one transaction, so a worker dying
midway inserts nothing and the next batch reads the same events again; a row already there
(the unique key of `tables.MailMessage`) is left as it is. A projection's rebuild resets the
projections' positions, never this one: no message is made twice.

A message carries its event's details, read from the events read table, so the subscriber is
given no event that table has not projected.
Which domain events make which message:
- `SeatsBooked` (a booking, or a hold confirmed into one): its confirmation with its tickets;
- `BookingCancelled`: its cancellation notice with the refund; one taken by its event's
  cancellation is that event's cancellation notice instead, one per booking, with what its
  tickets cost back;
- `TicketsCancelled`: the notice of those tickets cancelled and refunded;
- `SeatsHeld` made for a place on a waitlist (`offer_for`): the offer with its deadline;
- `InvoiceIssued`: the invoice, or the cancellation of one, to the booking's buyer, with the
  document its PDF is drawn from when it is sent (the read model's, so that the mailed PDF is
  the one the API serves).
"""

import json
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple
from uuid import UUID

from sqlalchemy.orm import Session

from commands.domain import catalogue
from commands.domain.chain import plain
from commands.domain.events import EVENT_CANCELLED as TAKEN_BY_EVENT
from commands.domain.invoices import CANCELLATION as CANCELS_AN_INVOICE
from commands.domain.invoices import invoice_id
from commands.domain.lines import Line, lines_of, ticket_lines, total_of
from core.event_store.global_log import EventLog
from projections.availability import MODEL as EVENTS_MODEL
from projections.batch_loop import run_batches
from projections.invoices import document_of
from projections.personal import name_of
from projections.subscriber_row import SubscriberRow, dialect_insert
from workers.mail import lookups
from workers.mail.tables import (
    CANCELLATION,
    CONFIRMATION,
    EVENT_CANCELLED,
    INVOICE_CANCELLED,
    INVOICE_ISSUED,
    OFFER,
    QUEUED,
    SUBSCRIBER,
    TICKETS_CANCELLED,
    messages,
    tracking,
)

TOPICS = catalogue.mail_topics()  # the events that declare a buyer's message


class Draft(NamedTuple):
    """A message the log calls for, before its recipient and event are looked up."""

    kind: str
    subject_id: UUID
    event_id: UUID
    booking_id: UUID | None
    recipient_id: UUID
    position: int
    data: dict[str, Any]


class MessageRecorder:
    """The messages' subscriber, a follower of the log (`projections.batch_loop`), with the
    fan-out on the ticks (`workers.subscribers`): its row in `mail_tracking`, bounded by the
    events table, whose rows give each message its event's details."""

    name = SUBSCRIBER
    row = SubscriberRow(tracking, SUBSCRIBER)
    bounded_by = EVENTS_MODEL.name

    def extend(self, session: Session, notifications: Sequence[Any],
               decode: Callable[[Any], Any]) -> None:
        drafts = [draft for entry in notifications if entry.topic in TOPICS
                  for draft in drafts_of(decode(entry), entry.id)]
        rows = complete(session, drafts)
        if rows:
            # One statement for all: a row already there is skipped, the others go in.
            session.execute(dialect_insert(session, messages).on_conflict_do_nothing(), rows)


RECORDER = MessageRecorder()


def position() -> int:
    """Where the subscriber stands."""
    return RECORDER.row.position()


def advance(log: EventLog, batch_size: int | None = None, max_batches: int = 20) -> int:
    """Read the log up to what the events table has projected, on its own (the ticks record
    it with the fan-out): how many entries it read."""
    return run_batches([], [RECORDER], log, batch_size, max_batches)[SUBSCRIBER]


def complete(session: Session, drafts: Sequence[Draft]) -> list[dict[str, Any]]:
    """The drafts as rows: each with its recipient's address and its event's details. A
    recipient whose account is gone gets nothing."""
    people = lookups.recipients(session, (d.recipient_id for d in drafts))
    events = lookups.event_details(session, (d.event_id for d in drafts))
    now = datetime.now(UTC)
    rows = []
    for draft in drafts:
        person = people.get(draft.recipient_id)
        if person is None:
            continue
        event = events.get(draft.event_id) or {"id": str(draft.event_id), "name": "",
                                               "venue": "", "timezone": "UTC"}
        rows.append(new_row(draft, person, event, now))
    return rows


def new_row(  # noqa: PLR0913 - a message's fields
        draft: Draft, person: lookups.Recipient, event: dict[str, Any], now: datetime,
            resend: int = 0, requested_by: UUID | None = None) -> dict[str, Any]:
    """A queued message, written in its recipient's language as their account has it now."""
    data = draft.data | {"event": event, "recipient_name": person.name,
                         "language": person.language}
    return {"id": uuid.uuid4(), "kind": draft.kind, "subject_id": draft.subject_id,
            "event_id": draft.event_id, "booking_id": draft.booking_id,
            "recipient_id": person.id, "recipient_email": person.email,
            "recipient_name": person.name, "resend": resend, "requested_by": requested_by,
            "position": draft.position, "data": json.dumps(plain(data)), "status": QUEUED,
            "attempts": 0, "takeovers": 0, "next_attempt_at": now, "created_at": now}


def drafts_of(domain_event: Any, at: int) -> list[Draft]:
    """The messages one domain event calls for (none for most)."""
    make = MAKERS.get(type(domain_event).__name__)
    if make is None:
        return []
    return make(domain_event, UUID(str(domain_event.originator_id)), at)


def booked(e: Any, event_id: UUID, at: int) -> list[Draft]:
    return [Draft(CONFIRMATION, e.booking_id, event_id, e.booking_id, UUID(e.user_id), at,
                  confirmation(e))]


def booking_cancelled(e: Any, event_id: UUID, at: int) -> list[Draft]:
    if e.reason == TAKEN_BY_EVENT:  # the event's notice instead, for each booking it took
        return [Draft(EVENT_CANCELLED, e.booking_id, event_id, e.booking_id, UUID(e.user_id),
                      at, {"booking_id": e.booking_id, "quantity": e.quantity,
                           "refund": e.refund, "reason": e.stated_reason})]
    return [Draft(CANCELLATION, e.booking_id, event_id, e.booking_id, UUID(e.user_id), at,
                  {"booking_id": e.booking_id, "quantity": e.quantity, "refund": e.refund,
                   "reason": e.stated_reason})]


def tickets_cancelled(e: Any, event_id: UUID, at: int) -> list[Draft]:
    # Each ticket is cancelled once: its codes name this cancellation among the booking's.
    named = uuid.uuid5(e.booking_id, ",".join(sorted(e.ticket_codes)))
    return [Draft(TICKETS_CANCELLED, named, event_id, e.booking_id, UUID(e.user_id), at,
                  {"booking_id": e.booking_id, "quantity": e.quantity, "refund": e.refund,
                   "reason": e.stated_reason})]


def offered(e: Any, event_id: UUID, at: int) -> list[Draft]:
    if e.offer_for is None:  # a buyer's own hold: nothing to tell them
        return []
    return [Draft(OFFER, e.hold_id, event_id, None, UUID(e.user_id), at,
                  {"hold_id": e.hold_id, "quantity": e.quantity, "category": e.category,
                   "expires_at": e.expires_at})]


def invoice_issued(e: Any, book_id: UUID, at: int) -> list[Draft]:
    kind = INVOICE_CANCELLED if e.kind == CANCELS_AN_INVOICE else INVOICE_ISSUED
    return [Draft(kind, invoice_id(book_id, e.seq), e.event_id, e.booking_id, UUID(e.user_id),
                  at, {"booking_id": e.booking_id, "invoice": document_of(e)})]


# Each maker is given its domain event, the id of the stream it was recorded on (an event's,
# an invoice book's) and its position in the log.
MAKERS: dict[str, Callable[[Any, UUID, int], list[Draft]]] = {
    "SeatsBooked": booked, "BookingCancelled": booking_cancelled,
    "TicketsCancelled": tickets_cancelled, "SeatsHeld": offered,
    "InvoiceIssued": invoice_issued}


def confirmation(booked: Any) -> dict[str, Any]:
    """A booking's confirmation: its holder's name as booked, its tickets, each with its
    category and price, and its total."""
    lines = lines_of(booked)
    of_ticket = ticket_lines(booked.ticket_codes, lines)
    # A code past its lines (none are) gets the single fields', which are the first line's.
    return {"booking_id": booked.booking_id, "holder_name": name_of(booked.user_name),
            "quantity": booked.quantity, "total": total_of(lines),
            "tickets": [ticket(code, of_ticket.get(code) or lines[0])
                        for code in booked.ticket_codes]}


def ticket(code: str, line: Line) -> dict[str, Any]:
    """A ticket as its page shows it: its code, its line's category and price."""
    return {"code": code, "category": line["category"], "price": line["unit_price"]}
