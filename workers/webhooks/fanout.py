"""The webhooks' subscriber of the global log: one delivery row per active endpoint and
matching position, inserted in the transaction that moves the fan-out's position.

Exactly once, resumable: it follows the log through the batch loop every subscriber shares
(`projections.batch_loop`), beside the buyers' messages on the ticks (`workers.subscribers`),
which locks its row in `webhook_tracking`, read the log past its
position (up to the safe head taken before the lock), insert the deliveries and move the
position in one transaction, so a worker dying midway inserts nothing and the next batch
reads the same events again. Registering an endpoint takes the same row lock
(`endpoints.register`): every batch after it sees the endpoint, none before did, so an
endpoint gets exactly the events past the fan-out's position when it was registered.

With no active endpoint the position moves past the entries without decoding them. An endpoint
gets deliveries only while its owner holds the rights it needs (`rights`: their role now, and
for an organizer's, that they run its event); a suspended one is left out, as if absent.
The fan-out's pass also prunes the delivery log of what is past keeping (`retention`).
"""

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, insert, select
from sqlalchemy.orm import Session

from core.event_store.global_log import EventLog
from projections.batch_loop import run_batches
from projections.subscriber_row import SubscriberRow
from workers.webhooks import event_types, rights
from workers.webhooks.tables import FANOUT, PENDING, deliveries, endpoints, tracking


class FanOut:
    """The fan-out, a follower of the log (`projections.batch_loop`), with the messages on the
    ticks (`workers.subscribers`): its row in `webhook_tracking`."""

    name = FANOUT
    row = SubscriberRow(tracking, FANOUT, from_head=True)
    bounded_by = None

    def extend(self, session: Session, notifications: Sequence[Any],
               decode: Callable[[Any], Any]) -> None:
        if not notifications:
            return
        active = _active(session)
        if not active:  # nothing to deliver: the position moves past them unread
            return
        rows = _deliveries(decode, notifications, active)
        if rows:
            session.execute(insert(deliveries), rows)


FAN_OUT = FanOut()


def lock_position(session: Session, head: int) -> int:
    """Lock the fan-out's row and return its position; a missing row is made at `head` (the
    log's past is not sent to the first endpoints)."""
    return FAN_OUT.row.lock(session, head)


def position() -> int:
    """Where the fan-out stands (0 before its first run)."""
    return FAN_OUT.row.position()


def advance(log: EventLog, batch_size: int | None = None, max_batches: int = 20) -> int:
    """Fan the log out on its own (the ticks record it with the messages), batch by batch, up
    to the safe head found now: how many entries it read."""
    return run_batches([], [FAN_OUT], log, batch_size, max_batches)[FANOUT]


def _active(session: Session) -> Sequence[Row[Any]]:
    """The endpoints to deliver to now: active, their owner entitled."""
    return session.execute(select(endpoints.c.id, endpoints.c.event_types,
                                  endpoints.c.event_id)
                           .where(endpoints.c.active, rights.entitled())).all()


def _deliveries(decode: Callable[[Any], Any], entries: Sequence[Any],
                active: Sequence[Row[Any]]) -> list[dict[str, Any]]:
    now = datetime.now(UTC)
    rows = []
    for entry in entries:
        domain_event = decode(entry)
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
