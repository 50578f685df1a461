"""Events complete on their own once over (their end, else their start), and drafts go on sale
on their own at their scheduled publication.

The due events are read from the events read table, never from the store: the active events
that have started, through its (status, starts_at, id) index, few since those over leave it
within an interval. Each is completed by the write side under its event's lock
(`Ledger.complete_when_over`): of two schedulers finding the same event due, one appends its
`EventCompleted` and the other finds it completed, which is done, not an error. A read table
that lags only makes an event found due again, or a tick later.

Drafts due are found the same way, among the unpublished rows whose `publish_at` passed, and
published under their lock (`Ledger.publish_when_due`).

Beat runs `complete_due_events` and `publish_due_events` every COMPLETION_INTERVAL_SECONDS with
workers; the embedded default's process runs `complete_when_due` and `publish_when_due` on its
own scheduler (`query_api.service.app`).
"""

import logging
from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from sqlalchemy import Select, func, select

from commands.application.views import Outcome
from commands.domain.events import ACTIVE
from commands.ledger import Ledger
from core.db import read_scope
from projections.availability import EventRow
from workers.celery_app import app
from workers.ledger import get_ledger

log = logging.getLogger(__name__)
BATCH = 200  # events completed per tick at most; the next tick takes the rest


def due_query(now: datetime, limit: int = BATCH) -> Select[tuple[UUID]]:
    """The events still active at `now` whose end (or start, with none) has passed, by start:
    the range of active events started by `now` in the (status, starts_at, id) index."""
    over_at = func.coalesce(EventRow.ends_at, EventRow.starts_at)
    return (select(EventRow.id)
            .where(EventRow.status == ACTIVE, EventRow.starts_at <= now, over_at <= now)
            .order_by(EventRow.starts_at, EventRow.id).limit(limit))


def due_events(now: datetime, limit: int = BATCH) -> list[UUID]:
    with read_scope() as session:
        return list(session.scalars(due_query(now, limit)))


def complete_due(ledger: Ledger) -> list[int]:
    """Complete every event due now: the positions of the completions this call appended."""
    return each_due(due_events(ledger.clock()), ledger.complete_when_over, "completed")


def each_due(due: list[UUID], act: Callable[[UUID], Outcome], done: str) -> list[int]:
    """`act` on each event found due: the positions it appended. One event's failure (busy,
    the store out of reach) is logged and left to the next tick."""
    positions = []
    for event_id in due:
        try:
            outcome = act(event_id)
        except Exception:
            log.warning("event %s was not %s; the next tick tries again", event_id, done,
                        exc_info=True)
            continue
        if outcome.position is not None:
            positions.append(outcome.position)
    return positions


# Celery ships no type hints, so mypy sees its task decorator as untyped.
@app.task(acks_late=True, ignore_result=True)  # type: ignore[untyped-decorator]
def complete_due_events() -> int:
    """Beat's: complete the events that are over (the worker's ledger wakes the projections)."""
    return len(complete_due(get_ledger()))


def complete_when_due(ledger: Ledger) -> None:
    """The embedded default's tick (it runs no beat), on the API's ledger, whose commits wake
    the projections. Never raises."""
    try:
        complete_due(ledger)
    except Exception:
        log.warning("no events completed this time; the next tick tries again", exc_info=True)


def publication_due_query(now: datetime, limit: int = BATCH) -> Select[tuple[UUID]]:
    """The active drafts whose scheduled publication has passed and which have not started."""
    return (select(EventRow.id)
            .where(EventRow.status == ACTIVE, EventRow.published.is_(False),
                   EventRow.publish_at <= now, EventRow.starts_at > now)
            .order_by(EventRow.publish_at, EventRow.id).limit(limit))


def publish_due(ledger: Ledger) -> list[int]:
    """Publish every draft due now: the positions of the publications this call appended."""
    with read_scope() as session:
        due = list(session.scalars(publication_due_query(ledger.clock())))
    return each_due(due, ledger.publish_when_due, "published")


@app.task(acks_late=True, ignore_result=True)  # type: ignore[untyped-decorator]
def publish_due_events() -> int:
    """Beat's: put on sale the drafts whose scheduled publication came (the worker's ledger
    wakes the projections)."""
    return len(publish_due(get_ledger()))


def publish_when_due(ledger: Ledger) -> None:
    """The embedded default's tick, on the API's ledger (its commits wake). Never raises."""
    try:
        publish_due(ledger)
    except Exception:
        log.warning("no drafts published this time; the next tick tries again", exc_info=True)
