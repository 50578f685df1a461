"""The webhooks' subscriber of the global log: one delivery row per active endpoint and
matching position, inserted in the transaction that moves the fan-out's position.

Exactly once, resumable: a batch locks the fan-out's row in `webhook_tracking`, reads the log
past its position (up to the safe head taken before the lock), inserts the deliveries and moves
the position in one transaction, so a worker dying midway inserts nothing and the next batch
reads the same events again. Registering an endpoint takes the same row lock
(`endpoints.register`): every batch after it sees the endpoint, none before did, so an
endpoint gets exactly the events past the fan-out's position when it was registered.

With no active endpoint the position jumps to the head without reading the log. An endpoint
gets deliveries only while its owner holds the rights it needs (`rights`: their role now, and
for an organizer's, that they run its event); a suspended one is left out, as if absent.
The fan-out's pass also prunes the delivery log of what is past keeping (`retention`).
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, insert, select
from sqlalchemy.orm import Session

from core.event_store.global_log import EventLog
from workers.log_follower import LogFollower
from workers.webhooks import event_types, retention, rights
from workers.webhooks.tables import FANOUT, PENDING, deliveries, endpoints, tracking

FOLLOWER = LogFollower(tracking, FANOUT, from_head=True)


def lock_position(session: Session, head: int) -> int:
    """Lock the fan-out's row and return its position; a missing row is made at `head` (the
    log's past is not sent to the first endpoints)."""
    return FOLLOWER.lock(session, head)


def position() -> int:
    """Where the fan-out stands (0 before its first run)."""
    return FOLLOWER.position()


def advance(log: EventLog, batch_size: int | None = None, max_batches: int = 20) -> int:
    """Fan the log out, batch by batch, up to the safe head found now: deliveries inserted."""
    retention.prune_when_due(log.settings)
    size = batch_size or log.settings.projection_batch_size
    upto = log.head()  # before any row lock (`core.event_store.global_log`)

    def fan_out(session: Session, entries: Sequence[Any]) -> int:
        rows = _deliveries(log, entries, _active(session))
        if rows:
            session.execute(insert(deliveries), rows)
        return len(rows)

    return FOLLOWER.follow(log, upto, size, fan_out, max_batches=max_batches,
                           idle=lambda session: not _active(session))


def _active(session: Session) -> Sequence[Row[Any]]:
    """The endpoints to deliver to now: active, their owner entitled."""
    return session.execute(select(endpoints.c.id, endpoints.c.event_types,
                                  endpoints.c.event_id)
                           .where(endpoints.c.active, rights.entitled())).all()


def _deliveries(log: EventLog, entries: Sequence[Any],
                active: Sequence[Row[Any]]) -> list[dict[str, Any]]:
    now = datetime.now(UTC)
    rows = []
    for entry in entries:
        domain_event = log.decode(entry)
        kinds = event_types.webhook_types(domain_event)
        if not kinds:
            continue
        event_id = event_types.event_id_of(domain_event)
        bodies: dict[str, str] = {}
        for endpoint in active:
            kind = next((k for k in kinds if k in endpoint.event_types), None)
            if kind is None:
                continue
            if endpoint.event_id is not None and endpoint.event_id != event_id:
                continue
            if kind not in bodies:
                bodies[kind] = event_types.body(kind, domain_event, entry.id)
            rows.append({"id": uuid.uuid4(), "endpoint_id": endpoint.id, "position": entry.id,
                         "event_type": kind, "payload": bodies[kind], "status": PENDING,
                         "attempts": 0, "version": 0, "next_attempt_at": now,
                         "created_at": now})
    return rows
