"""Reads on a streaming replica against reads on the primary alone, during an on-sale.

    python -m bench.replica_reads [--duration 15] [--repeat 3] [--clients 32] [--book-rate 200]

Starts a private PostgreSQL primary and a streaming replica of it (`bench.chaos.services`), the
system on the primary (Celery workers, an API reading on the primary alone), and a second API
whose reads go to the replica (READ_DATABASE_URLS). Each run books at a steady rate in the
background (so the read models move and the answers' cache keeps missing, as in an on-sale)
while `--clients` anonymous clients read the event list or one event's page from one API, then
the other, alternated. It prints reads per second, latency, and the cores each database server
kept busy meanwhile (the bookings' share is the same in every run): the primary's is what
replicas take off it. JSON and a markdown table go to
bench/results/. See bench/README.md.
"""

import argparse
import base64
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench import stack
from bench.chaos.services import PrivatePostgres, PrivateReplica
from bench.measure import CpuMeter, replica_reads
from bench.suite import ADMIN, HOT_SEATS, setup

TARGETS = ("primary alone", "replica")
# The event list and page are answered from each API process's cache while their position
# stays put; a user's own bookings are read from the database each time.
READS = {"GET /api/events": "/api/events", "GET /api/events/{id}": "/api/events/{event}",
         "GET /api/users/{id}/bookings": "/api/users/{user}/bookings"}


def load_spec(url: str, clients: int, args: argparse.Namespace, **spec: Any) -> Path:
    body = {"url": url, "concurrency": clients, "duration": args.duration,
            "warmup": args.warmup, "tokens": spec.pop("tokens", [""]),
            "book_path": "/api/events/{event}/book"} | spec
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(body, f)
    return Path(f.name)


def run_reads(args: argparse.Namespace, url: str, path: str, events: list[str],  # noqa: PLR0913 - one run's parts
              tokens: list[str], bookings: Path, meter: CpuMeter) -> dict[str, Any]:
    """One run: bookings at a steady rate in the background, reads counted in the foreground."""
    mine = {"tokens": tokens, "users": [user_of(t) for t in tokens]} if "{user}" in path else {}
    reads = load_spec(url, args.clients, args, kind="get", path=path, events=events, **mine)
    writer = subprocess.Popen([sys.executable, "-m", "bench.load", str(bookings)],  # noqa: S603
                              stdout=subprocess.PIPE, text=True, cwd=stack.ROOT)
    try:
        before, began = meter.read(), time.monotonic()
        done = subprocess.run([sys.executable, "-m", "bench.load", str(reads)],  # noqa: S603
                              capture_output=True, text=True, check=True, cwd=stack.ROOT)
        spent, wall = CpuMeter.spent(before, meter.read()), time.monotonic() - began
    finally:
        writer.wait(timeout=args.duration + 60)
        reads.unlink()
    result: dict[str, Any] = json.loads(done.stdout)
    # Cores busy over the run: the bookings' share is the same in every run (a steady rate),
    # the rest is the reads'.
    result["cores"] = {k: v / wall for k, v in spent.items()}
    return result


def user_of(token: str) -> str:
    """The user id a bearer token names (its `sub`; read, not verified: our own tokens)."""
    payload = token.split(".")[1]
    return str(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"])


def run(args: argparse.Namespace) -> dict[str, Any]:
    with ExitStack() as started:
        primary = PrivatePostgres(prefix="bench-primary-", shared_buffers="128MB")
        primary.start()
        started.callback(primary.destroy)
        replica = PrivateReplica(primary, prefix="bench-replica-")
        replica.start()
        started.callback(replica.destroy)
        system = started.enter_context(stack.system(
            "bench_replica", ADMIN, workers=args.workers, api_processes=args.api_processes,
            admin_url=primary.admin_url))
        api_env = stack.role_env(system.env, "api") | {
            "READ_DATABASE_URLS": json.dumps([replica.url(system.env["API_DATABASE_URL"])]),
            # Its own metrics: /metrics then counts this API's reads alone.
            "PROMETHEUS_MULTIPROC_DIR": str(Path(tempfile.mkdtemp(prefix="bench-replica-m-")))}
        replica_api, replica_url = stack.serve("api-replica", "query_api.main:app", api_env,
                                               system.logs, args.api_processes)
        system.procs += replica_api.procs
        urls = {"primary alone": system.url, "replica": replica_url}
        tokens, admin = setup(system.url, args.customers)
        events = [make_event(system.url, admin) for _ in range(args.events)]
        bookings = load_spec(system.url, args.book_clients, args, kind="book", events=events,
                             rate=args.book_rate, tokens=tokens, duration=args.duration + 5)
        meter = CpuMeter({"primary PostgreSQL": primary.pids, "replica PostgreSQL": replica.pids})
        print(f"up: primary :{primary.port}, replica :{replica.port}; {args.events} events",
              flush=True)
        runs: dict[str, list[dict[str, Any]]] = {}
        for r in range(args.repeat):
            for read, path in READS.items():
                for target in TARGETS:
                    name = f"{read}, {target}"
                    result = run_reads(args, urls[target], path, events, tokens, bookings,
                                       meter)
                    runs.setdefault(name, []).append(result)
                    print(f"  [{r + 1}/{args.repeat}] {name}: {result['rate']:.0f}/s "
                          f"p50 {result['p50_ms']:.1f} ms p99 {result['p99_ms']:.1f} ms; "
                          f"primary PG {result['cores']['primary PostgreSQL']:.2f} cores",
                          flush=True)
        bookings.unlink()
        return {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "settings": {k: str(v) for k, v in vars(args).items()},
            "load_average": os.getloadavg(),
            "served_by_replica": replica_reads(replica_url),
            "results": {name: medians(rs) for name, rs in runs.items()},
        }


def make_event(url: str, admin: dict[str, str]) -> str:
    body = {"name": f"Replica bench {time.monotonic_ns() % 10**6}", "venue": "Arena",
            "total_seats": HOT_SEATS, "price": "10.00",
            "starts_at": datetime(2099, 1, 1, tzinfo=UTC).isoformat()}
    r = httpx.post(f"{url}/api/events", json=body, headers=admin, timeout=30)
    r.raise_for_status()
    return str(r.json()["id"])


def medians(runs: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {k: statistics.median(r[k] for r in runs)
                           for k in ("rate", "p50_ms", "p99_ms")}
    out["cores"] = {k: statistics.median(r["cores"][k] for r in runs) for k in runs[0]["cores"]}
    out["statuses"] = runs[-1]["statuses"]
    out["rates"] = [round(r["rate"]) for r in runs]
    return out


def markdown(report: dict[str, Any]) -> str:
    lines = [f"Reads during an on-sale ({report['when']}, load average "
             f"{', '.join(f'{x:.2f}' for x in report['load_average'])})", "",
             "| reads | served by | reads/s | p50 ms | p99 ms | primary PostgreSQL, cores "
             "| replica PostgreSQL, cores |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for name, r in report["results"].items():
        read, target = name.rsplit(", ", 1)
        cores = r["cores"]
        lines.append(f"| {read} | {target} | {r['rate']:.0f} | {r['p50_ms']:.1f} | "
                     f"{r['p99_ms']:.1f} | {cores['primary PostgreSQL']:.2f} | "
                     f"{cores['replica PostgreSQL']:.2f} |")
    lines.append("")
    lines.append(f"Reads the replica API served on the replica: {report['served_by_replica']:.0f}")
    return "\n".join(lines)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--duration", type=float, default=15.0, help="seconds per run")
    p.add_argument("--warmup", type=float, default=1.0)
    p.add_argument("--repeat", type=int, default=3, help="runs per read and target (medians)")
    p.add_argument("--clients", type=int, default=32, help="reading clients")
    p.add_argument("--book-rate", type=float, default=200.0, help="bookings/s meanwhile")
    p.add_argument("--book-clients", type=int, default=8)
    p.add_argument("--events", type=int, default=50)
    p.add_argument("--customers", type=int, default=16)
    p.add_argument("--api-processes", type=int, default=1, help="per API")
    p.add_argument("--workers", type=int, default=1, help="Celery worker processes")
    p.add_argument("--out", type=Path, default=stack.ROOT / "bench" / "results")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    report = run(args)
    table = markdown(report)
    print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = report["when"].replace(":", "")
    (args.out / f"replica-reads-{stamp}.json").write_text(json.dumps(report, indent=2))
    (args.out / f"replica-reads-{stamp}.md").write_text(table + "\n")


if __name__ == "__main__":
    main()
