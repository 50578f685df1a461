"""Sending: each endpoint's deliveries one at a time, in log order, each attempt within a
deadline (`attempt`), backed off per endpoint, and disabled after failing too long.

An endpoint's oldest pending delivery is the only one sent: the later ones wait behind it, so
a receiver sees the events in the order of the log (at least once: a receiver that processed a
delivery whose answer was lost gets it again, under the same `webhook-id`).

A failed attempt (no answer, past the deadline, any status but 2xx, a redirect, an address now
refused) backs the whole endpoint off: it waits WEBHOOK_RETRY_BASE_SECONDS, doubled after each
failure in a row up to WEBHOOK_RETRY_MAX_SECONDS, before any of its deliveries is tried again;
a delivery made clears it. After WEBHOOK_MAX_ATTEMPTS a delivery is marked `failed` and the
endpoint moves on to the next one, still in order: one poisoned event does not stop it for
good. An endpoint whose every attempt failed for WEBHOOK_DISABLE_AFTER_SECONDS is disabled with
the reason, shown to its owner; a replay enables it again.

One endpoint never holds another up: a tick sends to many endpoints at once, each in a thread
of its own, healthy ones first; it starts attempts during one deadline, so it ends within two
(`tick_seconds`), and what it did not reach waits for the next tick. Two senders never send to
one endpoint at once: each claims it (`sending_until`, a lease longer than a tick) with one
short update, on either backend, and holds no connection or transaction while the receiver
answers. Outcomes are written only if the delivery did not change meanwhile (a replay): a
stale attempt is dropped, not recorded over the replay.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import NamedTuple
from uuid import UUID

from sqlalchemy import ColumnElement, Row, and_, exists, or_, select, update
from sqlalchemy.orm import aliased

from core.db import read_scope, session_scope
from core.settings import Settings
from workers.webhooks import attempt, rights
from workers.webhooks.attempt import Outcome
from workers.webhooks.tables import (
    DELIVERED,
    FAILED,
    PENDING,
    WebhookDelivery,
    deliveries,
    endpoints,
)

log = logging.getLogger(__name__)
PER_ENDPOINT_PER_TICK = 100  # deliveries sent to one endpoint per tick; the next tick goes on
# Endpoints sent to at once per tick: a stalled one holds a thread for a deadline at most, and
# the healthy ones are started first.
SENDERS = 32
# A claim outlives the tick that made it by this much: a sender killed midway (a worker's hard
# time limit) frees its endpoints when it runs out.
CLAIM_MARGIN_SECONDS = 30.0


class Pending(NamedTuple):
    """An endpoint's oldest pending delivery, with what sending it needs."""

    id: UUID
    version: int
    attempts: int
    payload: str
    next_attempt_at: datetime | None
    endpoint_id: UUID
    url: str
    secret: str
    failures: int
    failing_since: datetime | None
    retry_at: datetime | None

    def due(self, now: datetime) -> bool:
        """Neither the delivery nor its endpoint is waiting."""
        return all(when is None or when <= now for when in (self.next_attempt_at, self.retry_at))


def backoff(failures: int, settings: Settings) -> float:
    """Seconds to wait after `failures` failed attempts in a row: base, doubled, capped."""
    exponent = min(failures - 1, 32)  # 2**32 seconds is past any cap
    return float(min(settings.webhook_retry_base_seconds * 2**exponent,
                     settings.webhook_retry_max_seconds))


def tick_seconds(settings: Settings) -> float:
    """The longest a sending tick takes: attempts start during one deadline and the last one
    ends within the next (the database's share aside)."""
    return 2 * settings.webhook_deadline_seconds


def send_due(settings: Settings) -> int:
    """Send what is due to every endpoint, each in a thread of its own: deliveries made."""
    due = due_endpoints(datetime.now(UTC))
    if not due:
        return 0
    starts_until = time.monotonic() + settings.webhook_deadline_seconds
    with ThreadPoolExecutor(min(SENDERS, len(due)), thread_name_prefix="webhook-send") as pool:
        return sum(pool.map(lambda endpoint_id: drain(endpoint_id, settings, starts_until), due))


def due_endpoints(now: datetime) -> list[UUID]:
    """The endpoints sendable now, of owners who may receive them (`rights`), whose oldest
    pending delivery is due: those with fewer failures in a row first (a healthy endpoint is
    never queued behind failing ones)."""
    older = aliased(WebhookDelivery)
    blocked = exists().where(older.endpoint_id == deliveries.c.endpoint_id,
                             older.status == PENDING, older.position < deliveries.c.position)
    query = (select(deliveries.c.endpoint_id)
             .join(endpoints, endpoints.c.id == deliveries.c.endpoint_id)
             .where(sendable(), or_(endpoints.c.retry_at.is_(None), endpoints.c.retry_at <= now),
                    deliveries.c.status == PENDING, deliveries.c.next_attempt_at <= now,
                    ~blocked, rights.entitled())
             .order_by(endpoints.c.failures, endpoints.c.created_at))
    with read_scope() as session:
        return list(dict.fromkeys(session.scalars(query)))


def sendable() -> ColumnElement[bool]:
    """Active (not deleted by its owner) and not disabled."""
    return and_(endpoints.c.active, endpoints.c.disabled_at.is_(None))


def drain(endpoint_id: UUID, settings: Settings, starts_until: float) -> int:
    """Send an endpoint's due deliveries in order, none started after `starts_until`, until
    one must wait: deliveries made. Never raises (the next tick tries again)."""
    if time.monotonic() >= starts_until:
        return 0  # this tick's time to start attempts is over: the next tick goes on
    try:
        lease = claim(endpoint_id, settings)
        if lease is None:
            return 0  # another sender has it
        try:
            delivered = 0
            for _ in range(PER_ENDPOINT_PER_TICK):
                pending = oldest_pending(endpoint_id)
                if (pending is None or not pending.due(datetime.now(UTC))
                        or time.monotonic() >= starts_until):
                    break
                if not record(pending, attempt.post(pending, settings), settings):
                    break
                delivered += 1
            return delivered
        finally:
            release(endpoint_id, lease)
    except Exception:
        log.warning("webhook endpoint %s: sending stopped; the next tick goes on", endpoint_id,
                    exc_info=True)
        return 0


def claim(endpoint_id: UUID, settings: Settings) -> datetime | None:
    """Claim the endpoint for this sender until the lease returned (None: another has it)."""
    now = datetime.now(UTC)
    lease = now + timedelta(seconds=tick_seconds(settings) + CLAIM_MARGIN_SECONDS)
    with session_scope() as session:
        result = session.execute(
            update(endpoints)
            .where(endpoints.c.id == endpoint_id,
                   or_(endpoints.c.sending_until.is_(None), endpoints.c.sending_until < now))
            .values(sending_until=lease))
        claimed = result.rowcount  # type: ignore[attr-defined]  # a CursorResult
    return lease if claimed else None


def release(endpoint_id: UUID, lease: datetime) -> None:
    """Free the endpoint, unless its claim ran out and another sender holds it now."""
    with session_scope() as session:
        session.execute(update(endpoints)
                        .where(endpoints.c.id == endpoint_id, endpoints.c.sending_until <= lease)
                        .values(sending_until=None))


def oldest_pending(endpoint_id: UUID) -> Pending | None:
    """The endpoint's oldest pending delivery (None: none, or the endpoint may not be sent to,
    or its owner lost the rights to it: `rights`)."""
    query = (select(deliveries.c.id, deliveries.c.version, deliveries.c.attempts,
                    deliveries.c.payload, deliveries.c.next_attempt_at, endpoints.c.id,
                    endpoints.c.url, endpoints.c.secret, endpoints.c.failures,
                    endpoints.c.failing_since, endpoints.c.retry_at)
             .join(endpoints, endpoints.c.id == deliveries.c.endpoint_id)
             .where(deliveries.c.endpoint_id == endpoint_id, deliveries.c.status == PENDING,
                    sendable(), rights.entitled())  # the owner's rights now: before each attempt
             .order_by(deliveries.c.position).limit(1))
    with read_scope() as session:
        row: Row[tuple[UUID, int, int, str, datetime | None, UUID, str, str, int,
                       datetime | None, datetime | None]] | None = (
            session.execute(query).first())
    return Pending(*row) if row is not None else None


def record(pending: Pending, outcome: Outcome, settings: Settings) -> bool:
    """Write the attempt's outcome, and its endpoint's backoff, unless the delivery changed
    meanwhile (a replay); whether the endpoint's next delivery may go now (this one made)."""
    now = datetime.now(UTC)
    attempts = pending.attempts + 1
    values: dict[str, object] = {"attempts": attempts, "version": pending.version + 1,
                                 "last_status_code": outcome.status_code,
                                 "last_error": outcome.error}
    if outcome.error is None:
        values |= {"status": DELIVERED, "delivered_at": now, "next_attempt_at": None}
        endpoint: dict[str, object] = {"failures": 0, "failing_since": None, "retry_at": None}
    else:
        endpoint = backed_off(pending, outcome.error, now, settings)
        if attempts >= settings.webhook_max_attempts:
            values |= {"status": FAILED, "next_attempt_at": None}
            log.warning("webhook delivery %s failed %d times; moving on: %s", pending.id,
                        attempts, outcome.error)
        else:
            values["next_attempt_at"] = endpoint["retry_at"]
    with session_scope() as session:
        result = session.execute(
            update(deliveries).where(and_(deliveries.c.id == pending.id,
                                          deliveries.c.version == pending.version))
            .values(values))
        changed = bool(result.rowcount)  # type: ignore[attr-defined]  # a CursorResult
        if changed:
            session.execute(update(endpoints).where(endpoints.c.id == pending.endpoint_id)
                            .values(endpoint))
    return changed and outcome.error is None


def backed_off(pending: Pending, error: str, now: datetime,
               settings: Settings) -> dict[str, object]:
    """The endpoint's row after one more failure: when it may be tried again, and disabled
    once every attempt failed for WEBHOOK_DISABLE_AFTER_SECONDS."""
    failures = pending.failures + 1
    since = pending.failing_since or now
    values: dict[str, object] = {
        "failures": failures, "failing_since": since,
        "retry_at": now + timedelta(seconds=backoff(failures, settings))}
    failing = now - since
    if failing >= timedelta(seconds=settings.webhook_disable_after_seconds):
        reason = f"every attempt failed for {_span(failing)}; the last: {error}"
        values |= {"disabled_at": now, "disabled_reason": reason[:300]}
        log.warning("webhook endpoint %s disabled: %s", pending.endpoint_id, reason)
    return values


def _span(length: timedelta) -> str:
    """A length of time as its owner reads it: seconds, minutes or hours."""
    seconds = length.total_seconds()
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    if seconds >= 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds:.1f} s"
