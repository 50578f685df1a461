"""The performance suite: the ledger on PostgreSQL + Redis + Celery against a locking CRUD baseline.

    python -m bench.suite [--duration 20] [--repeat 3] [--api-processes 2] [--ports apart]

Creates its own database, starts the system and the baseline, runs every scenario `--repeat`
times side by side (ceiling, hot event at 16 and 64 clients for both, the ledger's checkout, hold
then confirm, and its paid checkout, hold then payment through localstripe; spread, reads, lag)
and prints the medians, with the CPU per paid order in our processes against a direct booking's;
JSON and a markdown table go to bench/results/. See bench/README.md.

localstripe is started, and the system given Stripe's settings, only when the paid checkout is
selected; with payments on, a priced seat is booked only by paying, so the other scenarios' events
are then free.
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from uuid import uuid4

import httpx
import psycopg

from bench import paid, stack
from bench.measure import (
    CpuMeter,
    LagProbe,
    booking_counters,
    confirmations,
    connections_by_process,
    lag_percentiles,
    per_commit,
    postgres_pids,
    settled,
    stored_paid,
    stored_sold,
)
from bench.report import markdown, write
from core.db import libpq_url

ADMIN = ("bench-admin@example.com", "bench-admin-password")
HOT_SEATS = 1_000_000
VOUCHER_USES = 100_000  # the most a voucher allows: more than a run books
FAR_AHEAD = 2**62  # a subscriber's position no log reaches: it reads nothing until moved back
SCARCE_SEATS = 300


class Suite:
    """The running system and baseline, and how to load them."""

    def __init__(  # noqa: PLR0913 - the running system's parts
        self, args: argparse.Namespace, env: dict[str, str], served: dict[str, list[str]],
        tokens: list[str], admin: dict[str, str], meter: CpuMeter,
    ) -> None:
        self.args, self.env, self.served = args, env, served
        self.url, self.crud = served["API"][0], served["CRUD"][0]
        self.tokens, self.admin, self.meter = tokens, admin, meter
        self.pg_url = libpq_url(env["DATABASE_URL"])
        self.checks: list[dict[str, Any]] = []
        self.paying = "STRIPE_API_KEY" in env
        self.provider = CpuMeter({"localstripe": paid.provider_pids})

    def load(self, base: str, clients: int, settle: Callable[[], None] | None = None,
             **spec: Any) -> dict[str, Any]:
        """Run the load generator in its own process; its JSON result (`settle`: waited for
        before the CPU is read again)."""
        group = {self.url: "API", self.crud: "CRUD"}[base]
        spec = {"url": base, "urls": self.served[group], "concurrency": clients,
                "duration": self.args.duration, "warmup": self.args.warmup,
                "tokens": self.tokens, "book_path": "/api/events/{event}/book"} | spec
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(spec, f)
        # Halfway through the measured window: how the clients' connections were spread over
        # the served processes, which decides how a hot event's bookings group.
        pids = self.meter.groups[group]
        ports = {urlsplit(url).port or 80 for url in spec["urls"]}
        spread: list[list[int]] = []
        sampler = threading.Timer(spec["warmup"] + spec["duration"] / 2, lambda: spread.append(
            connections_by_process(pids(), ports)))
        before, children = self.meter.read(), resource.getrusage(resource.RUSAGE_CHILDREN)
        aside = self.provider.read()
        sampler.start()
        try:
            done = subprocess.run([sys.executable, "-m", "bench.load", f.name],  # noqa: S603
                                  capture_output=True, text=True, check=True, cwd=stack.ROOT)
        finally:
            sampler.cancel()
        if settle is not None:
            settle()
        # The run's window closes when the work its requests left behind is done (read models,
        # tree, buyers' messages): else a run's CPU would land in the next one's.
        waited = settled(self.pg_url)
        spent = CpuMeter.spent(before, self.meter.read())
        provider = CpuMeter.spent(aside, self.provider.read())["localstripe"]
        reaped = resource.getrusage(resource.RUSAGE_CHILDREN)  # the load generator, waited for
        spent["load generator"] = (reaped.ru_utime + reaped.ru_stime
                                   - children.ru_utime - children.ru_stime)
        Path(f.name).unlink()
        result: dict[str, Any] = json.loads(done.stdout)
        result["settled_s"] = waited
        result["connections_by_process"] = spread[0] if spread else []
        # Over the warm-up too, like the answers it is divided by.
        result["cpu_ms"] = {k: 1000 * v / max(1, result["answered"]) for k, v in spent.items()}
        if self.paying:  # the provider's, apart: not one of our processes
            result["provider_cpu_ms"] = 1000 * provider / max(1, result["answered"])
        return result

    # ----- data -------------------------------------------------------------------------

    def ledger_event(self, seats: int, price: str | None = None) -> str:
        """A new event of one category (`price`; by default 10.00, or free when payments are
        on: a priced seat is then booked only by paying)."""
        price = price or ("0.00" if self.paying else "10.00")
        body = {"name": f"Bench {uuid4().hex[:6]}", "venue": "Arena", "total_seats": seats,
                "price": price, "starts_at": (datetime.now(UTC) + timedelta(days=30)).isoformat()}
        r = httpx.post(f"{self.url}/api/events", json=body, headers=self.admin, timeout=30)
        r.raise_for_status()
        return str(r.json()["id"])

    def connect(self) -> psycopg.Connection[Any]:
        """A connection, waiting a little when the shared server is at max_connections."""
        for _ in range(30):
            try:
                return psycopg.connect(self.pg_url)
            except psycopg.OperationalError:
                time.sleep(1)
        return psycopg.connect(self.pg_url)

    def crud_events(self, seats: int, count: int = 1) -> list[str]:
        ids = [str(uuid4()) for _ in range(count)]
        with self.connect() as conn, conn.cursor() as cur:
            cur.executemany("INSERT INTO crud_events (id, name, capacity, sold) "
                            "VALUES (%s, 'Bench', %s, 0)", [(i, seats) for i in ids])
        return ids

    # ----- scenarios ----------------------------------------------------------------------

    def ceiling(self, clients: int) -> dict[str, Any]:
        return self.load(self.url, clients, kind="get", path="/api/health?checks=false")

    def hot(self, clients: int, *, crud: bool, seats: int = HOT_SEATS,
            checkout: bool = False, priced: bool = False, **spec: Any) -> dict[str, Any]:
        """One event, `clients` booking it at once (`checkout`: each a hold, then its
        confirmation; `priced`: its seats under a tax, each held with a voucher); then its
        seats counted in the store.

        `spec` overrides the load's settings (duration, warmup)."""
        event = self.crud_events(seats)[0] if crud else self.ledger_event(seats)
        if priced:
            spec["book_body"] = json.dumps({"quantity": 1, "voucher": self.priced(event)})
        if checkout:
            spec |= {"kind": "hold_confirm", "book_path": "/api/events/{event}/holds",
                     "confirm_path": "/api/holds/{hold}/confirm"}
        spec = {"kind": "book", "events": [event]} | spec
        result = (self.load(self.crud, clients, **spec) if crud
                  else self.ledger_load(clients, **spec))
        self.check_store(event, seats, result, crud=crud)
        return result

    def priced(self, event: str) -> str:
        """A 20 % VAT included in the event's prices and a voucher for all its seats that takes
        10 % off: its code. With payments on (the event free), the voucher makes a price of 0."""
        rules = [{"name": "VAT", "rate": "20", "inclusive": True, "categories": ["General"]}]
        httpx.put(f"{self.url}/api/events/{event}", json={"taxes": rules}, headers=self.admin,
                  timeout=30).raise_for_status()
        code = f"BENCH-{uuid4().hex[:8]}".upper()
        terms = ({"discount": "set_price", "value": "0"} if self.paying
                 else {"discount": "percent", "value": "10"})
        httpx.post(f"{self.url}/api/events/{event}/vouchers", headers=self.admin, timeout=30,
                   json={"code": code, "max_uses": VOUCHER_USES, **terms}).raise_for_status()
        return code

    def ledger_load(self, clients: int, **spec: Any) -> dict[str, Any]:
        """`load` on the ledger, with what its API processes counted meanwhile: retries per
        booking, and requests and events per group commit."""
        before = booking_counters(self.url)
        result = self.load(self.url, clients, **spec)
        after = booking_counters(self.url)
        booked = max(1.0, after["ok"] - before["ok"])
        result["retries_per_booking"] = (after["retries"] - before["retries"]) / booked
        result["cold_loads_per_booking"] = (after["cold_loads"] - before["cold_loads"]) / booked
        # Counted until the run settled (`load` waits for it): the batches its bookings woke.
        for key in ("batches", "empty_batches"):
            result[f"{key}_per_1000"] = 1000 * (after[key] - before[key]) / booked
        return result | per_commit(before, after)

    def sold_before(self, clients: int) -> dict[str, Any]:
        """The hot event with `--sold-before` seats sold before the run (`bench.sold_before`,
        the commands' events written a thousand bookings a transaction), then booked as `hot`
        books a fresh one. Its buyers' messages are history: the messages' subscriber reads
        past them. The run starts once the read models and the tree have projected them and a
        first round of bookings has brought each API process's copy of the event up to date,
        which the result reports apart (`caught_up_s`, `first_bookings_s`)."""
        sold = self.args.sold_before
        body = {"name": f"Bench {uuid4().hex[:6]}", "venue": "Arena",
                "starts_at": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
                "categories": [{"name": "Earlier", "price": "10.00", "capacity": sold},
                               {"name": "General", "price": "10.00", "capacity": HOT_SEATS}]}
        answer = httpx.post(f"{self.url}/api/events", json=body, headers=self.admin, timeout=30)
        answer.raise_for_status()
        event = str(answer.json()["id"])
        book: dict[str, Any] = {"book_body": '{"quantity":1,"category":"General"}'}
        with self.connect() as conn:  # nothing recorded for the bookings before the run
            conn.execute("UPDATE mail_tracking SET position = %s", (FAR_AHEAD,))
        subprocess.run([sys.executable, "-m", "bench.sold_before", "--event", event,  # noqa: S603
                        "--seats", str(sold), "--category", "Earlier"], env=self.env,
                       cwd=stack.ROOT, check=True)
        with self.connect() as conn:
            row = conn.execute("SELECT coalesce(max(notification_id), 0) FROM ledger_events"
                               ).fetchone()
            conn.execute("UPDATE mail_tracking SET position = %s", (row[0] if row else 0,))
        caught_up = settled(self.pg_url, longest=3600)
        began = time.monotonic()
        first_round = self.load(self.url, clients, kind="book", events=[event], duration=1.0,
                                warmup=0, **book)
        first = time.monotonic() - began
        result = self.ledger_load(clients, kind="book", events=[event], **book)
        result |= {"caught_up_s": caught_up, "first_bookings_s": first}
        self.check_store(event, HOT_SEATS + sold, result, crud=False, before=sold,
                         warmed=first_round["created"])
        return result

    def paid(self, clients: int) -> dict[str, Any]:
        """One event of a paid category, `clients` buyers each holding a seat, then paying
        for it with a card made beforehand; then its seats and payments counted in the store:
        every order's payment succeeded and booked it."""
        event = self.ledger_event(HOT_SEATS, price="10.00")
        spec = paid.PAY | {"events": [event], "cards": paid.cards(self.env, self.args.cards)}
        settle = partial(paid.quiet, lambda: [*paid.provider_pids(), *self.meter.groups["API"]()])
        result = self.load(self.url, clients, settle=settle, **spec)
        holds = result.pop("paid_holds")
        self.check_store(event, HOT_SEATS, result, crud=False)
        stored = stored_paid(self.env["DATABASE_URL"], holds)
        check = self.checks[-1]
        check |= {"paid_answered": len(holds), "paid_stored": stored,
                  "ok": check["ok"] and stored == len(holds) == result["created"]}
        return result

    def check_store(self, event: str, seats: int, result: dict[str, Any], *,  # noqa: PLR0913
                    crud: bool, before: int = 0, warmed: int = 0) -> None:
        """Its seats counted in the store (`before` of them sold before the run, its messages
        skipped, and `warmed` by a first round not counted); on the ledger, the bookings'
        confirmations too: one each, sent once (every booking of a run is of one seat)."""
        sold = self.crud_sold(event) if crud else stored_sold(self.env["DATABASE_URL"], event)
        check = {"system": "crud" if crud else "ledger", "event": event, "capacity": seats,
                 "sold": sold, "answered_201": result["created"], "oversold": max(0, sold - seats),
                 "ok": sold <= seats and sold == before + warmed + result["created"]}
        if not crud:
            mailed = confirmations(self.pg_url, event)
            check |= {"confirmations": mailed,
                      "ok": check["ok"] and mailed == {"sent": sold - before, "unsent": 0,
                                                       "repeated": 0, "retried": 0}}
        self.checks.append(check)

    def crud_sold(self, event: str) -> int:
        with self.connect() as conn:
            row = conn.execute("SELECT sold, (SELECT coalesce(sum(quantity), 0) FROM crud_bookings"
                               " WHERE event_id = %s) FROM crud_events WHERE id = %s",
                               (event, event)).fetchone()
        if row is None:
            return -1
        return int(row[1]) if row[0] == row[1] else -1  # counter and rows must agree

    def spread(self, clients: int, events: list[str], *, crud: bool) -> dict[str, Any]:
        if crud:
            return self.load(self.crud, clients, kind="book", events=events)
        return self.ledger_load(clients, kind="book", events=events)

    def reads(self, clients: int, path: str, events: list[str]) -> dict[str, Any]:
        return self.load(self.url, clients, kind="get", path=path, events=events)

    def lag(self, clients: int, rate: float, events: list[str] | None = None) -> dict[str, Any]:
        """Bookings at a steady rate (to one new event, or spread over `events`); how long
        each took to show in every read table."""
        events = events or [self.ledger_event(HOT_SEATS)]
        with LagProbe(self.pg_url) as probe:
            result = self.load(self.url, clients, kind="book", events=events, rate=rate,
                               record_positions=True)
            # `load` returned once the projections reached the log's head: the probe sees it
            # at its next poll.
            probe.reached(max((p for _, p in result["positions"]), default=0))
        result |= lag_percentiles(result.pop("positions"), probe.samples)
        return result


def setup(url: str, customers: int) -> tuple[list[str], dict[str, str]]:
    """Sign customers up and in (their bearer tokens), and the admin's headers."""
    with httpx.Client(base_url=url, timeout=60) as client:
        r = _auth(client, "/api/auth/token", data={"username": ADMIN[0], "password": ADMIN[1]})
        admin = {"Authorization": f"Bearer {r.json()['access_token']}"}

        def customer(i: int) -> str:
            email = f"c{i}-{uuid4().hex[:8]}@bench.test"
            _auth(client, "/api/auth/signup", json={"email": email, "password": "password-123",
                                                   "name": f"C{i}"})
            t = _auth(client, "/api/auth/token",
                      data={"username": email, "password": "password-123"})
            return str(t.json()["access_token"])

        with ThreadPoolExecutor(4) as pool:
            tokens = list(pool.map(customer, range(customers)))
    return tokens, admin


def _auth(client: httpx.Client, path: str, **body: Any) -> httpx.Response:
    """POST, again after the Retry-After of a 503 (AUTH_BUSY: a busy machine's hashing)."""
    for _ in range(10):
        r = client.post(path, **body)
        if r.status_code != 503:
            break
        time.sleep(float(r.headers.get("retry-after", "1")))
    r.raise_for_status()
    return r


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    keys = ("rate", "p50_ms", "p99_ms", "retries_per_booking", "lag_p50_ms", "lag_p99_ms",
            "succeeded", "settled_s", "requests_per_commit", "events_per_commit",
            "cold_loads_per_booking", "batches_per_1000", "empty_batches_per_1000",
            "caught_up_s",
            "first_bookings_s")
    out: dict[str, Any] = {k: statistics.median(r[k] for r in runs) for k in keys if k in runs[0]}
    out["statuses"] = runs[-1]["statuses"]
    out["cpu_ms"] = {k: statistics.median(r["cpu_ms"][k] for r in runs) for k in runs[0]["cpu_ms"]}
    if "provider_cpu_ms" in runs[0]:
        out["provider_cpu_ms"] = statistics.median(r["provider_cpu_ms"] for r in runs)
    # Each run's own: a spread is not a figure to take the median of.
    out["runs"] = [{k: r[k] for k in (*keys, "connections_by_process") if k in r} for r in runs]
    return out


Scenario = Callable[[], dict[str, Any]]


class SpreadEvents:
    """The spread scenarios' events (`--events` of them, each system's), made when a selected
    scenario first asks: a run of the hot event alone makes none."""

    def __init__(self, suite: Suite) -> None:
        self._suite = suite
        self._ledger: list[str] | None = None
        self._crud: list[str] | None = None

    def ledger(self) -> list[str]:
        if self._ledger is None:
            with ThreadPoolExecutor(8) as pool:
                self._ledger = list(pool.map(lambda _: self._suite.ledger_event(HOT_SEATS),
                                             range(self._suite.args.events)))
            # Their read models and tree leaves made before the run that asked, not in its
            # window: that run's CPU is its own bookings'.
            settled(self._suite.pg_url)
        return self._ledger

    def crud(self) -> list[str]:
        if self._crud is None:
            self._crud = self._suite.crud_events(HOT_SEATS, self._suite.args.events)
        return self._crud


def scenarios(s: Suite, spread: SpreadEvents) -> dict[str, Scenario]:
    """Name -> one run; each repeat runs them all in this order (side by side)."""
    n, count = max(s.args.clients), s.args.events

    def event_list() -> dict[str, Any]:
        spread.ledger()  # its page is read among the spread events, made first if none were
        return s.reads(n, "/api/events", [])

    named: dict[str, Scenario] = {"ceiling (GET /api/health?checks=false)": lambda: s.ceiling(n)}
    for clients in s.args.clients:
        named[f"hot event, ledger, {clients} clients"] = partial(s.hot, clients, crud=False)
        named[f"hot event, CRUD baseline, {clients} clients"] = partial(s.hot, clients, crud=True)
        named[f"hot event, ledger, hold then confirm, {clients} clients"] = partial(
            s.hot, clients, crud=False, checkout=True)
        named[priced_name(clients)] = partial(s.hot, clients, crud=False, checkout=True,
                                              priced=True)
        if s.paying:
            named[paid_name(clients)] = partial(s.paid, clients)
        if s.args.sold_before:
            named[f"hot event, {s.args.sold_before:,} sold before, ledger, {clients} clients"] = (
                partial(s.sold_before, clients))
    named |= {
        f"spread over {count:,} events, ledger, {n} clients":
            lambda: s.spread(n, spread.ledger(), crud=False),
        f"spread over {count:,} events, CRUD baseline, {n} clients":
            lambda: s.spread(n, spread.crud(), crud=True),
        f"GET /api/events, {n} clients": event_list,
        f"GET /api/events/{{id}}, {n} clients":
            lambda: s.reads(n, "/api/events/{event}", spread.ledger()[:50]),
        f"projection lag, {n} clients booking at {s.args.lag_rate:g}/s":
            lambda: s.lag(n, s.args.lag_rate),
        f"projection lag, {n} clients booking {count:,} events at "
        f"{s.args.lag_rate:g}/s": lambda: s.lag(n, s.args.lag_rate, spread.ledger()),
    }
    return named


def priced_name(clients: int) -> str:
    return f"hot event, ledger, hold with a voucher and tax then confirm, {clients} clients"


def paid_name(clients: int) -> str:
    return f"paid checkout, ledger, {clients} clients"


def selected(name: str, only: list[str]) -> bool:
    """`--only`: the scenarios whose names hold one of its words, and the ceiling."""
    return name.startswith("ceiling") or not only or any(word in name for word in only)


def priced_vs_plain(runs: dict[str, list[dict[str, Any]]], clients: list[int]) -> dict[str, Any]:
    """Each repeat's CPU per checkout with a voucher and tax over the plain checkout's."""
    out = {}
    for n in clients:
        plain = runs.get(f"hot event, ledger, hold then confirm, {n} clients")
        if plain and priced_name(n) in runs:
            out[str(n)] = [sum(p["cpu_ms"].values()) / max(1e-9, sum(d["cpu_ms"].values()))
                           for p, d in zip(runs[priced_name(n)], plain, strict=True)]
    return out


def paid_vs_direct(runs: dict[str, list[dict[str, Any]]], clients: list[int]) -> dict[str, Any]:
    """Each repeat's CPU per paid order in our processes over its direct booking's, beside it."""
    out = {}
    for n in clients:
        direct = runs.get(f"hot event, ledger, {n} clients")
        if direct and paid_name(n) in runs:
            out[str(n)] = [sum(p["cpu_ms"].values()) / max(1e-9, sum(d["cpu_ms"].values()))
                           for p, d in zip(runs[paid_name(n)], direct, strict=True)]
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    with ExitStack() as started:
        payments: dict[str, str] = {}
        if any(selected(paid_name(n), args.only) for n in args.clients):
            logs = Path(tempfile.mkdtemp(prefix="bench-stripe-"))
            payments = started.enter_context(paid.provider(logs))
        system = started.enter_context(stack.system(
            "bench", ADMIN, workers=args.workers, api_processes=args.api_processes,
            extra_env=payments, apart=args.ports == "apart"))
        env, api, url = system.env, system.api, system.url
        if payments:
            paid.register_webhook(env, url)
        subprocess.run([sys.executable, "-c", "from bench.crud_app import Base, engine; "  # noqa: S603
                        "Base.metadata.create_all(engine)"], env=env, check=True, cwd=stack.ROOT)
        crud_proc, _ = stack.serve("crud", "bench.crud_app:app", env, system.logs,
                                      args.api_processes, apart=args.ports == "apart")
        system.procs += crud_proc.procs
        tokens, admin = setup(url, args.customers)
        # The webhooks' worker apart: it sends the buyers' messages (and the deliveries).
        meter = CpuMeter({"API": api.pids, "CRUD": crud_proc.pids,
                          "workers": partial(system.pids_of, "worker", "beat"),
                          "messages": partial(system.pids_of, "webhooks"),
                          "PostgreSQL": postgres_pids})
        s = Suite(args, env, {"API": api.urls, "CRUD": crud_proc.urls}, tokens, admin, meter)
        print(f"system up: API x{args.api_processes} {' '.join(api.urls)}, CRUD "
              f"x{args.api_processes} {' '.join(crud_proc.urls)} (ports {args.ports}), "
              f"{args.workers} workers; database {system.db_name}", flush=True)
        named = {name: run for name, run in scenarios(s, SpreadEvents(s)).items()
                 if selected(name, args.only)}
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in named}
        for r in range(args.repeat):
            for name, scenario in named.items():
                runs[name].append(scenario())
                last = runs[name][-1]
                print(f"  [{r + 1}/{args.repeat}] {name}: {last['rate']:.0f}/s "
                      f"p50 {last['p50_ms']:.1f} ms p99 {last['p99_ms']:.1f} ms", flush=True)
        # No warm-up: every answer counts, so the statuses show all 300 seats sold.
        scarce, scarce_crud = (s.hot(64, crud=crud, seats=SCARCE_SEATS, warmup=0,
                                     duration=min(3.0, args.duration)) for crud in (False, True))
        results = {name: median_of(rs) for name, rs in runs.items()}
        return {
            "paid_vs_direct": paid_vs_direct(runs, args.clients),
            "priced_vs_plain": priced_vs_plain(runs, args.clients),
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "settings": {k: v for k, v in vars(args).items() if k != "out"},
            "results": results,
            "sold_out_check": {"ledger": scarce["statuses"], "crud": scarce_crud["statuses"]},
            "store_checks": s.checks,
            "rss_mb": {"api": api.rss_mb(), "crud": crud_proc.rss_mb(),
                       "workers": [m for p in system.procs if p.name.startswith("worker")
                                   for m in p.rss_mb()]},
        }


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--duration", type=float, default=20.0, help="seconds per run")
    p.add_argument("--warmup", type=float, default=1.0, help="seconds before counting")
    p.add_argument("--repeat", type=int, default=3, help="runs per scenario (medians)")
    p.add_argument("--api-processes", type=int, default=2)
    p.add_argument("--ports", choices=["apart", "shared"], default="apart",
                   help="the API's and the baseline's processes each on a port of their own, the "
                        "load's clients dealt round robin over them as a balancer would, or "
                        "uvicorn's workers sharing one port (the kernel hands each connection to "
                        "whichever accepts first: a hot event's runs then vary with that spread)")
    p.add_argument("--workers", type=int, default=2, help="Celery worker processes")
    p.add_argument("--clients", type=int, nargs="+", default=[16, 64])
    p.add_argument("--events", type=int, default=1000, help="events of the spread scenario")
    p.add_argument("--customers", type=int, default=16)
    p.add_argument("--lag-rate", type=float, default=1000.0, help="bookings/s for the lag run")
    p.add_argument("--sold-before", type=int, default=0,
                   help="the \"sold before\" case: seats sold on a hot event before its run "
                        "(up to 1,000,000; 0: no such case)")
    p.add_argument("--cards", type=int, default=1500,
                   help="cards made before each paid run (reused once all were used)")
    p.add_argument("--only", nargs="+", default=[], metavar="WORD",
                   help="only the scenarios whose names hold one of these words (and the ceiling)")
    p.add_argument("--out", type=Path, default=stack.ROOT / "bench" / "results")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    report = run(args)
    table = markdown(report)
    print(table)
    print("written:", *write(report, table, args.out))


if __name__ == "__main__":
    main()
