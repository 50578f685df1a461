"""Projection catch-up in small wake-ups: the Merkle tree in the read models' batch, or apart.

    python -m bench.catchup [--events 20000] [--batches 8 64] [--rounds 3]

A fresh PostgreSQL database is filled with `--events` stored events (`bench.fill`); then the
projections catch up with it as a worker's wake-ups do at a fixed booking rate: a few events
each time. Two ways, alternated round by round on the same store, emptied in between:
- apart: the read models' batch, then the tree's own transaction (one more lock, log read,
  decoding and commit per wake-up);
- together: the tree follows the log in the read models' transaction (`projections.batch_loop`).
Prints the median events/s and this process's CPU µs per event (PostgreSQL's is not counted).
"""

import argparse
import statistics
import time
from collections.abc import Callable

from bench.db import bench_database
from bench.rebuild import _fill


def _empty() -> None:
    from sqlalchemy import delete  # noqa: PLC0415 - after the settings are set

    from core.db import session_scope  # noqa: PLC0415
    from projections import registry, tracking  # noqa: PLC0415
    from projections.proofs import tree  # noqa: PLC0415

    with session_scope() as session:
        for model in registry.REGISTRY.values():
            for table in model.tables:
                session.execute(delete(table))
        session.execute(delete(tree.nodes))
        session.execute(delete(tree.leaves))
        session.execute(delete(tracking.tracking))


def _ways(size: int) -> dict[str, Callable[[], int]]:
    from core.event_store.global_log import get_eventlog  # noqa: PLC0415
    from projections import registry  # noqa: PLC0415
    from projections.batch_loop import run_batches  # noqa: PLC0415
    from projections.proofs import tree  # noqa: PLC0415

    log, models = get_eventlog(), list(registry.REGISTRY.values())

    def apart() -> int:
        n = run_batches(models, [], log, size, max_batches=1)
        run_batches([], [tree.TREE], log, size, max_batches=1)
        return n[models[0].name]

    def together() -> int:
        return run_batches(models, [tree.TREE], log, size, max_batches=1)[models[0].name]

    return {"apart": apart, "together": together}


def _run(step: Callable[[], int]) -> tuple[float, float, int]:
    """Wake-ups until the log is in: (seconds, CPU seconds, events)."""
    _empty()
    wall, cpu, done = time.perf_counter(), time.process_time(), 0
    while n := step():
        done += n
    return time.perf_counter() - wall, time.process_time() - cpu, done


def run(args: argparse.Namespace, url: str) -> None:
    import multiprocessing  # noqa: PLC0415
    import os  # noqa: PLC0415

    os.environ["DATABASE_URL"] = url
    from core.db import reset_singletons  # noqa: PLC0415
    from core.settings import get_settings  # noqa: PLC0415
    from ops.migrate import migrate  # noqa: PLC0415

    reset_singletons()
    migrate(get_settings())
    spawn = multiprocessing.get_context("spawn")
    queue = spawn.Queue()
    child = spawn.Process(target=_fill, args=(url.replace("+psycopg", ""), args.events, queue))
    child.start()
    written, _ = queue.get()
    child.join()
    print(f"{written:,} events; each way {args.rounds} rounds, alternated")
    for size in args.batches:
        results: dict[str, list[tuple[float, float, int]]] = {"apart": [], "together": []}
        ways = _ways(size)
        for _ in range(args.rounds):
            for name, step in ways.items():
                results[name].append(_run(step))
        for name, runs in results.items():
            rate = statistics.median(n / s for s, _, n in runs)
            cpu_us = statistics.median(c / n * 1e6 for _, c, n in runs)
            print(f"  {size:>4} events per wake-up, {name:<8}: {rate:8,.0f} events/s, "
                  f"{cpu_us:6.0f} µs CPU per event (this process)")
    reset_singletons()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--batches", type=int, nargs="+", default=[8, 64])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with bench_database("bench_catchup") as url:
        run(args, url)


if __name__ == "__main__":
    main()
