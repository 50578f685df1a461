"""Store-level append rate: one event per append, each to a stream of its own.

`python -m bench.store` appends from 1, 8 and 32 connections (threads) to a fresh database,
in rounds, three ways side by side:

- plain: an autocommitted `INSERT … RETURNING` of the same row into a table of the same
  shape with no lock (this disk's and this PostgreSQL's limit);
- store: the store's recorder (`LedgerRecorder.insert_events`: no table lock, one
  autocommitted INSERT), pool and all, as the app configures it;
- locked: the same row appended as the store did before: `LOCK TABLE … IN EXCLUSIVE MODE`,
  NOTIFY, insert, COMMIT in one pipeline, the lock held through the commit.

Prints rate, p50 and p99 per append (medians over the rounds) and the ratios to plain.
"""

import argparse
import os
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any
from uuid import uuid4

import psycopg
from eventsourcing.persistence import StoredEvent

from bench.db import bench_database
from core.db import libpq_url

CONNECTIONS = (1, 8, 32)
STATE = os.urandom(300)  # about a booking's stored size
TOPIC = "bench.store:Appended"
PLAIN = (
    "CREATE TABLE plain_events (originator_id uuid NOT NULL, originator_version bigint NOT NULL, "
    "topic text, state bytea, notification_id bigserial, "
    "PRIMARY KEY (originator_id, originator_version))",
    "CREATE UNIQUE INDEX plain_events_notification_id ON plain_events (notification_id)",
)
INSERT = ("INSERT INTO {} (originator_id, originator_version, topic, state) "
          "VALUES (%s, 1, %s, %s) RETURNING notification_id")
Append = Callable[[], None]


def plain(url: str) -> Append:
    conn = psycopg.connect(url, autocommit=True)
    statement = INSERT.format("plain_events")

    def append() -> None:
        conn.execute(statement, (uuid4(), TOPIC, STATE), prepare=True).fetchone()
    return append


def locked(url: str) -> Append:
    conn = psycopg.connect(url, autocommit=True)
    statement = INSERT.format("ledger_events")

    def append() -> None:
        with conn.cursor() as cur, conn.cursor() as inserted:
            with conn.pipeline():
                cur.execute("BEGIN")
                cur.execute("SET LOCAL lock_timeout = '5s'")
                cur.execute("LOCK TABLE ledger_events IN EXCLUSIVE MODE")
                cur.execute("NOTIFY ledger_events")
                inserted.execute(statement, (uuid4(), TOPIC, STATE), prepare=True)
                cur.execute("COMMIT")
            inserted.fetchone()
    return append


def store(recorder: Any) -> Callable[[str], Append]:
    def make(_: str) -> Append:
        return lambda: recorder.insert_events([StoredEvent(uuid4(), 1, TOPIC, STATE)])
    return make


def measure(
    make: Callable[[str], Append], url: str, clients: int, seconds: float
) -> dict[str, float]:
    """Appends from `clients` threads for `seconds`: rate and latency percentiles (ms)."""
    appends = [make(url) for _ in range(clients)]
    latencies: list[list[float]] = [[] for _ in range(clients)]
    start = threading.Barrier(clients + 1)
    stop = threading.Event()

    def run(k: int) -> None:
        start.wait()
        while not stop.is_set():
            began = time.perf_counter()
            appends[k]()
            latencies[k].append(time.perf_counter() - began)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    every = sorted(x for per in latencies for x in per)
    return {"rate": len(every) / elapsed, "p50": 1000 * every[len(every) // 2],
            "p99": 1000 * every[int(len(every) * 0.99)]}


def run(url: str, seconds: float, rounds: int) -> dict[tuple[str, int], dict[str, float]]:
    from commands.ledger import Ledger  # noqa: PLC0415 - after DATABASE_URL is set
    from core.db import reset_singletons  # noqa: PLC0415
    from core.settings import get_settings  # noqa: PLC0415
    from ops.migrate import migrate  # noqa: PLC0415

    os.environ.update(DATABASE_URL=url, DB_POOL_SIZE=str(max(CONNECTIONS)), DB_MAX_OVERFLOW="0")
    reset_singletons()
    migrate(get_settings())
    libpq = libpq_url(url)
    with psycopg.connect(libpq, autocommit=True) as conn:
        for statement in PLAIN:
            conn.execute(statement)
    ledger = Ledger(get_settings())
    ways = {"plain": plain, "store": store(ledger.recorder), "locked": locked}
    samples: dict[tuple[str, int], list[dict[str, float]]] = {}
    try:
        for k in range(rounds):
            for clients in CONNECTIONS:
                for name, make in ways.items():  # side by side in each round
                    found = measure(make, libpq, clients, seconds)
                    samples.setdefault((name, clients), []).append(found)
                    print(f"round {k + 1} {name:>6} x{clients:<2} {found['rate']:8,.0f}/s")
    finally:
        ledger.close()
    return {key: {m: statistics.median(s[m] for s in runs) for m in ("rate", "p50", "p99")}
            for key, runs in samples.items()}


def table(results: dict[tuple[str, int], dict[str, float]]) -> str:
    """The medians as a Markdown table, with each rate's ratio to plain INSERT."""
    lines = ["| connections | way | appends/s | p50 ms | p99 ms | ÷ plain |",
             "|---:|---|---:|---:|---:|---:|"]
    for clients in CONNECTIONS:
        base = results[("plain", clients)]["rate"]
        for name in ("plain", "store", "locked"):
            r = results[(name, clients)]
            lines.append(f"| {clients} | {name} | {r['rate']:,.0f} | {r['p50']:.2f} | "
                         f"{r['p99']:.2f} | {r['rate'] / base:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="medians over this many")
    args = parser.parse_args()
    with bench_database("bench_store") as url:
        print(table(run(url, args.seconds, args.rounds)))


if __name__ == "__main__":
    main()
