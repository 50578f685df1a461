"""Time-travel benchmark: one event's stream of N domain events on PostgreSQL, then the state
at random versions and moments, in process and through the API; prints p50/p95 in ms.

    python -m bench.timetravel [--events 10000] [--queries 200] [--keep]

The stream is written through the aggregate and `Ledger.save` (so snapshots are taken at the
configured interval, as in production): bookings, cancellations, check-ins, capacity changes.
"""

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from bench.db import bench_database, migrated_ledger

SAVE_EVERY = 50  # domain events appended per save while filling


def _fill(ledger: Any, events: int, rng: random.Random) -> tuple[UUID, list[datetime]]:
    from commands.application.seat_requests import new_ticket_code  # noqa: PLC0415
    from commands.domain.booking import booking_ref  # noqa: PLC0415
    from commands.domain.creation import create_event  # noqa: PLC0415 - after DATABASE_URL is set

    moment = datetime.now(UTC) - timedelta(days=1)
    cats = [{"name": "General", "price": Decimal("25.00"), "capacity": 1_000_000},
            {"name": "VIP", "price": Decimal("90.50"), "capacity": 500_000}]
    event = create_event(event_id=uuid4(), name="Time travel", description="", venue="Hall",
                         starts_at=moment + timedelta(days=90), ends_at=None, currency="EUR",
                         categories=cats, max_tickets_per_user=None, now=moment)
    booked: list[Any] = []  # the confirmed bookings' refs
    changed: list[Any] = []  # refs with events to save
    times = [moment]
    while event.version < events:
        moment += timedelta(milliseconds=rng.randint(1, 2_000))
        roll = rng.random()
        if roll < 0.1 and booked:
            ref = booked.pop(rng.randrange(len(booked)))
            event.cancel_booking(ref, now=moment)
            changed.append(ref)
        elif roll < 0.101:
            cat = event.categories["VIP"]
            event.set_category("VIP", cat["price"], cat["capacity"] + 10)
        else:
            quantity = rng.randint(1, 3)
            booking_id = uuid4()
            event.book(booking_id=booking_id, user_id=str(uuid4()), user_name="Guest",
                       category=rng.choice(("General", "VIP")), quantity=quantity,
                       ticket_codes=[new_ticket_code() for _ in range(quantity)], now=moment)
            booked.append(booking_ref(event.pending_events[-1], event.id, "-"))
            changed.append(booked[-1])
        times.append(moment)
        if event.version % SAVE_EVERY == 0:
            ledger.store.append(event, *changed)
            changed.clear()
    if event.pending_events:
        ledger.store.append(event, *changed)
    return event.id, times


def _measure(name: str, queries: int, call: Callable[[], Any]) -> None:
    samples = []
    for _ in range(queries):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"  {name:<34} p50 {statistics.median(samples):7.1f} ms   p95 {p95:7.1f} ms")


def run(args: argparse.Namespace, url: str) -> None:
    with migrated_ledger(url) as ledger:
        _run(args, ledger)


def _run(args: argparse.Namespace, ledger: Any) -> None:
    from fastapi.testclient import TestClient  # noqa: PLC0415 - after DATABASE_URL is set

    from commands.audit.timetravel import snapshot_cache, state_at  # noqa: PLC0415
    from core.db import session_scope  # noqa: PLC0415
    from query_api.auth.credentials import create_access_token  # noqa: PLC0415
    from query_api.auth.user_accounts import create_user  # noqa: PLC0415
    from query_api.service.app import create_app  # noqa: PLC0415

    settings = ledger.settings
    rng = random.Random(11)  # noqa: S311 - test data
    started = time.perf_counter()
    event_id, times = _fill(ledger, args.events, rng)
    print(f"stream of {len(times):,} events written in {time.perf_counter() - started:.1f} s "
          f"(snapshot every {settings.snapshot_interval} versions)")
    head = len(times)

    def version() -> int:
        return rng.randint(1, head)

    first: datetime = state_at(ledger, event_id, version=1)["recorded_at"]
    span: timedelta = state_at(ledger, event_id)["recorded_at"] - first

    def moment() -> datetime:  # recorded times are the store's, not the generator's
        return first + span * rng.random()

    print(f"time travel on a stream of {head:,} events, {args.queries} queries each:")

    def cold() -> None:
        snapshot_cache(ledger).clear()
        state_at(ledger, event_id, version=version(), bookings_limit=100)

    _measure("cold: state_at(version), no cache", args.queries // 4, cold)
    _measure("state_at(version=random)", args.queries,
             lambda: state_at(ledger, event_id, version=version(), bookings_limit=100))
    _measure("state_at(at=random time)", args.queries,
             lambda: state_at(ledger, event_id, at=moment(), bookings_limit=100))
    with TestClient(create_app()) as client:
        with session_scope() as session:
            user = create_user(session, email="auditor@bench.example", password="bench-pass-1",  # noqa: S106
                               name="Auditor", phone=None, role="auditor")
            token = create_access_token(settings, user.id, user.role)
        auditor = {"Authorization": f"Bearer {token}"}
        path = f"/api/audit/events/{event_id}/state"

        def get(params: dict[str, str]) -> None:
            response = client.get(path, params=params, headers=auditor)
            assert response.status_code == 200, response.text  # noqa: S101 - bench sanity

        _measure("GET …/state?version=random", args.queries,
                 lambda: get({"version": str(version())}))
        _measure("GET …/state?at=random time", args.queries,
                 lambda: get({"at": moment().isoformat()}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    with bench_database("bench_timetravel", keep=args.keep) as url:
        run(args, url)


if __name__ == "__main__":
    main()
