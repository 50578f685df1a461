"""Worker memory after big snapshots: `python -m bench.chaos.snapshot_rss [--bookings 16000]`.

Starts the system on a private PostgreSQL and Redis, books one event up to `--bookings`
(64 clients, as the suite's hot event), lets the workers take the snapshots owed, and prints
each worker's RSS: idle at the start, at its peak (sampled every second), and at the end.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench import stack
from bench.chaos.memory import rss
from bench.chaos.runner import ADMIN, customers, events, token
from bench.chaos.services import PrivatePostgres, PrivateRedis


def workers_mb(system: stack.System) -> dict[str, float]:
    return {p.name: round(rss([p.proc.pid]), 1) for p in system.procs
            if p.name.startswith("worker")}


def book(url: str, tokens: list[str], event: str, seconds: float) -> int:
    """Closed-loop bookings for `seconds`; how many were made."""
    spec = {"url": url, "concurrency": 64, "duration": seconds, "warmup": 0, "tokens": tokens,
            "kind": "book", "events": [event], "book_path": "/api/events/{event}/book"}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(spec, f)
    done = subprocess.run([sys.executable, "-m", "bench.load", f.name], check=True,  # noqa: S603
                          capture_output=True, text=True, cwd=stack.ROOT)
    return int(json.loads(done.stdout)["created"])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--bookings", type=int, default=16000)
    args = p.parse_args()
    pg, redis = PrivatePostgres(), PrivateRedis(Path(tempfile.mkdtemp(prefix="rss-redis-")))
    try:
        pg.start()
        redis.start()
        with stack.system("rss", ADMIN, workers=2, api_processes=2, admin_url=pg.admin_url,
                          redis_url=redis.url) as system:
            with httpx.Client(base_url=system.url, timeout=60) as client:
                admin = token(client, *ADMIN)
                tokens = [c["token"] for c in customers(client, admin, 16)]
            event = events(system.url, admin, 1)[0]["id"]
            idle = workers_mb(system)
            peak = dict(idle)
            stop = threading.Event()

            def sample() -> None:
                while not stop.wait(1.0):
                    for name, mb in workers_mb(system).items():
                        peak[name] = max(peak.get(name, 0.0), mb)

            threading.Thread(target=sample, daemon=True).start()
            made = 0
            while made < args.bookings:
                made += book(system.url, tokens, event, 20)
                print(f"{made} bookings; workers {workers_mb(system)} MB", flush=True)
            time.sleep(30)  # the snapshots owed, once the commits pause
            stop.set()
            print(json.dumps({"bookings": made, "idle_mb": idle, "peak_mb": peak,
                              "end_mb": workers_mb(system)}))
    finally:
        redis.stop()
        pg.destroy()


if __name__ == "__main__":
    main()
