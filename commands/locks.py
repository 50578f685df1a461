"""Per-event mutual exclusion for writers: in-process always, across processes on PostgreSQL.

Optimistic concurrency alone stays correct (the store's (stream, version) uniqueness), but
on a hot stream many writers retrying storm; queueing writers per event first keeps retries rare.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID
from weakref import WeakValueDictionary

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from commands.errors import Busy

LOCK_NOT_AVAILABLE = "55P03"  # lock_timeout ran out; anything else means the database is in trouble
LOCK = text(
    "SELECT pg_advisory_lock(:k) FROM (SELECT set_config('lock_timeout', :timeout, false)) s"
)


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
                with self._advisory(event_id):
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
            raise Busy("The event is busy; try again", code="EVENT_BUSY")
        try:
            yield
        finally:
            lock.release()

    @contextmanager
    def _advisory(self, event_id: UUID) -> Iterator[None]:
        key = advisory_key(event_id)
        engine = self._engine
        if engine is None:
            raise RuntimeError("advisory locks need a PostgreSQL engine")
        try:
            conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        except DBAPIError as exc:
            raise Busy("The database cannot be reached", code="STORE_UNAVAILABLE") from exc
        try:  # one round trip: the timeout is set (for this session) before the lock is asked
            conn.execute(LOCK, {"k": key, "timeout": f"{self._timeout}s"})
        except DBAPIError as exc:
            conn.invalidate()
            conn.close()
            if getattr(exc.orig, "sqlstate", None) == LOCK_NOT_AVAILABLE:
                raise Busy("The event is busy; try again", code="EVENT_BUSY") from exc
            raise Busy("The database cannot be reached", code="STORE_UNAVAILABLE") from exc
        try:
            yield
        finally:
            try:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            except DBAPIError:
                conn.invalidate()  # the session ends, and its advisory lock with it
            conn.close()
