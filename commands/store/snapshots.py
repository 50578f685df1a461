"""When an event's snapshots are due, and their writing later, once the ledger's commits pause.

An event has two kinds (`SnapshotSchedule`): its counts', small, and its full ones. A hot
event's full snapshot holds every booking: large, and long to encode, most of it holding the
GIL. Written while the event is selling, that stalls the process's bookings (measured:
bench/README.md). The writer needs none of it then: its aggregate is warm.
So a snapshot owed is written once no commit has come for `quiet` seconds, or once it has
waited `at_most` seconds (a crash in a long peak replays at most that much more). Each is
rebuilt from the store at the version owed (the warm aggregate holds no bookings: see
`Event.forget_bookings`), here or by a worker.
"""

import logging
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any
from uuid import UUID

from eventsourcing.application import ProcessingEvent
from eventsourcing.persistence import EventStore

from commands.domain.event import Event

log = logging.getLogger(__name__)

QUIET_SECONDS = 0.5
AT_MOST_SECONDS = 30.0
SNAPSHOT_SPAN = 4  # a large stream's full snapshots: at most every 1/4 of it (`snapshot_due`)
ROWS_PER_COUNT = 50  # versions between counts' snapshots: 1/50 of their entries at least
Write = Callable[[], Any]
At = Callable[[UUID, int, str], Any]  # snapshot the event as stored at a version, of a kind
COUNTS, RECORDS = "counts", "records"  # the kinds of snapshot: `SnapshotSchedule`


def snapshot_due(old: int, new: int, interval: int) -> bool:
    """Whether going from version `old` to `new` crosses a multiple of the snapshot step.

    The step is `interval`, doubled while it is under 1/SNAPSHOT_SPAN of the stream: a hot
    event's snapshot holds every booking, so taking one each 200 versions would cost O(n) per
    200 bookings; this way all its snapshots together cost O(n).
    """
    step = doubled_step(interval, new, SNAPSHOT_SPAN)
    return new // step > old // step


def doubled_step(interval: int, size: int, parts: int) -> int:
    """`interval`, doubled while it is under 1/`parts` of `size`."""
    step = interval
    while step * parts < size:
        step *= 2
    return step


def counts_step(interval: int, counts: int) -> int:
    """How many versions apart an event's counts' snapshots are: `interval`, doubled while it
    is under 1/ROWS_PER_COUNT of the entries its counts hold (one per buyer). A snapshot costs
    what its entries do, so each booking pays the same share of them however many buyers the
    event has, and a cold load replays rows in proportion to the snapshot it decodes."""
    return doubled_step(interval, counts, ROWS_PER_COUNT)


def counted(event: Event) -> int:
    """The entries an event's counts' snapshot holds, as many as its buyers and claims."""
    return (len(event.booked_by_user) + len(event.holds) + len(event.waitlist)
            + len(event.may_hold_again_at) + len(event.released_freely))


class DeferredSnapshots:
    """Snapshot writes owed, run in order by one thread when the commits pause."""

    def __init__(self, quiet: float = QUIET_SECONDS, at_most: float = AT_MOST_SECONDS) -> None:
        self._quiet, self._at_most = quiet, at_most
        self._changed = threading.Condition()
        self._owed: list[tuple[float, Callable[[], Any]]] = []  # (owed since, write)
        self._last_commit = float("-inf")
        self._flushing = 0  # waiters that want everything written now
        self._writing = False
        self._closed = False
        self._thread: threading.Thread | None = None  # started by the first snapshot owed

    def owe(self, write: Callable[[], Any]) -> None:
        """Run `write` later (a failure is logged: a missing snapshot only costs replay)."""
        with self._changed:
            if self._closed:
                raise RuntimeError("the ledger is closed")
            self._owed.append((time.monotonic(), write))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="snapshots", daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def committed(self) -> None:
        """A commit just happened: the process is busy, owed snapshots wait."""
        self._last_commit = time.monotonic()  # one float, read by the thread under its lock

    def flush(self) -> None:
        """Write everything owed now and wait for it (tests, shutdown)."""
        if self._thread is None:
            return
        with self._changed:
            self._flushing += 1
            self._changed.notify_all()
            try:
                self._changed.wait_for(lambda: not self._owed and not self._writing)
            finally:
                self._flushing -= 1

    def close(self) -> None:
        if self._thread is None:
            self._closed = True
            return
        self.flush()
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        self._thread.join()

    def _due(self, now: float) -> tuple[list[Callable[[], Any]], float | None]:
        """The writes to run now, and how long until the next one is due (None: nothing owed)."""
        if not self._owed:
            return [], None
        quiet_at = self._last_commit + self._quiet
        everything = self._flushing or now >= quiet_at
        due = [w for since, w in self._owed if everything or now >= since + self._at_most]
        if due:
            self._owed = [] if everything else [
                (since, w) for since, w in self._owed if now < since + self._at_most]
            return due, None
        return [], min(quiet_at, self._owed[0][0] + self._at_most) - now

    def _run(self) -> None:
        while True:
            with self._changed:
                while True:
                    due, wait = self._due(time.monotonic())
                    if due or (self._closed and not self._owed):
                        break
                    self._changed.wait(wait)
                if not due:
                    return
                self._writing = True
            for write in due:
                try:
                    write()
                except Exception:  # the commit stands; a missing snapshot only costs replay
                    log.exception("could not store a snapshot")
            with self._changed:
                self._writing = False
                self._changed.notify_all()


class SnapshotSchedule:
    """Which snapshots a save owes, and what writes each: here later, or by a worker.

    Two kinds, each rebuilt from the store at the version owed: the counts' (`COUNTS`) at each
    multiple of `counts_step` (`interval` for all but events of many buyers), what a command's
    cold load starts from, small however much the event sold; and the full ones (`RECORDS`),
    each booking's record with them, for time travel, at `snapshot_due`'s step, which grows
    with the stream.
    """

    def __init__(self, store: EventStore[UUID] | None, *, interval: int, sealed: bool,
                 rebuild_at: At, elsewhere: At | None = None) -> None:
        self.store, self.interval, self.sealed = store, interval, sealed
        self._rebuild_at, self._elsewhere = rebuild_at, elsewhere
        self.owed = DeferredSnapshots()

    def due(self, old: int, new: int, counts: int = 0) -> list[str]:
        """The kinds of snapshot due going from version `old` to `new` (at `new`), for an
        event that counts `counts` entries (`counts_step`); none when unsealed (nobody would
        use them)."""
        return self._due(old, new, counts_step(self.interval, counts))

    def _due(self, old: int, new: int, step: int) -> list[str]:
        if not self.sealed:
            return []
        kinds = [COUNTS] if new // step > old // step else []
        return [*kinds, RECORDS] if snapshot_due(old, new, self.interval) else kinds

    def after_save(self, processing_event: ProcessingEvent[UUID]) -> None:
        """Owe the snapshots due wherever a saved Event crossed a multiple of their step.

        At the exact multiple, like the library does: a group of bookings that crossed one is
        snapshotted there, rebuilt from the store, whatever versions the group went on to.
        """
        self.owed.committed()  # busy: the snapshots owed wait for a pause
        if self.store is None:
            return
        # One pass over the events: a group's save holds hundreds of aggregates and events.
        first_saved: dict[UUID, int] = {}
        for e in processing_event.events:
            first_saved.setdefault(e.originator_id, e.originator_version)
        take = self._elsewhere or self._rebuild_at
        for aggregate in processing_event.aggregates.values():
            if not isinstance(aggregate, Event) or aggregate.id not in first_saved:
                continue  # a booking's ref, or saved with nothing pending
            new, old = aggregate.version, first_saved[aggregate.id] - 1
            step = counts_step(self.interval, counted(aggregate))  # once a save, not a version
            for version in range(old + 1, new + 1):
                for kind in self._due(version - 1, version, step):
                    self.owed.owe(partial(take, aggregate.id, version, kind))
