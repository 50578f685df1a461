"""The safe head of the PostgreSQL notification log: no lower position can still commit.

Appends take no common lock, so positions (a sequence's values) commit out of order: 101
can be visible while 100's transaction is still running. A reader that moved past 101 then
would never see 100. Readers therefore read only up to the safe head, found so:

1. Positions are taken only by INSERTs into the events table, and an INSERT holds the
   table's ROW EXCLUSIVE lock from before it takes its first position until its
   transaction ends (PostgreSQL takes it when the statement opens the table).
2. The reader reads the sequence's last value L; then, in a later statement, which
   transactions hold that lock (`pg_locks`). A transaction holding a position <= L took it
   before L was read, so it either has ended or is among them.
3. Once none of those holds the lock any more, every one has committed or aborted (a
   transaction releases its locks only after its end is visible to new snapshots): every
   row with a position <= L that will ever exist is visible to a statement started after
   that, and none will appear later. L is safe.

Why not the transaction horizon (rows whose own transaction id is below
`pg_snapshot_xmin(pg_current_snapshot())`): a transaction can take its id before another
and its position after it, so a row below the horizon can sit above a position still in
flight. Nor "wait until the horizon passes the snapshot's xmax": xmax is the latest
completed id + 1, so a running transaction with a higher id is in neither bound and the
wait ends while it runs (tests/core/event_store/test_out_of_order.py, ids-crossed, caught it).
And a horizon waits for every transaction with an id on the server: one left open (a row
lock held in psql) stops every reader. Why not Marten's high-water mark (wait a
"stale" time on a gap, then skip it): it does skip an append slower than that time. Here a
reader waits only for the appends that were running when it looked, and never skips.

Trade-offs: a reader waits for the slowest append in flight (at most `wait`, then it answers
what it may: no progress, and its next poll tries again); each look reads `pg_locks`. The
sequence must keep CACHE 1 (the default), and nothing may call nextval on it outside an
INSERT into the table: a value taken without the table's lock would escape step 2.
"""

import logging
import time
from typing import Any

from psycopg.rows import tuple_row
from psycopg.sql import SQL, Composed, Literal

POLL = 0.001  # seconds between looks while the transactions seen at the mark finish
WAIT = 1.0  # seconds at most; then the reader answers what it may and tries again later

log = logging.getLogger(__name__)


def statements(schema: str, table: str) -> tuple[Composed, Composed]:
    """(the sequence's last value, 0 before its first; the appends holding the table now)."""
    def name(*parts: str) -> Literal:
        return Literal(".".join('"{}"'.format(p.replace('"', '""')) for p in parts))

    last = SQL("SELECT coalesce(pg_sequence_last_value({}::regclass), 0)").format(
        name(schema, f"{table}_notification_id_seq"))
    appends = SQL(
        "SELECT coalesce(array_agg(virtualtransaction), '{{}}') FROM pg_locks "
        "WHERE locktype = 'relation' AND relation = {}::regclass AND mode = 'RowExclusiveLock' "
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
        "AND pid IS DISTINCT FROM pg_backend_pid() "
        "AND (%s::text[] IS NULL OR virtualtransaction = ANY(%s::text[]))"
    ).format(name(schema, table))
    return last, appends


def safe_head(conn: Any, statements: tuple[Composed, Composed], after: int = 0,
              wait: float | None = None) -> int:
    """The highest position at or below which the log is final; `after` if not found in time.

    `conn` must be in autocommit: each statement needs a snapshot of its own.
    """
    with conn.cursor(row_factory=tuple_row) as cur:
        return _safe_head(cur, statements, after, WAIT if wait is None else wait)


def _safe_head(cur: Any, statements: tuple[Composed, Composed], after: int, wait: float) -> int:
    last_value, appends = statements
    (last,) = cur.execute(last_value, prepare=True).fetchone()
    if last <= after:
        return after  # nothing new can be safe: spare the look
    (running,) = cur.execute(appends, (None, None), prepare=True).fetchone()
    deadline = time.monotonic() + wait
    while running:
        if time.monotonic() >= deadline:
            # Seen when commits stall (a checkpoint's writes on a busy disk): readers then
            # answer no progress, and the audit log an empty page, until the next look.
            log.warning("the safe head: %d appends seen at position %d still running after "
                        "%.1f s; answering %d", len(running), last, wait, after)
            return after
        time.sleep(POLL)
        (running,) = cur.execute(appends, (running, running), prepare=True).fetchone()
    return int(last)
