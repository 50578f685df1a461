"""The event store's pool retries a database that is down at least every 2 s; no other pool
changes, and psycopg_pool's own module is left as it is."""

import socket
import threading
import time
from typing import Any
from uuid import uuid4

import eventsourcing.postgres
import psycopg
import psycopg_pool
import psycopg_pool.base
import psycopg_pool.pool
import pytest
from eventsourcing.persistence import InfrastructureFactory, StoredEvent
from eventsourcing.utils import Environment
from psycopg_pool.pool import AddConnection

from bench.scenario import new_event
from commands.ledger import Ledger
from core.db import store_env
from core.event_store.pool import LARGE_READ_BYTES, RECONNECT_MAX_DELAY, CappedBackoffPool
from core.event_store.postgres_recorder import LedgerFactory, LedgerRecorder, SnapshotRecorder
from core.settings import Settings
from tests.conftest import configure

RETRIES = 6
PoolClass = type[psycopg_pool.ConnectionPool[Any]]


def _closed_port() -> int:
    """A local port nothing listens on: each connection is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def _store_pool_class(monkeypatch: pytest.MonkeyPatch) -> PoolClass:
    """The class of the pool the store's configured environment gives its datastore."""
    settings = configure(monkeypatch, DATABASE_URL=f"postgresql://ledger:x@127.0.0.1:"
                                                   f"{_closed_port()}/ledger")
    factory = InfrastructureFactory.construct(Environment(env=store_env(settings)))
    assert isinstance(factory, LedgerFactory)
    assert factory.application_recorder_class is LedgerRecorder
    pool = factory.datastore.pool
    factory.close()
    return type(pool)


def _retry_delays(pool_class: PoolClass) -> list[float]:
    """The waits a pool of `pool_class` puts before its first retries to reach a database that
    refuses it; each retry runs at once instead, so the test takes no longer than the pool's
    own work."""
    delays: list[float] = []
    asked = threading.Event()

    class Recording(pool_class):  # type: ignore[valid-type,misc]  # a class built at runtime
        def schedule_task(self, task: Any, delay: float) -> None:
            if not isinstance(task, AddConnection):  # the pool's periodic shrink
                super().schedule_task(task, delay)
            elif len(delays) < RETRIES:
                delays.append(delay)
                super().schedule_task(task, 0)
            else:
                asked.set()

    pool = Recording(f"host=127.0.0.1 port={_closed_port()} dbname=x user=x connect_timeout=2",
                     min_size=1, open=False)
    pool.open(wait=False)
    try:
        assert asked.wait(20), delays
    finally:
        pool.close(timeout=2)
    return delays


def test_the_stores_pool_retries_at_least_every_2_seconds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pool_class = _store_pool_class(monkeypatch)
    assert issubclass(pool_class, CappedBackoffPool)
    delays = _retry_delays(pool_class)
    # Backing off (about 1 s, then 2 s), never beyond the cap.
    assert 0.8 <= delays[0] <= 1.2 and delays[-1] == RECONNECT_MAX_DELAY, delays
    assert max(delays) <= RECONNECT_MAX_DELAY, delays


@pytest.mark.parametrize("pool_class", [psycopg_pool.ConnectionPool,
                                        eventsourcing.postgres.ConnectionPool])
def test_other_pools_keep_the_librarys_backoff(
    pool_class: PoolClass, monkeypatch: pytest.MonkeyPatch
) -> None:
    _store_pool_class(monkeypatch)  # the store's pool made first: it must change no other one
    delays = _retry_delays(pool_class)
    assert max(delays) >= 4 * RECONNECT_MAX_DELAY, delays  # 1, 2, 4, 8, 16... s
    # Nothing swapped in psycopg_pool's module: it uses its own class for every pool.
    assert vars(psycopg_pool.pool)["AttemptWithBackoff"] is psycopg_pool.base.AttemptWithBackoff


def test_a_ledger_on_postgresql_stores_through_the_capped_pool(pg_settings: Settings) -> None:
    ledger = Ledger(pg_settings)
    try:
        assert isinstance(ledger.recorder, LedgerRecorder)
        assert isinstance(ledger.recorder.datastore.pool, CappedBackoffPool)
        event_id = new_event(ledger)  # and it stores and reads through it
        assert ledger.event(event_id).id == event_id
    finally:
        ledger.close()


def test_connections_lost_while_pooled_cost_a_booking_nothing(pg_settings: Settings) -> None:
    """Neither the store's pool nor the locks' pings each connection it hands out: every
    pooled connection is cut (as by a database restart), and the next commands still pass."""
    ledger = Ledger(pg_settings)
    try:
        event_id = new_event(ledger)
        ledger.book(event_id, user_id=uuid4(), user_name="Ann", category=None, quantity=1)
        with psycopg.connect(pg_settings.database_url.replace("+psycopg", ""),
                             autocommit=True) as admin:
            cut = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
                "datname = current_database() AND pid <> pg_backend_pid()").fetchone()
        assert cut is not None and cut[0] >= 2  # the store's and the locks' pooled ones
        booked = ledger.book(event_id, user_id=uuid4(), user_name="Bob", category=None,
                             quantity=1)
        ledger.update_event(event_id, {"venue": "Elsewhere"}, [])  # a lock of its own
        assert booked.position is not None
        assert ledger.event(event_id).categories["General"]["sold"] == 2
    finally:
        ledger.close()


def test_a_large_read_renews_the_pool_and_a_small_one_does_not(pg_settings: Settings) -> None:
    """libpq keeps each connection's input buffer at the largest result it read: once a
    snapshot that large is read, the pool's connections are replaced (`core.event_store.pool`)."""
    ledger = Ledger(pg_settings)
    try:
        assert ledger.snapshots is not None
        recorder = ledger.snapshots.recorder
        assert isinstance(recorder, SnapshotRecorder)
        pool = recorder.datastore.pool
        small, large = uuid4(), uuid4()
        recorder.insert_events([
            StoredEvent(originator_id=small, originator_version=1, topic="t", state=b"s"),
            StoredEvent(originator_id=large, originator_version=1, topic="t",
                        state=b"x" * LARGE_READ_BYTES)])
        pool.wait()
        made = pool.get_stats()["connections_num"]
        assert [e.state for e in recorder.select_events(small)] == [b"s"]
        time.sleep(0.2)
        assert pool.get_stats()["connections_num"] == made  # kept

        assert len(recorder.select_events(large)[0].state) == LARGE_READ_BYTES
        deadline = time.monotonic() + 10
        while pool.get_stats()["connections_num"] < made + pool.min_size:
            assert time.monotonic() < deadline, pool.get_stats()
            time.sleep(0.05)
        assert ledger.event(new_event(ledger)) is not None  # and the store works on
    finally:
        ledger.close()
