"""Refunds are never lost: the refunds' process manager makes those left undone.

A refund is asked for (`RefundRequested`, in the same append as what asked: a cancellation, a
success that booked nothing). A booking's cancellation, or a success that booked nothing, is
refunded at once by the request that asked; an event's cancellation leaves its refunds (one per
paid booking) to this manager from the start. The manager, subscribed to the log past its
tracked position (a row of `projection_tracking`, `REFUND_RETRIES`), reads the payments'
`RefundRequested` and `RefundFailed` events and has the write side make, or try again, each
refund still undone when it is due (`PaymentCommands.resume_refund`): one left to it, at once;
one left pending past its requester's grace (that request stopped); one that failed, after a
backoff that doubles with each failure, up to a bound; then it stays failed, its reason on the
payment for its organizer to see. Its position never passes a refund not yet due, so a refund
waits for nothing but its own time.

One run at a time (a lock in the process, PostgreSQL's advisory lock across processes): the
provider's idempotency keys are not relied on (localstripe has none). A run killed mid-way
(its lock goes with its connection) left its position where it was: the next one reads the
same refunds again, and finds at the provider, by the key in its metadata, any it made without
recording it. A run stops at its deadline, its position moved past what it did.

Refunds wait on the provider's servers: beat sends this task to the outbound queue (the
work that waits on outside servers, `workers.celery_app`), and the embedded process runs it
beside its webhook deliveries, never with the holds' expiry or the projections
(`workers.schedule`).
"""

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from uuid import UUID

from eventsourcing.utils import get_topic
from sqlalchemy import update

from commands.domain.payment import Payment
from commands.ledger import Ledger
from core.db import held_alone, session_scope
from core.event_store.global_log import EventLog
from projections.tracking import lock, tracking
from workers.celery_app import app
from workers.ledger import get_ledger

log = logging.getLogger(__name__)
REFUND_RETRIES = "refund_retries"  # its row in projection_tracking
REFUNDS_LOCK = 0x726566756E6473  # "refunds": one manager at a time on PostgreSQL
LOG_BATCH = 1000
RUN_SECONDS = 60.0  # within the task's soft time limit (`workers.celery_app`)
TOPICS = frozenset(get_topic(kind) for kind in (Payment.RefundRequested, Payment.RefundFailed))
_running = threading.Lock()  # one run in this process (the embedded default's ticks, a test's)


@contextmanager
def alone() -> Iterator[bool]:
    """Whether this run is the only one: in this process and, on PostgreSQL, in all of them
    (the advisory lock is held by this session's transaction until the run ends)."""
    if not _running.acquire(blocking=False):
        yield False
        return
    try:
        with session_scope() as session:
            yield held_alone(session, REFUNDS_LOCK)
    finally:
        _running.release()


def resume_refunds(ledger: Ledger, eventlog: EventLog, *, batch: int = LOG_BATCH,
                   now: datetime | None = None, seconds: float = RUN_SECONDS) -> int:
    """Make the refunds due since the manager's position: how many payments it looked at
    (none when another run is at it)."""
    if ledger.payment_provider() is None:
        return 0
    with alone() as only:
        return _resume(ledger, eventlog, batch, now or datetime.now(UTC),
                       time.monotonic() + seconds) if only else 0


def _resume(ledger: Ledger, eventlog: EventLog, batch: int, now: datetime,
            deadline: float) -> int:
    upto = eventlog.head()
    with session_scope() as session:
        after = lock(session, REFUND_RETRIES)
    if after >= upto:
        return 0
    entries = eventlog.read(after, batch, upto)
    seen: set[UUID] = set()
    moved = after
    for entry in entries:
        if time.monotonic() > deadline:
            break  # the next run goes on from here
        if entry.topic in TOPICS:
            if not ledger.payment_commands.resume_refund(entry.originator_id, now):
                break  # not due yet: neither is what comes after it, for now
            seen.add(entry.originator_id)
        moved = entry.id
    if moved != after:
        with session_scope() as session:  # unless another run moved it on meanwhile
            session.execute(update(tracking)
                            .where(tracking.c.name == REFUND_RETRIES,
                                   tracking.c.position == after)
                            .values(position=moved, updated_at=now, last_error=None))
    return len(seen)


# Celery ships no type hints, so mypy sees its task decorator as untyped.
@app.task(acks_late=True, ignore_result=True)  # type: ignore[untyped-decorator]
def resume_due_refunds() -> int:
    """Beat's, on the webhooks' (outbound) queue: the refunds' process manager."""
    ledger = get_ledger()
    return resume_refunds(ledger, ledger.eventlog)


def resume_refunds_when_due(ledger: Ledger) -> None:
    """The embedded default's tick of the refunds' process manager. Never raises."""
    try:
        resume_refunds(ledger, ledger.eventlog)
    except Exception:
        log.warning("no refunds made this time; the next tick tries again", exc_info=True)
