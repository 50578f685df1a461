"""The suite empties one PostgreSQL database between tests while a stack's worker runs
(`tests.stack.empty_database`). A worker's batch reads the log's head before it locks a row, so
one that read the old log's head and queued for the tables behind the emptying locks them after
it: what it writes there must not outlive the emptying (a fan-out row made at the old head
skipped the next test's first events)."""

import threading
import time
from collections.abc import Callable

import psycopg
import pytest

from bench.scenario import new_event
from commands.ledger import Ledger
from core.db import libpq_url, session_scope
from tests.stack import empty_database
from workers.webhooks.fanout import FAN_OUT

pytestmark = pytest.mark.postgres


def waiting(admin: psycopg.Connection, query_start: str) -> bool:
    """Whether a session on this database running a statement that begins so waits for a
    lock (other test processes empty databases of their own meanwhile)."""
    return bool(admin.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
        "AND datname = current_database() AND query LIKE %s",
        (f"{query_start}%",)).fetchone()[0])  # type: ignore[index]


def until(check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 5
    while not check():
        assert time.monotonic() < deadline, "never came"
        time.sleep(0.005)


def test_a_batch_that_read_the_old_head_leaves_no_row_after_the_emptying(
    pg_ledger: Ledger, migrated_postgres: str,
) -> None:
    for _ in range(3):
        new_event(pg_ledger)
    old_head = pg_ledger.eventlog.head()
    assert old_head > 0
    owner = libpq_url(migrated_postgres)
    with psycopg.connect(owner, autocommit=True) as admin, \
            psycopg.connect(owner, autocommit=True) as holder:
        # A transaction on the fan-out's table keeps the emptying waiting for its lock.
        holder.execute("BEGIN")
        holder.execute("SELECT count(*) FROM webhook_tracking")
        emptying = threading.Thread(target=empty_database, args=(migrated_postgres,))
        emptying.start()
        until(lambda: waiting(admin, "LOCK TABLE"))

        def stale_batch() -> None:  # its head read before, its row locked now
            with session_scope() as session:
                FAN_OUT.row.lock(session, old_head)

        batch = threading.Thread(target=stale_batch)
        batch.start()
        until(lambda: waiting(admin, "SELECT webhook_tracking.position"))
        holder.execute("COMMIT")
        emptying.join(timeout=20)
        batch.join(timeout=20)
        assert not emptying.is_alive() and not batch.is_alive()
        left = admin.execute("SELECT name, position FROM webhook_tracking").fetchall()
    assert left == []
    assert pg_ledger.eventlog.head() == 0
