"""Holds expire on their own, and seats that come back on sale are offered to the waitlists.

Expiry: the events with a hold due are read from the holds read table's (status, expires_at)
index, never from the store, and each event's due holds are expired by the write side under
its lock (`Ledger.expire_holds`): of two schedulers finding the same hold due, one appends its
`HoldExpired` and the other finds none due. A read table that lags only finds a hold a tick
later.

Offers: a process manager subscribed to the log (`projections.subscriber_row.follow_outside`:
its commands run outside any transaction). Past its tracked position (a row of
`projection_tracking`, `WAITLIST_OFFERS`) it reads the events that can free seats or move a
waitlist (a cancellation, a hold released or expired, a capacity changed, a place left or
joined) and asks the write side to offer each such event's free seats to its waitlist
(`Ledger.offer_to_waitlist`), then moves its position past them. Only events with a place
waiting are asked: the holds read table says which, and the manager reads the log no further
than that table has projected, so a place joined before a release is always seen. An event
without a waitlist (most of them) is neither locked nor loaded for its cancellations. The offer is
decided on the event's state under its lock, so running it again (after a worker was killed
between the offer and the position's move, or by two schedulers at once) offers nothing twice:
each seat released is offered once.

Beat runs both every HOLD_INTERVAL_SECONDS with workers; the embedded default's process runs
`expire_when_due` and `offer_when_due` on its own scheduler (`workers.schedule`).
"""

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, select

from commands.domain import catalogue
from commands.domain.declared import Seats
from commands.domain.events import HOLD_ACTIVE
from commands.ledger import Ledger
from core.db import read_scope
from core.event_store.global_log import EventLog
from projections.availability import EventRow
from projections.holds import MODEL as HOLDS_MODEL
from projections.holds import WAITING, HoldRow, PlaceRow
from projections.subscriber_row import SubscriberRow, follow_outside
from projections.tracking import WAITLIST_OFFERS, positions, tracking
from workers.celery_app import app
from workers.ledger import get_ledger

log = logging.getLogger(__name__)
BATCH = 200  # events whose holds are expired per tick at most; the next tick takes the rest
LOG_BATCH = 1000  # log entries the process manager reads per transaction
# Where the process manager stands in the log (its row in `projection_tracking`); a move clears
# the last error a failed run recorded there.
OFFERS = SubscriberRow(tracking, WAITLIST_OFFERS, moved_with=(("last_error", None),))
# What may free seats, or let the next place on a waitlist be served.
TRIGGERS = catalogue.seat_topics(Seats.FREES, Seats.MAY_FREE, Seats.MOVES_WAITLIST)


def events_with_holds_due(now: datetime, limit: int = BATCH) -> list[UUID]:
    """The events with an active hold whose time is up, the earliest due first, then those
    started with a place still on a waitlist (places end at the start)."""
    query = (select(HoldRow.event_id, func.min(HoldRow.expires_at).label("due"))
             .where(HoldRow.status == HOLD_ACTIVE, HoldRow.expires_at <= now)
             .group_by(HoldRow.event_id).order_by("due").limit(limit))
    started = (select(PlaceRow.event_id).distinct()
               .join(EventRow, EventRow.id == PlaceRow.event_id)
               .where(PlaceRow.status == WAITING, EventRow.starts_at <= now).limit(limit))
    with read_scope() as session:
        due = [event_id for event_id, _ in session.execute(query)]
        return list(dict.fromkeys([*due, *session.scalars(started)]))[:limit]


def expire_due(ledger: Ledger) -> list[int]:
    """Expire every hold due now: the positions this call appended at. One event's failure
    (busy, the store out of reach) is logged and left to the next tick."""
    positions = []
    for event_id in events_with_holds_due(ledger.clock()):
        try:
            outcome = ledger.expire_holds(event_id)
        except Exception:
            log.warning("holds of event %s were not expired; the next tick tries again",
                        event_id, exc_info=True)
            continue
        if outcome.position is not None:
            positions.append(outcome.position)
    return positions


def offer_released_seats(ledger: Ledger, eventlog: EventLog, *, batch: int = LOG_BATCH,
                         max_batches: int = 20) -> list[int]:
    """Offer the seats freed since the process manager's position to the waitlists owed them, up
    to the safe head found now: the positions of the offers appended."""
    upto = eventlog.head()  # before any row lock (`core.event_store.global_log`)
    with read_scope() as session:  # no further than the waitlists' table tells
        upto = min(upto, positions(session).get(HOLDS_MODEL.name, 0))
    offered: list[int] = []

    def offer(entries: Sequence[Any]) -> None:
        touched = list(dict.fromkeys(e.originator_id for e in entries))
        for event_id in events_with_a_waitlist(touched):
            outcome = ledger.offer_to_waitlist(event_id)
            if outcome.position is not None:
                offered.append(outcome.position)

    follow_outside(OFFERS, eventlog, upto, batch, offer, max_batches=max_batches,
                   topics=TRIGGERS)
    return offered


def events_with_a_waitlist(event_ids: list[UUID]) -> list[UUID]:
    """Those of the events with a place on a waitlist, in the order given."""
    if not event_ids:
        return []
    query = (select(PlaceRow.event_id).distinct()
             .where(PlaceRow.event_id.in_(event_ids), PlaceRow.status == WAITING))
    with read_scope() as session:
        waiting = set(session.scalars(query))
    return [event_id for event_id in event_ids if event_id in waiting]


# Celery ships no type hints, so mypy sees its task decorator as untyped.
@app.task(acks_late=True, ignore_result=True)  # type: ignore[untyped-decorator]
def expire_due_holds() -> int:
    """Beat's: expire the holds due (the worker's ledger wakes the projections)."""
    return len(expire_due(get_ledger()))


@app.task(acks_late=True, ignore_result=True)  # type: ignore[untyped-decorator]
def offer_to_waitlists() -> int:
    """Beat's: the waitlists' process manager (the worker's ledger wakes the projections)."""
    ledger = get_ledger()
    return len(offer_released_seats(ledger, ledger.eventlog))


def expire_when_due(ledger: Ledger) -> None:
    """The embedded default's tick, on the API's ledger (whose commits wake the projections).
    Never raises."""
    try:
        expire_due(ledger)
    except Exception:
        log.warning("no holds expired this time; the next tick tries again", exc_info=True)


def offer_when_due(ledger: Ledger) -> None:
    """The embedded default's tick of the waitlists' process manager. Never raises."""
    try:
        offer_released_seats(ledger, ledger.eventlog)
    except Exception:
        log.warning("no seats offered to the waitlists this time; the next tick tries again",
                    exc_info=True)
