"""Reads on PostgreSQL streaming replicas, with read-your-writes.

READ_DATABASE_URLS names streaming replicas of the primary. A physical replica replays every
committed transaction in the primary's order: the read tables and the projections' tracking rows
arrive together, so the positions a replica's own transaction reads say which writes its rows
hold. Each API process keeps a monitor that reads, every READ_REPLICA_CHECK_SECONDS, each
replica's projection positions and how far its replay trails.

- A read naming a position (`min_position`) goes to a replica that has replayed it, waiting for
  one at most READ_REPLICA_WAIT_SECONDS, else to the primary. Inside its transaction the read
  checks the positions it sees (`consistency.Read`): below the one asked for (a replica swapped
  for an older one since the last check), it is read on the primary. No answer is older than the
  write whose position the client names.
- A read naming none may go to any replica that answers and trails by at most
  READ_REPLICA_MAX_LAG_SECONDS (as stale as a read that came that much earlier).
- A replica that fails is out at once, the read that found it is read on the primary, and the
  next check that reaches it brings it back. One that fails after a read began on it (stopped,
  restarted, its connection cut mid-read) is out the same way, and the route reads again from
  the start (`consistency.ReadRoute`): no client sees a replica go.
"""

import asyncio
import itertools
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from core import metrics
from core.db import make_engine
from core.settings import Settings, get_settings
from projections import partitions

log = logging.getLogger(__name__)
# A prompt check asked by waiting reads comes at most this often: a burst of reads waiting for
# positions costs one check of each replica per interval, not one per read.
PROMPT_CHECK_SECONDS = 0.02
WAIT_STEP_SECONDS = 0.02
# How far replay trails. A replica that replayed all it received trails by nothing; else by
# the time since the last transaction it replayed committed on the primary (more than the lag
# when the primary was idle before its last writes: a replica is then left out a moment early).
LAG = text(
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0 "
    "WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END")
POSITIONS = text("SELECT name, position FROM projection_tracking")


@dataclass(eq=False)
class Replica:
    """One replica: its pool, and what its last check found."""

    name: str  # "replica-1": its place in READ_DATABASE_URLS (a URL may hold a password)
    address: str  # host:port/database, for the logs (/api/health names it alone)
    engine: Engine
    up: bool = False  # none is used before its first check
    positions: dict[str, int] = field(default_factory=dict)
    lag_seconds: float | None = None
    error: str | None = None
    reads: Any = field(init=False)  # its count in `metrics.READS`, labelled once

    def __post_init__(self) -> None:
        self.reads = metrics.READS.labels(self.name)

    def has_reached(self, position: int, names: Iterable[str]) -> bool:
        return self.up and all(partitions.position_of(self.positions, name) >= position
                               for name in names)

    def within(self, max_lag_seconds: float) -> bool:
        return self.up and self.lag_seconds is not None and self.lag_seconds <= max_lag_seconds

    def checked(self, positions: dict[str, int], lag_seconds: float) -> None:
        self.positions, self.lag_seconds, self.up, self.error = positions, lag_seconds, True, None
        metrics.REPLICA_UP.labels(self.name).set(1)
        metrics.REPLICA_LAG.labels(self.name).set(lag_seconds)

    def failed(self, exc: BaseException) -> None:
        """Out until a check reaches it again: its reads go to the primary."""
        if self.up:
            log.warning("read replica %s (%s) is down; its reads go to the primary: %s",
                        self.name, self.address, words(exc))
        self.up, self.error = False, words(exc)
        metrics.REPLICA_UP.labels(self.name).set(0)


class ReadReplicas:
    """The replicas of one API process, and the thread that checks them."""

    def __init__(self, settings: Settings) -> None:
        self.wait_seconds = settings.read_replica_wait_seconds
        self.max_lag_seconds = settings.read_replica_max_lag_seconds
        self.check_seconds = settings.read_replica_check_seconds
        self.replicas = [
            Replica(f"replica-{number}", _address(url),
                    make_engine(settings, url=url, pre_ping=True))
            for number, url in enumerate(settings.read_database_urls, start=1)]
        self._turn = itertools.count()  # the replica a read takes goes round
        self._prompt = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="read-replicas", daemon=True)
        self._thread.start()

    # ----- choosing -----------------------------------------------------------------------

    def choose(self, position: int | None, names: Iterable[str]) -> Replica | None:
        """A replica for a read of these projections at `position` (None: any recent one)."""
        names = tuple(names)
        fit = [r for r in self.replicas
               if (r.within(self.max_lag_seconds) if position is None
                   else r.has_reached(position, names))]
        if not fit:
            return None
        return fit[next(self._turn) % len(fit)]

    async def for_read(self, position: int | None, names: Iterable[str]) -> Replica | None:
        """A replica that can serve this read, waiting (bounded) for one to replay `position`;
        None: read it on the primary."""
        names = tuple(names)
        found = self.choose(position, names)
        if found is not None or position is None or not any(r.up for r in self.replicas):
            return found
        deadline = time.monotonic() + self.wait_seconds
        while time.monotonic() < deadline:
            self._prompt.set()
            await asyncio.sleep(WAIT_STEP_SECONDS)
            found = self.choose(position, names)
            if found is not None:
                return found
        return None

    # ----- checking -----------------------------------------------------------------------

    def check_all(self) -> None:
        for replica in self.replicas:
            self.check(replica)

    def check(self, replica: Replica) -> None:
        try:
            with replica.engine.connect() as conn:
                positions = partitions.folded(
                    {str(n): int(p) for n, p in conn.execute(POSITIONS).tuples()})
                lag = float(conn.execute(LAG).scalar_one())
                conn.rollback()
        except Exception as exc:  # unreachable, starting up, a role without rights: out
            replica.failed(exc)
        else:
            replica.checked(positions, lag)

    def _watch(self) -> None:
        while not self._stopping.is_set():
            self.check_all()
            # The next check at the interval, or sooner (not too soon) when a read waits.
            if self._prompt.wait(self.check_seconds):
                self._prompt.clear()
                self._stopping.wait(PROMPT_CHECK_SECONDS)

    def close(self) -> None:
        self._stopping.set()
        self._prompt.set()
        self._thread.join(timeout=10)
        for replica in self.replicas:
            replica.engine.dispose()


_lock = threading.Lock()
_replicas: ReadReplicas | None = None


def read_replicas() -> ReadReplicas | None:
    """This process's replicas (their monitor started on first use); None without any."""
    global _replicas  # noqa: PLW0603 - one monitor per process, made on first use
    settings = get_settings()
    if not settings.read_database_urls:
        return None
    with _lock:
        if _replicas is None:
            _replicas = ReadReplicas(settings)
        return _replicas


def close_read_replicas() -> None:
    """Stop the monitor and close the pools (the app's shutdown; a test's new settings)."""
    global _replicas
    with _lock:
        replicas, _replicas = _replicas, None
    if replicas is not None:
        replicas.close()


def _address(url: str) -> str:
    parsed = make_url(url)
    return f"{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database or ''}"


def words(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return (lines[0] if lines else type(exc).__name__)[:300]
