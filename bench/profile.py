"""Where an API process's CPU goes under a booking load: py-spy over the running system.

    python -m bench.profile [--scenario spread|hot|checkout|paid] [--target api|workers|messages]
                            [--seconds 10]

Starts the system as `bench.suite` does (API processes, workers, beat; its own database),
loads it with bookings (spread over `--events` events, or one hot event; `checkout`: one hot
event, each booking a hold then its confirmation; `paid`: one hot event of a paid category, each
order a hold then its payment through localstripe, started for it as the suite starts it), records
every API
(or worker) process with py-spy meanwhile (only the thread holding the GIL: Python's CPU, not
threads waiting on sockets), and prints the functions that hold the most samples, by self time and
including what they call. The collapsed stacks go to bench/results/ (open them in
speedscope or flamegraph.pl). py-spy needs ptrace: root, or CAP_SYS_PTRACE.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import Any

from bench import paid, stack
from bench.measure import CpuMeter
from bench.suite import ADMIN, HOT_SEATS, Suite, setup


def collapsed(path: Path) -> Counter[str]:
    """Each collapsed stack ("frame;frame;... count") and its samples."""
    stacks: Counter[str] = Counter()
    for line in path.read_text(errors="replace").splitlines():
        frames, _, count = line.rpartition(" ")
        if frames and count.isdigit():  # a frame named by a multi-line string breaks its line
            stacks[frames] += int(count)
    return stacks


def tops(stacks: Counter[str], n: int) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """The `n` frames holding the most samples on top of the stack, and anywhere in it."""
    own: Counter[str] = Counter()
    anywhere: Counter[str] = Counter()
    for frames, count in stacks.items():
        names = frames.split(";")
        own[names[-1]] += count
        for name in set(names):
            anywhere[name] += count
    return own.most_common(n), anywhere.most_common(n)


def record(pids: list[int], seconds: float, out: Path) -> list[Path]:
    """py-spy on each process at once, for `seconds`; their collapsed-stack files."""
    files = [out / f"{pid}.txt" for pid in pids]
    spies = [subprocess.Popen(  # noqa: S603 - our own tool on our own processes
        [str(stack.BIN / "py-spy"), "record", "--pid", str(pid), "--duration", str(int(seconds)),
         "--rate", "200", "--format", "raw", "--nonblocking", "--gil", "--output", str(f)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for pid, f in zip(pids, files, strict=True)]
    for spy in spies:
        _, err = spy.communicate()
        if spy.returncode != 0:
            raise RuntimeError(f"py-spy failed: {err.decode()[-400:]}")
    return files


def run(args: argparse.Namespace) -> None:
    with ExitStack() as started:
        payments: dict[str, str] = {}
        if args.scenario == "paid":
            logs = Path(tempfile.mkdtemp(prefix="profile-stripe-"))
            payments = started.enter_context(paid.provider(logs))
        system = started.enter_context(stack.system(
            "profile", ADMIN, workers=args.workers, api_processes=args.api_processes,
            extra_env=payments, apart=args.ports == "apart"))
        url = system.url
        if payments:
            paid.register_webhook(system.env, url)
        tokens, admin = setup(url, 16)
        suite = Suite(argparse.Namespace(duration=args.seconds + 2, warmup=1.0), system.env,
                      {"API": [url], "CRUD": [""]}, tokens, admin, CpuMeter({}))
        count = args.events if args.scenario == "spread" else 1
        price = "10.00" if args.scenario == "paid" else None
        with ThreadPoolExecutor(8) as pool:
            events = list(pool.map(lambda _: suite.ledger_event(HOT_SEATS, price=price),
                                   range(count)))
        spec = {"url": url, "urls": system.api.urls, "concurrency": args.clients,
                "duration": args.seconds + 2, "warmup": 1.0, "tokens": tokens, "kind": "book",
                "events": events, "book_path": "/api/events/{event}/book"}
        if args.scenario == "checkout":
            spec |= {"kind": "hold_confirm", "book_path": "/api/events/{event}/holds",
                     "confirm_path": "/api/holds/{hold}/confirm"}
        if args.scenario == "paid":
            spec |= paid.PAY | {"cards": paid.cards(system.env, args.cards)}
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(spec, f)
        load = subprocess.Popen([sys.executable, "-m", "bench.load", f.name],  # noqa: S603
                                stdout=subprocess.PIPE, text=True, cwd=stack.ROOT)
        time.sleep(1.5)  # past the warm-up
        out = args.out / f"profile-{args.scenario}-{time.strftime('%Y%m%dT%H%M%S')}"
        out.mkdir(parents=True)
        # The webhooks' worker sends the buyers' messages (and the deliveries): the suite's
        # "messages" column.
        targets: dict[str, Callable[[], list[int]]] = {
            "api": system.api.pids, "workers": partial(system.pids_of, "worker", "beat"),
            "messages": partial(system.pids_of, "webhooks")}
        pids = targets[args.target]()
        files = record(pids, args.seconds, out)
        result = json.loads(load.communicate()[0])
        report(args, result, files, out)


def report(args: argparse.Namespace, result: dict[str, Any], files: list[Path],
           out: Path) -> None:
    """The rate reached, then the frames holding the most samples."""
    stacks: Counter[str] = Counter()
    for file in files:
        stacks += collapsed(file)
    total = sum(stacks.values())
    print(f"{args.scenario}: {result['rate']:.0f} bookings/s, p99 {result['p99_ms']:.0f} ms; "
          f"{total} samples over {len(files)} {args.target} processes", flush=True)
    own, anywhere = tops(stacks, args.top)
    for title, rows in (("self", own), ("including callees", anywhere)):
        print(f"\n{title}:")
        for name, count in rows:
            print(f"  {100 * count / max(1, total):5.1f}%  {name}")
    print(f"\ncollapsed stacks: {out}")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--scenario", choices=["spread", "hot", "checkout", "paid"], default="spread")
    p.add_argument("--cards", type=int, default=1500,
                   help="cards made at localstripe before a paid run (reused once all were used)")
    p.add_argument("--target", choices=["api", "workers", "messages"], default="api",
                   help="the processes recorded")
    p.add_argument("--seconds", type=float, default=10.0, help="seconds recorded")
    p.add_argument("--clients", type=int, default=64)
    p.add_argument("--events", type=int, default=1000, help="events of the spread scenario")
    p.add_argument("--api-processes", type=int, default=2)
    p.add_argument("--ports", choices=["apart", "shared"], default="apart",
                   help="as the suite's: each API process on a port of its own, or sharing one")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--top", type=int, default=30, help="frames listed")
    p.add_argument("--out", type=Path, default=stack.ROOT / "bench" / "results")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    run(parse(argv))


if __name__ == "__main__":
    main()
