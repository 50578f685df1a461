"""Sending: each endpoint's deliveries one at a time, in log order, retried with backoff.

An endpoint's oldest pending delivery is the only one sent: the later ones wait behind it, so
a receiver sees the events in the order of the log (at least once: a receiver that processed a
delivery whose answer was lost gets it again, under the same `webhook-id`). A failed attempt
(no answer, a timeout, any status but 2xx, a redirect, an address now refused) waits
WEBHOOK_RETRY_BASE_SECONDS, doubled after each failure up to WEBHOOK_RETRY_MAX_SECONDS. After
WEBHOOK_MAX_ATTEMPTS the delivery is marked `failed` and the endpoint moves on to the next one,
still in order: one poisoned event (a receiver that always refuses it) does not stop the
endpoint for good, and a replay from its position sends it and what followed again.

Two workers never send to the same endpoint at once: on PostgreSQL each holds the endpoint's
advisory lock (a session lock on a connection of its own, no transaction held while it waits
for the receiver), and skips an endpoint another holds; the embedded default is one process,
with an in-process lock per endpoint. Outcomes are written only if the delivery did not change
meanwhile (a replay): a stale attempt is dropped, not recorded over the replay.

httpx is imported when a delivery is first sent, not with the worker's tasks: a worker that
never sends a webhook does not carry its modules in memory.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple
from uuid import UUID

from sqlalchemy import Row, and_, exists, select, text, update
from sqlalchemy.orm import aliased

from core.db import get_engine, read_scope, session_scope
from core.settings import Settings
from workers.webhooks import address_guard, rights, secret_box, signing
from workers.webhooks.tables import (
    DELIVERED,
    FAILED,
    PENDING,
    WebhookDelivery,
    deliveries,
    endpoints,
)

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)
MAX_RESPONSE_BYTES = 64 * 1024  # of a receiver's answer read, at most; the rest is dropped
ERROR_SNIPPET = 300  # characters of an answer kept with a failed attempt
PER_ENDPOINT_PER_TICK = 100  # deliveries sent to one endpoint per tick; the next tick goes on
SENDERS = 4  # endpoints sent to at once per tick
ADVISORY_NAMESPACE = 0x57EB  # the first key of the endpoints' advisory locks (two-key space)
USER_AGENT = "booking-ledger-webhooks"
_local_locks: dict[UUID, threading.Lock] = {}
_local_guard = threading.Lock()


class Outcome(NamedTuple):
    """One attempt: the receiver's status (None: no answer) and what went wrong (None: 2xx)."""

    status_code: int | None
    error: str | None


class Pending(NamedTuple):
    """An endpoint's oldest pending delivery, with what sending it needs."""

    id: UUID
    version: int
    attempts: int
    payload: str
    next_attempt_at: datetime | None
    url: str
    secret: str


def backoff(attempts: int, settings: Settings) -> float:
    """Seconds to wait after `attempts` failed attempts: base, doubled each time, capped."""
    exponent = min(attempts - 1, 32)  # 2**32 seconds is past any cap
    return float(min(settings.webhook_retry_base_seconds * 2**exponent,
                     settings.webhook_retry_max_seconds))


def send_due(settings: Settings, client: httpx.Client | None = None) -> int:
    """Send what is due to every endpoint (several endpoints at once): deliveries made."""
    due = due_endpoints(datetime.now(UTC))
    if not due:
        return 0
    own = client is None
    http = client or new_client(settings)
    try:
        with ThreadPoolExecutor(min(SENDERS, len(due))) as pool:
            return sum(pool.map(lambda endpoint_id: drain(endpoint_id, settings, http), due))
    finally:
        if own:
            http.close()


def new_client(settings: Settings) -> httpx.Client:
    """No redirects followed, no proxy from the environment (it would resolve the host again,
    past the address guard), every phase bounded by WEBHOOK_TIMEOUT_SECONDS."""
    import httpx  # noqa: PLC0415 - on first use (the module's docstring)

    return httpx.Client(follow_redirects=False, trust_env=False,
                        timeout=httpx.Timeout(settings.webhook_timeout_seconds),
                        headers={"user-agent": USER_AGENT})


def due_endpoints(now: datetime) -> list[UUID]:
    """The active endpoints whose oldest pending delivery is due by `now`, of owners who may
    receive it now (`rights`)."""
    older = aliased(WebhookDelivery)
    blocked = exists().where(older.endpoint_id == deliveries.c.endpoint_id,
                             older.status == PENDING, older.position < deliveries.c.position)
    query = (select(deliveries.c.endpoint_id)
             .join(endpoints, endpoints.c.id == deliveries.c.endpoint_id)
             .where(endpoints.c.active, deliveries.c.status == PENDING,
                    deliveries.c.next_attempt_at <= now, ~blocked, rights.entitled()))
    with read_scope() as session:
        return list(dict.fromkeys(session.scalars(query)))


def drain(endpoint_id: UUID, settings: Settings, client: httpx.Client) -> int:
    """Send an endpoint's due deliveries in order, until one must wait: deliveries made.
    Never raises (the next tick tries again)."""
    try:
        with endpoint_lock(endpoint_id, settings) as held:
            if not held:
                return 0  # another worker is sending to it
            delivered = 0
            for _ in range(PER_ENDPOINT_PER_TICK):
                pending = oldest_pending(endpoint_id)
                if pending is None or (pending.next_attempt_at is not None
                                       and pending.next_attempt_at > datetime.now(UTC)):
                    break
                outcome = attempt(pending, settings, client)
                if not record(pending, outcome, settings):
                    break
                delivered += outcome.error is None
            return delivered
    except Exception:
        log.warning("webhook endpoint %s: sending stopped; the next tick goes on", endpoint_id,
                    exc_info=True)
        return 0


def oldest_pending(endpoint_id: UUID) -> Pending | None:
    """The endpoint's oldest pending delivery (None: none, or the endpoint was deactivated, or
    its owner lost the rights to it: `rights`)."""
    query = (select(deliveries.c.id, deliveries.c.version, deliveries.c.attempts,
                    deliveries.c.payload, deliveries.c.next_attempt_at, endpoints.c.url,
                    endpoints.c.secret)
             .join(endpoints, endpoints.c.id == deliveries.c.endpoint_id)
             .where(deliveries.c.endpoint_id == endpoint_id, deliveries.c.status == PENDING,
                    endpoints.c.active, rights.entitled())
             .order_by(deliveries.c.position).limit(1))
    with read_scope() as session:
        row: Row[tuple[UUID, int, int, str, datetime | None, str, str]] | None = (
            session.execute(query).first())
    return Pending(*row) if row is not None else None


def attempt(pending: Pending, settings: Settings, client: httpx.Client) -> Outcome:
    """POST the delivery once, signed now, to the address its host resolves to now."""
    try:
        target = address_guard.check(pending.url, settings)
    except (address_guard.UrlInvalid, address_guard.AddressRefused) as exc:
        return Outcome(None, str(exc))
    try:
        secret = secret_box.unseal(pending.secret, settings)
    except secret_box.SecretUnreadable as exc:
        return Outcome(None, str(exc))
    headers = signing.signed_headers(secret, pending.id, pending.payload)
    headers |= {"content-type": "application/json", "host": _host_header(target)}
    # To the address checked, not to the name again; TLS still checks the name's certificate.
    extensions = {"sni_hostname": target.host} if target.url.scheme == "https" else {}
    deadline = time.monotonic() + 2 * settings.webhook_timeout_seconds
    try:
        with client.stream("POST", _pinned_url(target), content=pending.payload.encode(),
                           headers=headers, extensions=extensions) as response:
            answer = _read_capped(response, deadline)
            status = response.status_code
    except client_errors() as exc:
        return Outcome(None, f"{type(exc).__name__}: {exc}"[:ERROR_SNIPPET] or "no answer")
    except TimeoutError as exc:
        return Outcome(None, str(exc))
    if 200 <= status < 300:
        return Outcome(status, None)
    snippet = answer.decode(errors="replace")[:ERROR_SNIPPET]
    where = " (redirects are not followed)" if 300 <= status < 400 else ""
    return Outcome(status, f"HTTP {status}{where}: {snippet}".rstrip(": "))


def client_errors() -> type[Exception]:
    """What the HTTP client raises when no answer came."""
    import httpx  # noqa: PLC0415 - on first use (the module's docstring)

    return httpx.HTTPError


def _read_capped(response: httpx.Response, deadline: float) -> bytes:
    """The start of the answer, at most MAX_RESPONSE_BYTES, within the attempt's deadline (a
    receiver trickling bytes cannot hold the sender)."""
    kept = bytearray()
    for chunk in response.iter_raw():
        kept += chunk[:MAX_RESPONSE_BYTES - len(kept)]
        if len(kept) >= MAX_RESPONSE_BYTES:
            break
        if time.monotonic() > deadline:
            raise TimeoutError("the answer took too long to read")
    return bytes(kept)


def _pinned_url(target: address_guard.Target) -> str:
    literal = f"[{target.address}]" if target.address.version == 6 else str(target.address)
    parts = target.url._replace(netloc=f"{literal}:{target.port}")
    return parts.geturl()


def _host_header(target: address_guard.Target) -> str:
    host = f"[{target.host}]" if ":" in target.host else target.host
    default = address_guard.SCHEMES[target.url.scheme]
    return host if target.port == default else f"{host}:{target.port}"


def record(pending: Pending, outcome: Outcome, settings: Settings) -> bool:
    """Write the attempt's outcome, unless the delivery changed meanwhile; whether the
    endpoint's next delivery may go now (this one delivered, or given up on)."""
    now = datetime.now(UTC)
    attempts = pending.attempts + 1
    values: dict[str, object] = {"attempts": attempts, "version": pending.version + 1,
                                 "last_status_code": outcome.status_code,
                                 "last_error": outcome.error}
    if outcome.error is None:
        values |= {"status": DELIVERED, "delivered_at": now, "next_attempt_at": None}
    elif attempts >= settings.webhook_max_attempts:
        values |= {"status": FAILED, "next_attempt_at": None}
        log.warning("webhook delivery %s failed %d times; moving on: %s", pending.id,
                    attempts, outcome.error)
    else:
        values["next_attempt_at"] = now + timedelta(seconds=backoff(attempts, settings))
    with session_scope() as session:
        result = session.execute(
            update(deliveries).where(and_(deliveries.c.id == pending.id,
                                          deliveries.c.version == pending.version))
            .values(values))
        changed = result.rowcount  # type: ignore[attr-defined]  # a CursorResult
    return bool(changed) and values.get("status") in (DELIVERED, FAILED)


@contextmanager
def endpoint_lock(endpoint_id: UUID, settings: Settings) -> Iterator[bool]:
    """Whether this process may send to the endpoint now (False: another is sending)."""
    if settings.is_postgres:
        with _advisory_lock(endpoint_id) as held:
            yield held
        return
    with _local_guard:
        lock = _local_locks.setdefault(endpoint_id, threading.Lock())
    if not lock.acquire(blocking=False):
        yield False
        return
    try:
        yield True
    finally:
        lock.release()


@contextmanager
def _advisory_lock(endpoint_id: UUID) -> Iterator[bool]:
    key = int.from_bytes(endpoint_id.bytes[:4], "big", signed=True)
    params = {"namespace": ADVISORY_NAMESPACE, "key": key}
    with get_engine().connect() as conn:
        held = bool(conn.execute(text("SELECT pg_try_advisory_lock(:namespace, :key)"),
                                 params).scalar())
        conn.commit()  # a session lock: no transaction stays open while sending
        try:
            yield held
        finally:
            if held:
                try:
                    conn.execute(text("SELECT pg_advisory_unlock(:namespace, :key)"), params)
                    conn.commit()
                except Exception:
                    conn.invalidate()  # closing the connection releases the lock
                    raise
