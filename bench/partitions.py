"""Read models catching up with a backlog in 1, 2 and 4 partitions, each with as many workers.

    python -m bench.partitions [--events 200000] [--partitions 1 2 4] [--rounds 2]

A fresh PostgreSQL database is filled with `--events` stored events (`bench.fill`); then, for
each partition count in turn (alternated round by round on the same store, its read tables
and tracking rows emptied in between), as many worker processes as partitions catch the read
models up with the whole backlog, as woken workers do (`catch_up.advance_together`: a busy
partition is passed over, then waited for). Then the Merkle tree alone catches up with the
same backlog in one worker, as it does beside the partitions (one sequence, whatever the
count): the pace the partitions must not outrun. Prints the median events/s, the workers' CPU
µs per event (PostgreSQL's is not counted), and the machine's load average around each round.
"""

import argparse
import multiprocessing
import os
import statistics
import time
from typing import Any

from bench.catchup import _empty
from bench.db import bench_database
from bench.rebuild import _fill


def _worker(url: str, partitions: int, head: int, start: Any, out: Any) -> None:
    """In a child: catch up until every partition reached `head`; report this CPU's seconds."""
    os.environ["DATABASE_URL"] = url
    os.environ["PROJECTION_PARTITIONS"] = str(partitions)
    from core.event_store.global_log import get_eventlog  # noqa: PLC0415 - in the child only
    from projections import catch_up, tracking  # noqa: PLC0415

    log = get_eventlog()
    start.wait()
    cpu = time.process_time()
    while True:
        catch_up.advance_together(catch_up.PROJECTIONS, log)
        reached = tracking.current_positions()
        if all(reached.get(name, 0) >= head for name in catch_up.PROJECTIONS):
            break
    out.put(time.process_time() - cpu)


def _round(url: str, partitions: int, head: int, events: int) -> tuple[float, float, float]:
    """One catch-up of the backlog: (events/s, CPU µs per event, load average before)."""
    _empty()  # no tracking row: the workers lay them out in their PROJECTION_PARTITIONS
    spawn = multiprocessing.get_context("spawn")
    start, out = spawn.Barrier(partitions + 1), spawn.Queue()
    workers = [spawn.Process(target=_worker, args=(url, partitions, head, start, out))
               for _ in range(partitions)]
    for worker in workers:
        worker.start()
    load = os.getloadavg()[0]
    start.wait()
    wall = time.perf_counter()
    cpu = sum(out.get() for _ in workers)
    wall = time.perf_counter() - wall
    for worker in workers:
        worker.join()
    return events / wall, cpu / events * 1e6, load


def _tree(head: int, events: int) -> tuple[float, float, float]:
    """The Merkle tree alone over the backlog, in this process: as `_round` reports."""
    from core.event_store.global_log import get_eventlog  # noqa: PLC0415
    from projections import catch_up, tracking  # noqa: PLC0415
    from projections.proofs import tree  # noqa: PLC0415

    _empty()
    log, load = get_eventlog(), os.getloadavg()[0]
    wall, cpu = time.perf_counter(), time.process_time()
    while tracking.current_positions().get(tree.NAME, 0) < head:
        catch_up.advance(tree.NAME, log)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return events / wall, cpu / events * 1e6, load


def run(args: argparse.Namespace, url: str) -> None:
    os.environ["DATABASE_URL"] = url
    from core.db import reset_singletons  # noqa: PLC0415 - after DATABASE_URL is set
    from core.event_store.global_log import get_eventlog  # noqa: PLC0415
    from core.settings import get_settings  # noqa: PLC0415
    from ops.migrate import migrate  # noqa: PLC0415

    reset_singletons()
    migrate(get_settings())
    spawn = multiprocessing.get_context("spawn")
    queue: Any = spawn.Queue()
    child = spawn.Process(target=_fill, args=(url.replace("+psycopg", ""), args.events, queue))
    child.start()
    queue.get()  # (written, seconds): the log says what it holds
    child.join()
    log = get_eventlog()
    head, events = log.head(), log.count_through(log.head())
    print(f"{events:,} events up to position {head:,}; {os.cpu_count()} cores; "
          f"each count {args.rounds} rounds, alternated")
    results: dict[int, list[tuple[float, float, float]]] = {n: [] for n in args.partitions}
    for _ in range(args.rounds):
        for n in args.partitions:
            results[n].append(_round(url, n, head, events))
            rate, cpu, load = results[n][-1]
            print(f"    {n} partition(s): {rate:8,.0f} events/s, {cpu:5.0f} µs CPU per event, "
                  f"load {load:.2f}", flush=True)
    trees = [_tree(head, events) for _ in range(args.rounds)]
    for rate, cpu, load in trees:
        print(f"    the Merkle tree alone: {rate:8,.0f} events/s, {cpu:5.0f} µs CPU per event, "
              f"load {load:.2f}", flush=True)
    first = statistics.median(r for r, _, _ in results[args.partitions[0]])
    print("| partitions and workers | events/s | against one | workers' CPU µs per event "
          "| load average before |")
    print("|---:|---:|---:|---:|---|")
    for n, runs in results.items():
        rate = statistics.median(r for r, _, _ in runs)
        cpu = statistics.median(c for _, c, _ in runs)
        loads = ", ".join(f"{lo:.2f}" for _, _, lo in runs)
        print(f"| {n} | {rate:,.0f} | {rate / first:.2f}x | {cpu:.0f} | {loads} |")
    rate = statistics.median(r for r, _, _ in trees)
    cpu = statistics.median(c for _, c, _ in trees)
    loads = ", ".join(f"{lo:.2f}" for _, _, lo in trees)
    print(f"| the Merkle tree alone, 1 worker | {rate:,.0f} | {rate / first:.2f}x | {cpu:.0f} "
          f"| {loads} |")
    reset_singletons()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--partitions", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with bench_database("bench_partitions") as url:
        run(args, url)


if __name__ == "__main__":
    main()
