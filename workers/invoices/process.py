"""The invoices' process manager: invoices issued once their bookings are paid, and a booking
whose tickets change invoiced anew.

A subscriber of the log (`projections.subscriber_row.follow_outside`: its commands run outside
any transaction), tracked in `projection_tracking` under `INVOICES`. Past its position it reads
what may settle a booking's invoice: a request, a payment's success, a booking registered (a
free one, asked for at checkout), its cancellation or its tickets'. Of the bookings these name,
those with an invoice asked (the `invoice_requests` read table) are settled by the write side
under their book's lock (`Ledger.settle_invoices`), which decides on the book, the booking and
its payment as they stand: run again (a worker killed before the position moved, two
schedulers), it issues nothing twice. It reads the log no further than the invoices' read
model has projected, so a request recorded before a payment is always found.

Beat runs it every HOLD_INTERVAL_SECONDS with workers; the embedded default's process on its
core scheduler (`workers.schedule`).
"""

import logging
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import select

from commands.domain.booking import Booking
from commands.domain.invoices import InvoiceBook
from commands.domain.payment import Payment
from commands.ledger import Ledger
from core.db import read_scope
from core.event_store.global_log import EventLog
from projections.invoices import CANCELLED, MODEL, RequestRow, SellerRow
from projections.subscriber_row import SubscriberRow, follow_outside
from projections.tracking import INVOICES, positions, tracking
from workers.celery_app import app
from workers.ledger import get_ledger

log = logging.getLogger(__name__)
LOG_BATCH = 1000  # log entries read per transaction
ROW = SubscriberRow(tracking, INVOICES, moved_with=(("last_error", None),))
# Whose stream is the booking's: the booking id is the stream's.
OF_BOOKING = frozenset(kind.TOPIC for kind in (
    Booking.Registered, Booking.Cancelled, Booking.TicketsCancelled))
PAID = Payment.PaymentSucceeded.TOPIC
ASKED = InvoiceBook.InvoiceRequested.TOPIC
NAMING = OF_BOOKING | {PAID, ASKED}  # what the manager reads of the log


def bookings_named(entries: Sequence[Any], log_of: EventLog) -> list[UUID]:
    """The bookings whose invoice the entries may settle, in log order."""
    named: list[UUID] = []
    for entry in entries:
        if entry.topic in OF_BOOKING:
            named.append(entry.originator_id)
        elif entry.topic in (PAID, ASKED):
            booking_id = vars(log_of.decode(entry)).get("booking_id")
            if booking_id is not None:
                named.append(booking_id)
    return list(dict.fromkeys(named))


def asked_for(booking_ids: list[UUID]) -> list[tuple[str, UUID]]:
    """Of the bookings, those with an invoice asked and not cancelled with them: (their book's
    organizer, the booking)."""
    if not booking_ids:
        return []
    query = (select(SellerRow.organizer_id, RequestRow.booking_id)
             .join(SellerRow, SellerRow.book_id == RequestRow.book_id)
             .where(RequestRow.booking_id.in_(booking_ids), RequestRow.status != CANCELLED))
    with read_scope() as session:
        found = {booking_id: str(organizer) for organizer, booking_id in session.execute(query)}
    return [(found[b], b) for b in booking_ids if b in found]


def settle_invoices(ledger: Ledger, eventlog: EventLog, *, batch: int = LOG_BATCH,
                    max_batches: int = 20) -> list[int]:
    """Settle the invoices of the bookings named since the manager's position, up to the safe
    head found now: the positions appended."""
    upto = eventlog.head()
    with read_scope() as session:  # no further than the requests' table tells
        upto = min(upto, positions(session).get(MODEL.name, 0))
    appended: list[int] = []

    def settle(entries: Sequence[Any]) -> None:
        for organizer_id, booking_id in asked_for(bookings_named(entries, eventlog)):
            outcome = ledger.settle_invoices(organizer_id, booking_id)
            if outcome.position is not None:
                appended.append(outcome.position)

    follow_outside(ROW, eventlog, upto, batch, settle, max_batches=max_batches, topics=NAMING)
    return appended


# Celery ships no type hints, so mypy sees its task decorator as untyped.
@app.task(acks_late=True, ignore_result=True)  # type: ignore[untyped-decorator]
def settle_due_invoices() -> int:
    """Beat's: the invoices' process manager (the worker's ledger wakes the projections)."""
    ledger = get_ledger()
    return len(settle_invoices(ledger, ledger.eventlog))


def settle_when_due(ledger: Ledger) -> None:
    """The embedded default's tick. Never raises."""
    try:
        settle_invoices(ledger, ledger.eventlog)
    except Exception:
        log.warning("no invoices settled this time; the next tick tries again", exc_info=True)
