"""Large snapshots are taken in a short-lived child process, so the worker keeps no high-water mark.

Rebuilding and encoding the snapshot of an event with many bookings makes a peak of Python
objects that grows with them, and a process keeps its heap's high-water mark (malloc_trim gave
none of it back): workers stayed large after a benchmark. A child started for one snapshot
hands all of it back when it exits. Starting one costs a process's imports, so small
snapshots, whose peak is small too, are still taken in the worker.
"""

import multiprocessing
from uuid import UUID

from workers.ledger import get_ledger

IN_CHILD_FROM_VERSION = 1000  # below this, the peak is smaller than a child's imports
CHILD_TIMEOUT_SECONDS = 300.0
# spawn, not fork: the worker has threads (its pool), whose locks a forked child would inherit.
_spawn = multiprocessing.get_context("spawn")


def take(event_id: UUID, version: int) -> bool:
    """Snapshot the event as stored at `version`; False when that snapshot exists."""
    if version < IN_CHILD_FROM_VERSION:
        return get_ledger().snapshot_at(event_id, version)
    with _spawn.Pool(1) as pool:
        taken: bool = pool.apply_async(take_here, (str(event_id), version)).get(
            timeout=CHILD_TIMEOUT_SECONDS)
        return taken


def take_here(event_id: str, version: int) -> bool:
    """In the child: a ledger of its own for this one snapshot."""
    ledger = get_ledger()
    try:
        return ledger.snapshot_at(UUID(event_id), version)
    finally:
        ledger.close()
