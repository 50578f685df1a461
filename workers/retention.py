"""Retention: each organizer may have their events' buyers forgotten a number of days after an
event ends (`retention_policies`, set with `PUT /api/organizers/me/retention`).

A buyer is forgotten (`workers.erasure`, reason "retention") once every event they booked,
held or waited for (`workers.buyers`) is past its organizer's retention: an event of an
organizer who set none keeps its buyers, and so does one still within its days, since an
account spans every organizer's events. Only customers are forgotten (staff accounts are not
buyers). Each person forgotten is logged by id; `python -m ops.retention --dry-run` lists who
would be, and why.

The retention tick has a second step, the invoices' retention (`workers.invoice_retention`):
an erased buyer's invoice details forgotten once their invoices are past the law's retention.
One tick for both, each step on its own (one failing leaves the other to run): both forget
what the law and the organizers let the ledger keep no longer. Beat runs `forget_due_buyers`
every RETENTION_INTERVAL_SECONDS with workers; the embedded default's process runs
`forget_when_due` on its own scheduler.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commands.domain.erasure import RETENTION
from commands.domain.events import CUSTOMER
from commands.ledger import Ledger
from core.db import read_scope
from core.erased_address import ERASED_LIKE
from core.models import UTCDateTime
from projections import tracking
from projections.availability import EventRow
from workers import buyers, erasure, invoice_retention
from workers.celery_app import app
from workers.ledger import get_ledger
from workers.retention_policies import RetentionPolicy

log = logging.getLogger(__name__)
BATCH = 100  # persons forgotten per tick at most; the next tick takes the rest
DUE_FROM = (*erasure.READ_MODELS, "availability")  # the read models `due` reads


@dataclass(frozen=True)
class Due:
    person_id: UUID
    events: tuple[UUID, ...]  # every event they bought for, each past its retention


def due(session: Session, now: datetime, limit: int = BATCH) -> list[Due]:
    """The buyers to forget now, with the events that make them due."""
    over_at = func.coalesce(EventRow.ends_at, EventRow.starts_at, type_=UTCDateTime())
    rows = session.execute(select(EventRow.id, over_at, RetentionPolicy.forget_buyers_after_days)
                           .join(RetentionPolicy,
                                 RetentionPolicy.organizer_id == EventRow.organizer_id)).all()
    past = {event_id for event_id, ended, days in rows
            if days is not None and ended is not None and ended + timedelta(days=days) <= now}
    if not past:
        return []
    by_person = buyers.events_by_buyer(session)
    candidates = [p for p, events in by_person.items() if events <= past]
    customers = set(session.scalars(select(erasure.users.c.id).where(
        erasure.users.c.id.in_(candidates), erasure.users.c.role == CUSTOMER,
        erasure.users.c.email.not_like(ERASED_LIKE))))
    found = [Due(p, tuple(sorted(by_person[p], key=str))) for p in candidates if p in customers]
    return sorted(found, key=lambda d: str(d.person_id))[:limit]


def forget_due(ledger: Ledger, *, dry_run: bool = False) -> list[Due]:
    """Forget the buyers due now (`dry_run`: only find them): those found. Read models behind
    the log find none: a buyer's booking of another event not folded yet would make them look
    due, and forgetting is not undone."""
    if not tracking.wait_for(ledger.eventlog.last(), DUE_FROM):
        log.warning("no buyers forgotten: the read models are behind the log; the next tick "
                    "tries again")
        return []
    with read_scope() as session:
        found = due(session, ledger.clock())
    for person in [] if dry_run else found:
        try:
            erasure.erase(ledger, person.person_id, RETENTION, RETENTION)
        except Exception:
            log.warning("buyer %s was not forgotten; the next tick tries again",
                        person.person_id, exc_info=True)
            continue
        log.info("buyer %s forgotten: every event they bought for is past its organizer's "
                 "retention (%s)", person.person_id, ", ".join(map(str, person.events)))
    return found


def tick(ledger: Ledger) -> int:
    """The buyers past their organizers' retention forgotten, then the invoice details of the
    erased buyers past the invoices' retention: how many persons were found. Never raises."""
    found = 0
    for step, what in ((forget_due, "buyers"),
                       (invoice_retention.forget_due, "invoice details")):
        try:
            found += len(step(ledger))
        except Exception:
            log.warning("no %s forgotten this time; the next tick tries again", what,
                        exc_info=True)
    return found


@app.task(acks_late=True, ignore_result=True)  # type: ignore[untyped-decorator]
def forget_due_buyers() -> int:
    """Beat's: the retention tick (buyers, then erased buyers' invoice details)."""
    return tick(get_ledger())


def forget_when_due(ledger: Ledger) -> None:
    """The embedded default's retention tick, on the API's ledger. Never raises."""
    tick(ledger)
