"""The chaos soak: `python -m bench.chaos [--minutes 10] [--seed 21]`.

Starts a private PostgreSQL cluster, a streaming replica of it (the API reads there) and a
private Redis (never the machine's shared ones), the system on them as `bench.suite` does,
events and customers; then the load (its own
process), the fault schedule and the RSS sampler side by side; at the end the checker reads
the history, the store and the read tables. Results go to bench/results/chaos-<time>/:
history.jsonl, report.json, report.md and rss.html. Exits 1 when a check fails.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple
from uuid import uuid4

import httpx

from bench import stack
from bench.chaos import checker, faults, history, memory, plot, windows
from bench.chaos.report import markdown
from bench.chaos.services import PrivatePostgres, PrivateRedis, PrivateReplica
from bench.measure import replica_reads

ADMIN = ("chaos-admin@example.com", "chaos-admin-password")
BIG, SCARCE = 1_000_000, (200, 100)


def token(client: httpx.Client, email: str, password: str) -> str:
    r = client.post("/api/auth/token", data={"username": email, "password": password})
    r.raise_for_status()
    return str(r.json()["access_token"])


def customers(client: httpx.Client, admin: str, count: int) -> list[dict[str, str]]:
    """Customers made by the admin (no sign-up rate limit), each with a token."""
    out = []
    for i in range(count):
        email = f"chaos{i}-{uuid4().hex[:6]}@chaos.test"
        r = client.post("/api/users", headers={"Authorization": f"Bearer {admin}"},
                        json={"email": email, "password": "password-123", "name": f"C{i}",
                              "role": "customer"})
        r.raise_for_status()
        out.append({"user": str(r.json()["id"]), "token": token(client, email, "password-123")})
    return out


def events(url: str, admin: str, count: int) -> list[dict[str, Any]]:
    """One hot event with a million seats, four hot and scarce ones, the rest cold."""
    starts = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    shapes: list[tuple[list[tuple[str, int]], float]] = [([("Arena", BIG)], 0.2)]
    shapes += [([("Floor", SCARCE[0]), ("Balcony", SCARCE[1])], 0.05)] * 4
    cold = max(1, count - len(shapes))
    shapes += [([("General", 2000)], 0.6 / cold)] * cold

    def create(shape: tuple[list[tuple[str, int]], float]) -> dict[str, Any]:
        categories = [{"name": n, "price": "10.00", "capacity": c} for n, c in shape[0]]
        r = httpx.post(f"{url}/api/events", headers={"Authorization": f"Bearer {admin}"},
                       timeout=30, json={"name": f"Chaos {uuid4().hex[:6]}", "venue": "Hall",
                                         "starts_at": starts, "categories": categories})
        r.raise_for_status()
        return {"id": r.json()["id"], "categories": [n for n, _ in shape[0]], "weight": shape[1]}

    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(create, shapes))


class Servers(NamedTuple):
    """The private servers of a run: those its faults may stop."""

    pg: PrivatePostgres
    redis: PrivateRedis
    replica: PrivateReplica | None


def verified(client: httpx.Client, headers: dict[str, str], timeout: float = 900
             ) -> dict[str, Any]:
    """The report of a verify run started now and followed to its end ({"ok": False} if it
    does not start or finish)."""
    started = client.post("/api/audit/verify-runs", headers=headers)
    if started.status_code != 202:
        return {"ok": False}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = client.get(f"/api/audit/verify-runs/{started.json()['id']}", headers=headers)
        if run.status_code == 200 and run.json()["status"] != "running":
            report: dict[str, Any] = run.json()["report"] or {"ok": False}
            return report
        time.sleep(1)
    return {"ok": False}


def soak(args: argparse.Namespace, system: stack.System, servers: Servers,
         out: Path) -> dict[str, Any]:
    """Load, faults and samples side by side; the evidence gathered after."""
    with httpx.Client(base_url=system.url, timeout=60) as client:
        admin = token(client, *ADMIN)
        people = customers(client, admin, args.customers)
    made = events(system.url, admin, args.events)
    seconds = args.minutes * 60
    spec = {"url": system.url, "admin": admin, "customers": people, "events": made,
            "watched": [e["id"] for e in made[:5]], "seed": args.seed, "out": str(out),
            "duration": seconds, "fraction": args.fraction, "probe_seconds": args.probe_seconds,
            "read_rate": args.read_rate, "cancel_share": 0.15, "timeout": 10}
    (out / "spec.json").write_text(json.dumps(spec))
    pg, redis, replica = servers
    watched = {"postgres": pg.pids, "redis": redis.pids} | (
        {"replica": replica.pids} if replica is not None else {})
    sampler = memory.Sampler(memory.processes(system, watched))
    sampler.start()
    injector = faults.Injector(system, pg, redis, admin, args.seed, replica)
    load = subprocess.Popen([sys.executable, "-m", "bench.chaos.load", str(out / "spec.json")],  # noqa: S603
                            cwd=stack.ROOT, stdout=subprocess.PIPE, text=True)
    said: dict[str, Any] = {}
    for line in load.stdout or ():
        said = json.loads(line)
        print("load:", line.strip(), flush=True)
        if said["phase"] == "soak":
            injector.start(faults.schedule(args.seed, seconds))
        elif said["phase"] == "quiet":
            soak_end = said["t"]
    if load.wait() != 0 or said.get("phase") != "done":
        raise RuntimeError("the load generator failed")
    injector.join()
    sampler.stop()
    with httpx.Client(base_url=system.url, timeout=60) as client:
        verify = verified(client, {"Authorization": f"Bearer {admin}"})
        layout = {p["name"]: len(p["partitions"]) for p in client.get(
            "/api/projections", headers={"Authorization": f"Bearer {admin}"}).json()}
    dump = out / "store.json"
    subprocess.run([sys.executable, "-m", "bench.chaos.store", str(dump)], env=system.env,  # noqa: S603
                   cwd=stack.ROOT, check=True)
    found = json.loads(dump.read_text())
    ops = list(history.read(out / "history.jsonl"))
    evidence = checker.Evidence(
        store=found["store"], read=found["read"], log=found["log"],
        feed=json.loads((out / "feed.json").read_text()),
        streams=json.loads((out / "streams.json").read_text()),
        verify=verify, faults=[f.as_dict() for f in injector.faults])
    result = checker.check(ops, evidence)
    fault_list = evidence.faults
    mem = memory.summary(sampler.samples, faults=fault_list)
    (out / "rss.html").write_text(plot.page(sampler.samples, fault_list, "Chaos soak: RSS"))
    (out / "rss.json").write_text(json.dumps(sampler.samples))
    settled_load = {"settled": said.get("settled"), "feed_caught_up": said.get("feed_caught_up")}
    if not all(settled_load.values()):
        result.fail("quiet", f"the system did not settle after the soak: {settled_load}")
    return {"ok": result.ok and all(m["ok"] for m in mem.values()),
            "check": result.summary(), "indeterminate": result.indeterminate[:100],
            "load": said, "soak_end": soak_end, "faults": fault_list,
            "windows": windows.windows(ops, fault_list, soak_end),
            "overall": windows.overall(ops), "memory": mem,
            "verify": {k: evidence.verify.get(k) for k in ("ok", "checked_events",
                                                           "checked_streams")},
            "replica_reads": replica_reads(system.url),
            "partitions": layout, "streams": evidence.streams}


def reads_on_replicas(url: str) -> float:
    """The reads of the read models the API processes served on a replica (`/metrics`)."""
    text = httpx.get(f"{url}/metrics", timeout=30).text
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith('ledger_reads_total{database="replica-'))


def run(args: argparse.Namespace) -> dict[str, Any]:
    out = args.out / f"chaos-{datetime.now(UTC):%Y%m%dT%H%M%S}"
    out.mkdir(parents=True)
    pg = PrivatePostgres()
    redis = PrivateRedis(Path(tempfile.mkdtemp(prefix="chaos-redis-")))
    replica: PrivateReplica | None = None
    try:
        pg.start()
        if args.replica:  # a copy of the fresh cluster, following it from then on
            replica = PrivateReplica(pg)
            replica.start()
        redis.start()
        with stack.system("chaos", ADMIN, workers=args.workers, api_processes=args.api_processes,
                          admin_url=pg.admin_url, redis_url=redis.url,
                          extra_env={"PROJECTION_PARTITIONS": str(args.partitions)},
                          replica_ports=[replica.port] if replica else []) as system:
            print(f"system up: API x{args.api_processes} {system.url}, {args.workers} workers; "
                  f"private PostgreSQL :{pg.port}"
                  f"{f', its replica :{replica.port}' if replica else ''}, Redis :{redis.port}; "
                  f"results {out}", flush=True)
            report = soak(args, system, Servers(pg, redis, replica), out)
            report["logs"] = str(system.logs)
    finally:
        redis.stop()
        if replica is not None:
            replica.destroy()
        pg.destroy()
    report |= {"when": datetime.now(UTC).isoformat(timespec="seconds"), "out": str(out),
               "settings": {k: v for k, v in vars(args).items() if k != "out"}}
    (out / "report.json").write_text(json.dumps(report, indent=1, default=str))
    (out / "report.md").write_text(markdown(report))
    return report


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--minutes", type=float, default=10.0, help="length of the soak")
    p.add_argument("--seed", type=int, default=21, help="fixes the fault schedule and the load")
    p.add_argument("--api-processes", type=int, default=3)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--events", type=int, default=200)
    p.add_argument("--customers", type=int, default=32)
    p.add_argument("--fraction", type=float, default=0.6, help="of the measured maximum")
    p.add_argument("--probe-seconds", type=float, default=5.0)
    p.add_argument("--read-rate", type=float, default=20.0, help="reader sessions per second")
    p.add_argument("--no-replica", dest="replica", action="store_false",
                   help="every read on the primary (no streaming replica)")
    p.add_argument("--partitions", type=int, default=2,
                   help="PROJECTION_PARTITIONS: each read model's catch-up split in this many")
    p.add_argument("--out", type=Path, default=stack.ROOT / "bench" / "results")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    report = run(parse(argv))
    print(markdown(report))
    print("written:", report["out"])
    sys.exit(0 if report["ok"] else 1)
