"""Snapshots asked of the workers (`take_snapshot`); large full ones are taken in a short-lived
child process, so the worker keeps no high-water mark. The counts' snapshots are small whatever
the event sold: taken in the worker.

Rebuilding and encoding the snapshot of an event with many bookings makes a peak of Python
objects that grows with them, and a process keeps its heap's high-water mark (malloc_trim gave
none of it back): workers stayed large after a benchmark. A child started for one snapshot
hands all of it back when it exits. Starting one costs a process's imports, so small
snapshots, whose peak is small too, are still taken in the worker.
"""

import multiprocessing
import threading
from uuid import UUID

from celery import Task

from commands.store.snapshots import COUNTS, RECORDS
from workers.celery_app import app
from workers.ledger import get_ledger

# Below this, the peak (tens of MB) costs less than a child's imports (over a second of CPU,
# paid again by each full snapshot of a hot event).
IN_CHILD_FROM_VERSION = 10_000
CHILD_TIMEOUT_SECONDS = 300.0
# spawn, not fork: the worker has threads (its pool), whose locks a forked child would inherit.
_spawn = multiprocessing.get_context("spawn")


def take(event_id: UUID, version: int, kind: str = RECORDS) -> bool:
    """Snapshot the event as stored at `version` (`kind`: `commands.store.snapshots`); False
    when that snapshot exists."""
    if kind == COUNTS or version < IN_CHILD_FROM_VERSION:
        return get_ledger().snapshot_at(event_id, version, kind)
    with _spawn.Pool(1) as pool:
        taken: bool = pool.apply_async(take_here, (str(event_id), version)).get(
            timeout=CHILD_TIMEOUT_SECONDS)
        return taken


def take_here(event_id: str, version: int) -> bool:
    """In the child: a ledger of its own for this one full snapshot."""
    ledger = get_ledger()
    try:
        return ledger.snapshot_at(UUID(event_id), version, RECORDS)
    finally:
        ledger.close()


# One at a time per worker process: each holds a whole event and its encoding (tens of MB
# at 16,000 bookings), and the process keeps its high-water mark.
_one_snapshot = threading.Lock()
SNAPSHOT_LATER_SECONDS = 1.0


# Acked late: a worker that dies midway leaves it to another. A snapshot never taken only
# costs replay, so a failure is not retried; one that finds another being taken comes back
# later rather than hold a pool thread the projections need (a minute at most).
# Named as it was first registered, in `workers.tasks`: messages queued by an API process of the
# release before still find it.
@app.task(name="workers.tasks.take_snapshot", bind=True,  # type: ignore[untyped-decorator]  # untyped
          acks_late=True, ignore_result=True, max_retries=60)
def take_snapshot(self: Task, event_id: str, version: int, kind: str = RECORDS) -> bool:
    """Snapshot an event as stored at `version` (asked by an API process once it is idle); a
    message from a release before the counts' snapshots names no kind: a full one."""
    if kind == COUNTS:  # small: never waits for a full one being taken
        return take(UUID(event_id), version, kind)
    if not _one_snapshot.acquire(blocking=False):
        raise self.retry(countdown=SNAPSHOT_LATER_SECONDS)
    try:
        return take(UUID(event_id), version, kind)
    finally:
        _one_snapshot.release()


def request_snapshot(event_id: UUID, version: int, kind: str) -> None:
    """The API's Ledger's `snapshot_elsewhere`: a worker rebuilds and stores the snapshot."""
    take_snapshot.apply_async((str(event_id), version, kind))
