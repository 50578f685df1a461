"""The store's psycopg pool: reconnections that back off at most 2 s, and connections renewed
after a large read.

libpq keeps a connection's input buffer at the largest result it has read, for the
connection's life, and bytea arrives hex-encoded: a large row read through each pooled
connection stays in malloc once per connection, given back only when it closes
(bench/README.md).
A hot event's snapshot grows with its bookings, so each reload of it through another pooled
connection left an API process larger, until the pool's hour-long lifetime ran out.
"""

import threading
import time
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import ConnectionPool, PostgresDatastore
from psycopg_pool.base import AttemptWithBackoff

RECONNECT_MAX_DELAY = 2.0  # seconds between a pool's attempts to reach a database that is down
LARGE_READ_BYTES = 1 << 20  # a read of this many bytes of events renews the pool's connections
RENEW_AT_MOST_EVERY = 1.0  # seconds: a pool renewed more often would spend its time connecting

class CappedBackoff(AttemptWithBackoff):
    """psycopg_pool's reconnection backoff, capped.

    Uncapped, the delay doubles without bound (1, 2, 4, 8, 16 s...): after a 6 s database
    restart the store's pool would sit idle up to 9 s more before trying again, while every
    booking waits for a connection and fails. Capped, service resumes within 2 s of the
    database, for one cheap connection attempt per pool per 2 s while it is down.
    """

    def update_delay(self, now: float) -> None:
        super().update_delay(now)
        self.delay = min(self.delay, RECONNECT_MAX_DELAY)


class CappedBackoffPool(ConnectionPool[Any]):
    """The library's pool, reconnecting to a database that is down with `CappedBackoff`, and
    renewed on demand (`renew`).

    A getconn's own check loop backs off too, uncapped: within the store's 5 s wait for a
    connection (POSTGRES_CONNECT_TIMEOUT) its sleeps are 0, 1, 2, 2 s capped or not.
    """

    _renewed = -RENEW_AT_MOST_EVERY  # when `renew` last drained it

    def _add_connection(self, attempt: AttemptWithBackoff | None, growing: bool = False) -> None:
        # psycopg_pool starts a reconnection's attempt here and hands that same one to each
        # retry, so starting it capped caps every retry; no option of the pool names its class.
        if attempt is None:
            attempt = CappedBackoff(timeout=self.reconnect_timeout)
        super()._add_connection(attempt, growing=growing)

    def renew(self) -> None:
        """Replace every connection (one in use once it is returned), at most once a second:
        their buffers go with them."""
        now = time.monotonic()
        with _RENEWING:
            if now - self._renewed < RENEW_AT_MOST_EVERY:
                return
            self._renewed = now
        self.drain()


_RENEWING = threading.Lock()


class RenewingReads:
    """A recorder whose read of a stream's events, once large, renews its pool."""

    datastore: PostgresDatastore

    def select_events(self, *args: Any, **kwargs: Any) -> list[StoredEvent]:
        found: list[StoredEvent] = super().select_events(*args, **kwargs)  # type: ignore[misc]
        if sum(len(e.state) for e in found) >= LARGE_READ_BYTES:
            pool = self.datastore.pool
            if isinstance(pool, CappedBackoffPool):
                pool.renew()
        return found
