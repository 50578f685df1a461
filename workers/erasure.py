"""Erasing a person across the system: what stops it, what goes first, what is scrubbed. The
API runs it for a person or an admin, the retention job for the buyers it finds due.

- Unknown: 404 PERSON_NOT_FOUND; erased already: 409 PERSON_ALREADY_ERASED.
- An unpaid order (booked, its price owed by transfer or at the door): 409
  PERSON_HAS_UNPAID_ORDERS naming the bookings. It is money the organizer must still collect
  from someone they can name; it is paid, or cancelled, first.
- Active holds are released and places on waitlists left, as the person would: a cart, not a
  purchase, and seats others may buy.
- Then the read side's own copies (the account, the messages to the person and those naming
  them as an event's organizer, the webhook bodies, the audit runs they started) and the write
  side's erasure (their key destroyed, `PersonErased` recorded), in that order: each step is
  safe to run again, so a failure in between is mended by asking again, until the fact is
  recorded.
"""

import json
import secrets
from typing import Any
from uuid import UUID

from sqlalchemy import Integer, String, Uuid, column, select, table, update
from sqlalchemy.orm import Session

from commands.application.views import Outcome
from commands.domain.actor import Actor
from commands.domain.errors import (
    Conflict,
    DomainError,
    person_already_erased,
    person_not_found,
)
from commands.domain.events import CONFIRMED, HOLD_ACTIVE
from commands.domain.payment import STARTED
from commands.ledger import Ledger
from core import error_codes as codes
from core.db import read_scope, session_scope
from core.erased_address import erased_address
from core.personal import ERASED
from projections.availability import EventRow
from projections.bookings import BookingRow, PaymentRow
from projections.holds import WAITING, HoldRow, PlaceRow
from workers.mail.tables import FAILED, QUEUED, MailMessage
from workers.webhooks.tables import WebhookDelivery

READ_MODELS = ("bookings", "holds")  # where a person's open orders are read
# The accounts' table, as this side writes it (its model is the API's: `user_accounts`).
users = table("users", column("id", Uuid), column("email", String), column("name", String),
              column("phone", String), column("password_hash", String),
              column("token_version", Integer), column("role", String))
# What a webhook body names a person by, and what it says of them beside, as forgotten: a
# buyer's name and invoice details; an organizer's name (`event.created`).
NAMED_IN_DELIVERIES: dict[str, dict[str, str | None]] = {
    "user_id": {"user_name": ERASED, "buyer": None},
    "organizer_id": {"organizer_name": ERASED},
}
MESSAGES_PER_PAGE = 500
# The audit runs (verify, reconciliation) name who started them by e-mail.
RUNS = [table(name, column("started_by", String)) for name in ("verify_runs",
                                                                "reconciliation_runs")]


def erase(ledger: Ledger, person_id: UUID, by: str, reason: str) -> Outcome:
    """Forget the person (see the module's words for the order and the refusals)."""
    with read_scope() as session:
        if session.execute(select(users.c.id).where(users.c.id == person_id)).first() is None:
            raise person_not_found(person_id)
        holds, places, unpaid = _open_orders(session, person_id)
    if ledger.is_erased(str(person_id)):
        raise person_already_erased(person_id)
    if unpaid:
        raise Conflict(f"{len(unpaid)} order(s) of this person are not paid yet: paid or "
                       "cancelled first", code=codes.PERSON_HAS_UNPAID_ORDERS,
                       facts={"bookings": [str(b) for b in unpaid]})
    them = Actor(str(person_id))
    for hold_id in holds:
        _tolerating_ended(lambda h=hold_id: ledger.release_hold(h, them))
    for place_id in places:
        _tolerating_ended(lambda p=place_id: ledger.leave_waitlist(p, them))
    with session_scope() as session:
        _scrub_runs(session, person_id)
        _anonymise(session, person_id)
        _scrub_messages(session, person_id)
        _scrub_organized_messages(session, person_id)
        _scrub_deliveries(session, person_id)
    return ledger.erase_person(str(person_id), by, reason)


def _open_orders(session: Session, person_id: UUID) -> tuple[list[UUID], list[UUID], list[UUID]]:
    holds = session.scalars(select(HoldRow.id).where(
        HoldRow.user_id == person_id, HoldRow.status == HOLD_ACTIVE)).all()
    places = session.scalars(select(PlaceRow.id).where(
        PlaceRow.user_id == person_id, PlaceRow.status == WAITING)).all()
    # Booked first, its money owed (`query_api.reads.bookings`: "awaiting_payment"); a
    # cancelled booking owes nothing.
    unpaid = session.scalars(select(BookingRow.id).join(
        PaymentRow, PaymentRow.booking_id == BookingRow.id).where(
        BookingRow.user_id == person_id, BookingRow.status == CONFIRMED,
        PaymentRow.status == STARTED)).all()
    return list(holds), list(places), list(unpaid)


def _tolerating_ended(act: Any) -> None:
    """Release or leave, unless it ended meanwhile (confirmed, expired, offered, left)."""
    try:
        act()
    except DomainError as exc:
        if exc.code not in (codes.HOLD_ENDED, codes.HOLD_EXPIRED, codes.PLACE_ENDED,
                            codes.HOLD_NOT_FOUND, codes.PLACE_NOT_FOUND):
            raise


def _scrub_runs(session: Session, person_id: UUID) -> None:
    """The audit runs the person started (an auditor's or an admin's): started by "erased"."""
    email = session.scalar(select(users.c.email).where(users.c.id == person_id))
    for runs in RUNS:
        session.execute(update(runs).where(runs.c.started_by == email).values(started_by=ERASED))


def _anonymise(session: Session, person_id: UUID) -> None:
    """The account kept as a row others point at, naming nobody and opening nothing: its
    address undeliverable and never shown (`core.erased_address`), its password unusable, its
    tokens revoked."""
    session.execute(update(users).where(users.c.id == person_id).values(
        email=erased_address(person_id), name=ERASED, phone=None,
        password_hash="!erased:" + secrets.token_hex(16),
        token_version=users.c.token_version + 1))


def _scrub_messages(session: Session, person_id: UUID) -> None:
    """Messages to the person: their address, name and contents gone; none still queued."""
    session.execute(update(MailMessage).where(MailMessage.recipient_id == person_id).values(
        recipient_email=erased_address(person_id), recipient_name=ERASED,
        data=json.dumps({})))
    session.execute(update(MailMessage).where(
        MailMessage.recipient_id == person_id, MailMessage.status == QUEUED).values(
        status=FAILED, last_error="its recipient was erased"))


def _scrub_organized_messages(session: Session, person_id: UUID) -> None:
    """Messages about the events the person organizes (to their buyers) name them as the
    organizer: that name erased, the rest of each message kept. In pages, by id."""
    organized = select(EventRow.id).where(EventRow.organizer_id == person_id)
    after: UUID | None = None
    while True:
        query = select(MailMessage.id, MailMessage.data).where(
            MailMessage.event_id.in_(organized),
            MailMessage.data.contains('"organizer_name"', autoescape=True))
        if after is not None:
            query = query.where(MailMessage.id > after)
        rows = session.execute(query.order_by(MailMessage.id).limit(MESSAGES_PER_PAGE)).all()
        for message_id, data in rows:
            found = json.loads(data)
            if isinstance(found.get("event"), dict) and "organizer_name" in found["event"]:
                found["event"]["organizer_name"] = ERASED
                session.execute(update(MailMessage).where(MailMessage.id == message_id)
                                .values(data=json.dumps(found)))
        if len(rows) < MESSAGES_PER_PAGE:
            return
        after = rows[-1][0]


def _scrub_deliveries(session: Session, person_id: UUID) -> None:
    """Webhook bodies kept in the delivery log that name the person: their names erased."""
    for named_by, forgotten in NAMED_IN_DELIVERIES.items():
        needle = f'"{named_by}":"{person_id}"'
        rows = session.execute(select(WebhookDelivery.id, WebhookDelivery.payload).where(
            WebhookDelivery.payload.contains(needle, autoescape=True))).all()
        for delivery_id, payload in rows:
            body = json.loads(payload)
            data = body.get("data", {})
            data.update({field: value for field, value in forgotten.items() if field in data})
            session.execute(update(WebhookDelivery).where(WebhookDelivery.id == delivery_id)
                            .values(payload=json.dumps(body, separators=(",", ":"),
                                                       ensure_ascii=False)))
