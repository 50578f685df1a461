"""The distributed mode for real: PostgreSQL store, Redis broker, a `celery worker` process
doing the projections and the API served by several uvicorn processes."""

import asyncio
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from commands.domain.event import Event
from commands.ledger import Ledger
from tests.conftest import configure
from tests.stack import Process, pg_database, require_services, service_env, start_api, start_worker
from tests.support.accounts import customers_in_table
from tests.support.waiting import eventually

pytestmark = [pytest.mark.scenario, pytest.mark.postgres]
ADMIN = ("admin@stack.test", "admin-password-1")


@dataclass
class Stack:
    url: str
    database_url: str
    env: dict[str, str]
    worker: Process
    api: Process
    admin: dict[str, str]


def login(client: httpx.Client, email: str, password: str) -> dict[str, str]:
    r = client.post("/api/auth/token", data={"username": email, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def customers(stack: Stack, n: int) -> list[dict[str, str]]:
    """`n` fresh customers' auth headers (written to the table: signing up is not the subject)."""
    return [headers for _, headers in customers_in_table(
        stack.database_url, stack.env["SECRET_KEY"], n, "stack.test")]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    require_services()
    with pg_database() as database_url:
        env = service_env(database_url, f"t{uuid.uuid4().hex[:10]}",
                          ADMIN_EMAIL=ADMIN[0], ADMIN_PASSWORD=ADMIN[1], SNAPSHOT_INTERVAL="20",
                          # Dozens of customers signed up and in from 127.0.0.1 in seconds.
                          AUTH_RATE_PER_IP="10000/minute", SIGNUP_RATE_PER_IP="10000/minute")
        subprocess.run([sys.executable, "-m", "ops.migrate"], env=env, check=True)  # noqa: S603
        logs = Path(tmp_path_factory.mktemp("stack"))
        worker = start_worker(env, logs)
        api, url = start_api(env, logs, workers=3)
        try:
            with httpx.Client(base_url=url, timeout=30) as client:
                admin = login(client, *ADMIN)
            yield Stack(url, database_url, env, worker, api, admin)
        finally:
            api.stop()
            worker.stop()


def create_event(client: httpx.Client, admin: dict[str, str], seats: int, **extra: Any) -> str:
    body = {"name": f"Show {uuid.uuid4().hex[:6]}", "venue": "Hall",
            "starts_at": (datetime.now(UTC) + timedelta(days=7)).isoformat(),
            "total_seats": seats, "price": "25.00", **extra}
    r = client.post("/api/events", json=body, headers=admin)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_a_booking_is_projected_by_the_celery_worker(stack: Stack) -> None:
    with httpx.Client(base_url=stack.url, timeout=30) as client:
        event_id = create_event(client, stack.admin, 10)
        email = f"c-{uuid.uuid4().hex[:10]}@stack.test"
        r = client.post("/api/auth/signup",
                        json={"email": email, "password": "password-123", "name": "Cust"})
        assert r.status_code == 201, r.text
        me = login(client, email, "password-123")
        booked = client.post(f"/api/events/{event_id}/book", json={"quantity": 2}, headers=me)
        assert booked.status_code == 201, booked.text
        position = booked.json()["position"]
        seen = client.get(f"/api/events/{event_id}", params={"min_position": position})
        assert seen.status_code == 200
        assert int(seen.headers["X-Projection-Position"]) >= position
        assert seen.json()["available_seats"] == 8
        mine = client.get(f"/api/bookings/{booked.json()['id']}", headers=me)
        assert mine.json()["status"] == "confirmed"
        assert len(mine.json()["tickets"]) == 2
        cancelled = client.delete(f"/api/bookings/{booked.json()['id']}", headers=me)
        assert cancelled.status_code == 200, cancelled.text
        after = client.get(f"/api/events/{event_id}",
                           params={"min_position": cancelled.json()["position"]})
        assert after.json()["available_seats"] == 10
    assert "advance_projection" in stack.worker.tail()


async def _book(client: httpx.AsyncClient, event_id: str, headers: dict[str, str]) -> Any:
    """One booking as a careful client makes it: an Idempotency-Key, retried on a network error."""
    headers = headers | {"Idempotency-Key": uuid.uuid4().hex}
    for attempt in range(3):
        try:
            return await client.post(f"/api/events/{event_id}/book", json={"quantity": 1},
                                     headers=headers)
        except httpx.TransportError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


async def _storm(url: str, event_id: str, headers: list[dict[str, str]], n: int) -> list[Any]:
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        requests = [_book(client, event_id, headers[i % len(headers)]) for i in range(n)]
        return list(await asyncio.gather(*requests))


@pytest.mark.parametrize(("requests", "seats"), [(400, 100), (15, 10)])
def test_simultaneous_bookings_never_oversell(
    stack: Stack, requests: int, seats: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    with httpx.Client(base_url=stack.url, timeout=30) as client:
        event_id = create_event(client, stack.admin, seats)
        headers = customers(stack, 20)
    started = time.perf_counter()
    responses = asyncio.run(_storm(stack.url, event_id, headers, requests))
    elapsed = time.perf_counter() - started
    # A retry after a dropped connection may find its booking made: 200, replayed.
    booked = [r for r in responses if r.status_code in (200, 201)]
    statuses = Counter(201 if r in booked else r.status_code for r in responses)
    codes = Counter(r.json().get("code") for r in responses if r not in booked)
    print(f"\n{requests} requests for {seats} seats: {dict(statuses)} {dict(codes)} "
          f"in {elapsed:.2f}s")
    assert statuses == {201: seats, 400: requests - seats}, (statuses, codes)
    assert set(codes) <= {"SOLD_OUT", "NOT_ENOUGH_SEATS"}

    last = max(r.json()["position"] or 0 for r in booked)
    with httpx.Client(base_url=stack.url, timeout=30) as client:
        read = client.get(f"/api/events/{event_id}", params={"min_position": last}).json()
    assert read["available_seats"] == 0

    configure(monkeypatch, DATABASE_URL=stack.database_url)
    ledger = Ledger()
    stream = list(ledger.store.events.get(uuid.UUID(event_id)))
    assert sum(e.quantity for e in stream if isinstance(e, Event.SeatsBooked)) == seats
    assert ledger.event(uuid.UUID(event_id)).available_seats == 0
    ledger.close()


def test_a_snapshot_owed_by_an_api_process_is_taken_by_the_worker(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    with httpx.Client(base_url=stack.url, timeout=30) as client:
        event_id = create_event(client, stack.admin, 50)
        [me] = customers(stack, 1)
        for _ in range(24):  # versions 2..25: SNAPSHOT_INTERVAL=20 in this stack
            r = client.post(f"/api/events/{event_id}/book", json={"quantity": 1}, headers=me)
            assert r.status_code == 201, r.text
    configure(monkeypatch, DATABASE_URL=stack.database_url)
    ledger = Ledger()
    assert ledger.snapshots is not None
    snapshots = ledger.snapshots
    # Asked once the API is idle for 0.5 s.
    taken = eventually(lambda: list(snapshots.get(uuid.UUID(event_id))), 20)
    assert taken, stack.worker.tail()
    assert [s.originator_version for s in taken] == [20]
    assert len(taken[0].state["bookings"]) == 19  # type: ignore[attr-defined]  # a Snapshot
    assert "take_snapshot" in stack.worker.log.read_text(errors="replace")
    assert ledger.event(uuid.UUID(event_id)).available_seats == 26
    ledger.close()
