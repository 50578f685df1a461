"""Per-event mutual exclusion for writers: in-process always, across processes on PostgreSQL.

Optimistic concurrency alone stays correct (the store's (stream, version) uniqueness), but
on a hot stream many writers retrying storm; queueing writers per event first keeps retries rare.
"""

import threading
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from uuid import UUID
from weakref import WeakValueDictionary

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from commands.store.busy import event_busy, store_unreachable

LOCK_NOT_AVAILABLE = "55P03"  # lock_timeout ran out; anything else means the database is in trouble
# In the array's order (the callers sort it); the timeout is set (for this session) before the
# first lock is asked, in the same round trip.
LOCK = text(
    "SELECT count(pg_advisory_lock(k)) FROM unnest(CAST(:keys AS bigint[])) "
    "AS u(k) WHERE set_config('lock_timeout', :timeout, false) IS NOT NULL"
)
UNLOCK = text("SELECT count(pg_advisory_unlock(k)) FROM unnest(CAST(:keys AS bigint[])) AS u(k)")


def advisory_key(event_id: UUID) -> int:
    """The PostgreSQL advisory lock key of an event (its id's first 64 bits)."""
    return int.from_bytes(event_id.bytes[:8], "big", signed=True)


class EventLocks:
    """Hold one event's lock while a command loads, decides and saves."""

    def __init__(self, engine: Engine | None, timeout_seconds: int, queue_wait: float) -> None:
        self._engine = engine
        self._timeout = timeout_seconds
        self._queue_wait = queue_wait
        self._guard = threading.Lock()
        self._locks: WeakValueDictionary[UUID, threading.Lock] = WeakValueDictionary()

    @contextmanager
    def hold(self, event_id: UUID) -> Iterator[None]:
        """This process's lock of the event, then the database's (for writers)."""
        with self.hold_here(event_id):
            if self._engine is None:
                yield
            else:
                with self._advisory([event_id]):
                    yield

    @contextmanager
    def hold_all(self, event_ids: Iterable[UUID]) -> Iterator[None]:
        """Several events' locks: this process's, then the database's in one round trip.

        Taken in the order of their advisory keys everywhere, so two holders of several never
        wait on each other in a circle (a holder of one waits on nobody while holding it).
        """
        ids = sorted(set(event_ids), key=advisory_key)
        with ExitStack() as held:
            for event_id in ids:
                held.enter_context(self.hold_here(event_id))
            if self._engine is not None and ids:
                held.enter_context(self._advisory(ids))
            yield

    @contextmanager
    def hold_here(self, event_id: UUID) -> Iterator[None]:
        """Only this process's lock of the event: enough to read its warm aggregate."""
        with self._guard:
            lock = self._locks.get(event_id)
            if lock is None:
                lock = threading.Lock()
                self._locks[event_id] = lock
        if not lock.acquire(timeout=self._queue_wait):
            raise event_busy()
        try:
            yield
        finally:
            lock.release()

    @contextmanager
    def _advisory(self, event_ids: list[UUID]) -> Iterator[None]:
        keys = [advisory_key(e) for e in event_ids]
        conn = self._locked(keys)
        try:
            yield
        finally:
            try:
                conn.execute(UNLOCK, {"keys": keys})
            except DBAPIError:
                conn.invalidate()  # the session ends, and its advisory lock with it
            conn.close()

    def _locked(self, keys: list[int]) -> Connection:
        """A connection of its own holding these advisory locks.

        Its pool does not ping each connection handed out: one lost meanwhile (a database
        restart) fails the lock statement with a disconnect, which drops the pool's older
        connections, and the lock is asked once more on a new one. Nothing was held: a lost
        session's advisory locks end with it.
        """
        engine = self._engine
        if engine is None:
            raise RuntimeError("advisory locks need a PostgreSQL engine")
        for attempt in (1, 2):
            try:
                conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            except DBAPIError as exc:
                raise store_unreachable() from exc
            try:
                conn.execute(LOCK, {"keys": keys, "timeout": f"{self._timeout}s"})
            except DBAPIError as exc:
                conn.invalidate()
                conn.close()
                if getattr(exc.orig, "sqlstate", None) == LOCK_NOT_AVAILABLE:
                    raise event_busy() from exc
                if exc.connection_invalidated and attempt == 1:
                    continue
                raise store_unreachable() from exc
            return conn
        raise AssertionError("unreachable")
