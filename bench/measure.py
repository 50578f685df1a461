"""What the suite reads besides the load generator: /metrics counters, projection positions
over time (lag), and the seats sold according to the event store itself."""

import bisect
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any
from uuid import UUID

import httpx
import psycopg

from bench.stack import ROOT

TRACKED = ("availability", "bookings", "revenue")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def booking_counters(url: str) -> dict[str, float]:
    """Bookings committed, optimistic-concurrency retries, the group commits' requests and
    events (sums) and their number, events loaded cold (not kept warm), and the read models'
    batches (those that read events, and the empty ones), so far, over every process that
    writes the metrics' folder (the API's and the workers')."""
    text = httpx.get(f"{url}/metrics", timeout=30).text
    found = {"ok": 0.0, "retries": 0.0, "commits": 0.0, "committed_requests": 0.0,
             "committed_events": 0.0, "cold_loads": 0.0}
    names = {'ledger_commands_total{command="book",outcome="ok"}': "ok",
             "ledger_concurrency_retries_total": "retries",
             "ledger_commit_group_requests_count": "commits",
             "ledger_commit_group_requests_sum": "committed_requests",
             "ledger_commit_group_events_sum": "committed_events",
             'ledger_event_loads_total{how="cold"}': "cold_loads"}
    batches = {"events": "batches", "none": "empty_batches"}
    found |= dict.fromkeys(batches.values(), 0.0)
    for line in text.splitlines():
        name, _, value = line.rpartition(" ")
        if name in names:
            found[names[name]] = float(value)
        elif name.startswith("ledger_projection_batches_total{") and 'batch="projections"' in name:
            read = name.partition('read="')[2].partition('"')[0]
            if read in batches:
                found[batches[read]] += float(value)
    return found


def per_commit(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """A run's requests and events per group commit, from the counters around it."""
    commits = max(1.0, after["commits"] - before["commits"])
    return {"requests_per_commit": (after["committed_requests"] - before["committed_requests"])
            / commits,
            "events_per_commit": (after["committed_events"] - before["committed_events"])
            / commits}


def replica_reads(url: str) -> float:
    """Reads of the read models served on a read replica so far, over every API process."""
    text = httpx.get(f"{url}/metrics", timeout=30).text
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith('ledger_reads_total{database="replica-'))


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used so far (0 once it is gone)."""
    return sum(cpu_split(pid))


def cpu_split(pid: int) -> tuple[float, float]:
    """User and system CPU a process and the children it waited for have used so far, apart
    ((0, 0) once it is gone). The children's: a worker's short-lived one (a large snapshot's)
    ends between two readings, and its CPU would be counted nowhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0, 0.0
    user, system, children_user, children_system = (int(f) for f in fields[11:15])
    return (user + children_user) / CLOCK_TICKS, (system + children_system) / CLOCK_TICKS


def postgres_pids() -> list[int]:
    """The PostgreSQL server's processes (postmaster, backends, WAL writer...)."""
    found = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() == "postgres":
                found.append(int(comm.parent.name))
        except OSError:
            continue
    return found


ESTABLISHED = "01"  # a socket's state in /proc/net/tcp


def connections_by_process(pids: list[int], ports: set[int]) -> list[int]:
    """How many connections to `ports` each of these processes holds open, the most first: how
    the load generator's connections were spread over the API's processes (on a shared port the
    kernel hands each to whichever process accepts first)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == ESTABLISHED and int(fields[1].rsplit(":", 1)[1], 16) in ports:
                inodes.add(fields[9])
    counts = []
    for pid in pids:
        try:
            held = [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
        except OSError:  # gone, or a link gone while listed
            continue
        counts.append(sum(link[8:-1] in inodes for link in held if link.startswith("socket:[")))
    return sorted((c for c in counts if c), reverse=True)


class CpuMeter:
    """CPU used by groups of processes (by pid lists, read when asked) between two readings."""

    def __init__(self, groups: dict[str, Callable[[], list[int]]]) -> None:
        self.groups = groups

    def read(self) -> dict[str, float]:
        return {name: sum(cpu_seconds(pid) for pid in pids()) for name, pids in self.groups.items()}

    @staticmethod
    def spent(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
        return {name: max(0.0, after[name] - before[name]) for name in before}


# Where the work a request leaves to the workers stands: the log's head, the least advanced
# tracking row (read models and the Merkle tree), the buyers' messages' subscriber, and the
# messages it recorded that are not yet sent.
PENDING = """
SELECT (SELECT coalesce(max(notification_id), 0) FROM ledger_events),
       (SELECT coalesce(min(position), 0) FROM projection_tracking),
       (SELECT coalesce(max(position), 0) FROM mail_tracking),
       (SELECT count(*) FROM mail_messages WHERE status IN ('queued', 'sending'))
"""


def settled(pg_url: str, longest: float = 300.0, every: float = 0.2) -> float:
    """Wait until the system has done every piece of work it was given: each tracking row and
    the messages' subscriber at the log's head, no message left to send (or `longest` seconds);
    the seconds waited. A run's CPU read after it is the CPU its requests caused."""
    began = time.monotonic()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        while time.monotonic() - began < longest:
            row = conn.execute(PENDING).fetchone()
            if row is not None and row[1] >= row[0] and row[2] >= row[0] and row[3] == 0:
                break
            time.sleep(every)
    return time.monotonic() - began


class LagProbe:
    """Polls every projection's tracking position (their minimum) every few milliseconds."""

    def __init__(self, pg_url: str, every: float = 0.005) -> None:
        self.pg_url, self.every = pg_url, every
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> "LagProbe":
        self._thread.start()
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()

    def reached(self, position: int, longest: float = 5.0) -> None:
        """Wait until a poll saw every projection at `position` (or `longest` seconds)."""
        until = time.monotonic() + longest
        while time.monotonic() < until and not (self.samples and self.samples[-1][1] >= position):
            time.sleep(self.every)

    def _poll(self) -> None:
        with psycopg.connect(self.pg_url, autocommit=True) as conn:
            while not self._stop.is_set():
                row = conn.execute("SELECT min(position), count(*) FROM projection_tracking "
                                   "WHERE name = ANY(%s)", (list(TRACKED),)).fetchone()
                if row and row[1] == len(TRACKED):
                    self.samples.append((time.time(), int(row[0])))
                time.sleep(self.every)


def lag_percentiles(
    answered: list[tuple[float, int]], samples: list[tuple[float, int]]
) -> dict[str, Any]:
    """For each booking (answer time, position): when every projection first reached it.

    Measured from the client receiving the 201 (just after the commit), to the first poll
    that saw all projections at or past its position; never negative.
    """
    seen_at = [t for t, _ in samples]
    reached = [p for _, p in samples]
    for i in range(1, len(reached)):  # positions only grow; keep the running maximum
        reached[i] = max(reached[i], reached[i - 1])
    lags, unseen = [], 0
    for t, position in answered:
        i = bisect.bisect_left(reached, position)
        if i == len(reached):
            unseen += 1
            continue
        lags.append(max(0.0, seen_at[i] - t))
    lags.sort()

    def pct(q: float) -> float:
        return 1000 * lags[min(len(lags) - 1, int(q * len(lags)))] if lags else float("nan")

    return {"lag_p50_ms": pct(0.5), "lag_p99_ms": pct(0.99), "lag_samples": len(lags),
            "lag_unseen": unseen}


SOLD = """
import sys
from uuid import UUID
from commands.ledger import Ledger
ledger = Ledger()
sold = 0
for e in ledger.store.events.get(originator_id=UUID(sys.argv[1])):
    kind = type(e).__name__
    if kind == "SeatsBooked":
        sold += e.quantity
    elif kind == "BookingCancelled":
        sold -= e.quantity
print(sold)
"""


PAID = """
import sys
from uuid import UUID
from commands.application.payments import payment_of_hold
from commands.ledger import Ledger
store = Ledger().store
found = [store.find_payment(payment_of_hold(UUID(h))) for h in sys.stdin.read().split()]
print(sum(p is not None and p.status == "succeeded" and p.booking_id is not None for p in found))
"""


# A run's confirmations as the sender left them: sent, not sent, a booking mailed more than
# once, and attempts past the first (a message handed over twice).
CONFIRMATIONS = """
SELECT count(*) FILTER (WHERE status = 'sent'), count(*) FILTER (WHERE status <> 'sent'),
       count(*) - count(DISTINCT booking_id), coalesce(sum(attempts - 1), 0)
FROM mail_messages WHERE event_id = %s AND kind = 'booking_confirmed' AND resend = 0
"""


def confirmations(pg_url: str, event_id: str) -> dict[str, int]:
    """The event's booking confirmations, counted in the messages table once the run settled."""
    with psycopg.connect(pg_url) as conn:
        row = conn.execute(CONFIRMATIONS, (event_id,)).fetchone()
    sent, unsent, repeated, retried = row if row is not None else (0, 0, 0, 0)
    return {"sent": int(sent), "unsent": int(unsent), "repeated": int(repeated),
            "retried": int(retried)}


def stored_sold(database_url: str, event_id: str) -> int:
    """Seats sold on an event, summed over its stored domain events (no snapshot, no cache)."""
    return _stored(database_url, [SOLD, str(UUID(event_id))])


def stored_paid(database_url: str, holds: list[str]) -> int:
    """Of these holds, how many have a stored payment that succeeded and names its booking."""
    return _stored(database_url, [PAID], "\n".join(holds))


def _stored(database_url: str, script: list[str], stdin: str = "") -> int:
    """A count printed by `script`, run on the store in a process of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CELERY_")}
    env |= {"DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    for attempt in range(3):  # a shared server can refuse a connection for a moment
        done = subprocess.run([sys.executable, "-c", *script], input=stdin,  # noqa: S603
                              env=env, cwd=ROOT, capture_output=True, text=True, check=False)
        if done.returncode == 0:
            return int(done.stdout.strip())
        print(f"counting the store failed (attempt {attempt + 1}):", done.stderr[-800:],
              file=sys.stderr)
        time.sleep(2)
    return -1
