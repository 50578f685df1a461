"""Rebuild benchmark: fill a fresh PostgreSQL database with N events, rebuild, print numbers.

    python -m bench.rebuild --events 1000000 [--keep] [--no-per-projection] [--log]
    python -m bench.rebuild --database-url URL   # again, on a database kept by --keep

The database (`bench_rebuild_<pid>_<hex>`) is created here and dropped afterwards unless
--keep. Filling runs in a child process, so the peak RSS printed is the rebuild's own.
"""

import argparse
import logging
import multiprocessing
import os
import resource
import time
from typing import Any

from bench import stack
from bench.db import bench_database


def rss_mb() -> float:
    """Resident memory now (Linux /proc), in MB."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def _fill(dsn: str, events: int, out: Any) -> None:
    from bench.fill import fill  # noqa: PLC0415 - in the child only
    from commands.ledger import Ledger  # noqa: PLC0415

    ledger = Ledger()
    started = time.perf_counter()
    written = fill(ledger, dsn, events)
    out.put((written, time.perf_counter() - started))
    ledger.close()


def run(args: argparse.Namespace, url: str) -> None:
    from commands.ledger import Ledger  # noqa: PLC0415 - after DATABASE_URL is set
    from core.db import reset_singletons  # noqa: PLC0415
    from core.settings import get_settings  # noqa: PLC0415
    from ops.migrate import migrate  # noqa: PLC0415
    from projections.rebuild import rebuild, rebuild_all  # noqa: PLC0415

    os.environ["DATABASE_URL"] = url
    reset_singletons()
    migrate(get_settings())
    if args.database_url:  # filled by an earlier run (--keep)
        written = Ledger(get_settings()).eventlog.last()
        print(f"reusing {written:,} events")
    else:
        queue: Any = multiprocessing.get_context("spawn").Queue()
        child = multiprocessing.get_context("spawn").Process(
            target=_fill, args=(url.replace("+psycopg", ""), args.events, queue))
        child.start()
        written, seconds = queue.get()
        child.join()
        print(f"filled {written:,} events in {seconds:.1f} s ({written / seconds:,.0f} events/s)")

    ledger = Ledger(get_settings())
    samples: dict[int, float] = {}

    parts: dict[int, list[float]] = {}

    def progress(name: str, done: int, total: int) -> None:
        for mark in (10, 50, 100):
            if mark not in samples and total and done * 100 >= mark * total:
                samples[mark] = rss_mb()
                parts[mark] = [stack.rss_mb(pid) for pid in stack.children(os.getpid())]

    started = time.perf_counter()
    applied = rebuild_all(ledger.eventlog, progress=progress)
    seconds = time.perf_counter() - started
    print(f"rebuild_all ({len(applied)} projections together, "
          f"{get_settings().rebuild_processes} processes): {written:,} events in "
          f"{seconds:.1f} s = {written / seconds:,.0f} events/s")
    print("RSS at " + ", ".join(f"{m}%: {mb:.0f} MB" for m, mb in sorted(samples.items()))
          + f"; peak {peak_mb():.0f} MB")
    growth = samples.get(100, 0) - samples.get(10, 0)
    print(f"memory growth 10% -> 100%: {growth:+.0f} MB ({'flat' if growth < 50 else 'GROWS'})")
    if any(parts.values()):  # a parallel fill: its processes' RSS at the same moments
        print("partition processes' RSS at " + ", ".join(
            f"{m}%: " + " + ".join(f"{mb:.0f}" for mb in rs) + " MB"
            for m, rs in sorted(parts.items()) if rs))
        first = sum(parts.get(10) or [0])
        last = sum(parts.get(50) or parts.get(10) or [0])
        print(f"partition memory growth 10% -> 50%: {last - first:+.0f} MB "
              f"({'flat' if last - first < 50 else 'GROWS'})")
    if args.per_projection:
        for name in applied:
            started = time.perf_counter()
            rebuild(name, ledger.eventlog)
            seconds = time.perf_counter() - started
            print(f"  {name:<13} alone: {seconds:6.1f} s = {written / seconds:,.0f} events/s")
    print(f"peak RSS {peak_mb():.0f} MB")
    ledger.close()
    reset_singletons()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--no-per-projection", dest="per_projection", action="store_false",
                        help="skip rebuilding each projection on its own")
    parser.add_argument("--database-url", help="rebuild a database an earlier --keep run filled")
    parser.add_argument("--log", action="store_true", help="log the rebuild's phases")
    args = parser.parse_args()
    if args.log:
        logging.basicConfig(level=logging.INFO, format="  %(name)s: %(message)s")
    if args.database_url:
        run(args, args.database_url)
        return
    with bench_database("bench_rebuild", keep=args.keep) as url:
        run(args, url)


if __name__ == "__main__":
    main()
