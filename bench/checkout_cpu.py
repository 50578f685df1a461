"""A checkout's CPU against a direct booking's, in the API processes, user and system apart.

    python -m bench.checkout_cpu [--rounds 3] [--seconds 7] [--clients 64]

Starts the system as `bench.suite` does, then in each round loads a new hot event with direct
bookings, then another with checkouts (a hold, then its confirmation), and reads the API
processes' user and system CPU over the middle of each load: per booking made, and the
checkout's ratio to the direct booking in that round. System time is the kernel's side
(sockets, wake-ups); user time is Python and the C it calls.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from typing import Any

from bench import stack
from bench.measure import CpuMeter, cpu_split
from bench.suite import ADMIN, HOT_SEATS, Suite, setup

CHECKOUT = {"kind": "hold_confirm", "book_path": "/api/events/{event}/holds",
            "confirm_path": "/api/holds/{hold}/confirm"}


def measured(suite: Suite, pids: list[int], spec: dict[str, Any],
             seconds: float) -> dict[str, float]:
    """Bookings per second, and user and system CPU per booking in ms, over `seconds`."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(spec | {"events": [suite.ledger_event(HOT_SEATS)]}, f)
    load = subprocess.Popen([sys.executable, "-m", "bench.load", f.name],  # noqa: S603
                            stdout=subprocess.PIPE, text=True, cwd=stack.ROOT)
    time.sleep(spec["warmup"])
    before, started = [cpu_split(p) for p in pids], time.monotonic()
    time.sleep(seconds)
    after, elapsed = [cpu_split(p) for p in pids], time.monotonic() - started
    rate = float(json.loads(load.communicate()[0])["rate"])
    made = max(1.0, rate * elapsed)
    return {"rate": rate,
            "user_ms": 1000 * sum(a[0] - b[0] for a, b in zip(after, before, strict=True)) / made,
            "sys_ms": 1000 * sum(a[1] - b[1] for a, b in zip(after, before, strict=True)) / made}


def run(args: argparse.Namespace) -> None:
    with stack.system("checkout-cpu", ADMIN, workers=2, api_processes=2) as system:
        tokens, admin = setup(system.url, args.customers)
        suite = Suite(argparse.Namespace(duration=args.seconds + 2, warmup=1.0), system.env,
                      {"API": [system.url], "CRUD": [""]}, tokens, admin, CpuMeter({}))
        base = {"url": system.url, "concurrency": args.clients, "duration": args.seconds + 2,
                "warmup": 1.0, "tokens": tokens, "kind": "book",
                "book_path": "/api/events/{event}/book"}
        print("| round | scenario | bookings/s | user ms | system ms | total ms | checkout / "
              "direct |\n|---|---|---:|---:|---:|---:|---:|", flush=True)
        for n in range(1, args.rounds + 1):
            direct = measured(suite, system.api.pids(), base, args.seconds)
            checkout = measured(suite, system.api.pids(), base | CHECKOUT, args.seconds)
            ratio = (checkout["user_ms"] + checkout["sys_ms"]) / (
                direct["user_ms"] + direct["sys_ms"])
            for name, r, shown in (("direct", direct, ""), ("checkout", checkout,
                                                             f"{ratio:.2f}x")):
                print(f"| {n} | {name} | {r['rate']:,.0f} | {r['user_ms']:.3f} | "
                      f"{r['sys_ms']:.3f} | {r['user_ms'] + r['sys_ms']:.3f} | {shown} |",
                      flush=True)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--seconds", type=float, default=7.0, help="seconds measured per load")
    p.add_argument("--clients", type=int, default=64)
    p.add_argument("--customers", type=int, default=16)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    run(parse(argv))


if __name__ == "__main__":
    main()
