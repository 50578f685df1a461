"""A whole distributed system on private servers: API processes, Celery workers, beat, clients."""

import asyncio
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from commands.domain.event import Event
from commands.ledger import Ledger
from tests.conftest import configure
from tests.reliability.services import PrivatePostgres, PrivateRedis
from tests.stack import BIN, Process, as_role, service_env, start_api, start_worker
from tests.support.accounts import customers_in_table

SECRET = "reliability-secret-key-of-32-bytes-or-more"
ADMIN = ("admin@reliable.test", "admin-password-1")


@dataclass
class System:
    """One database on a private cluster, a private Redis, and the processes serving them."""

    pg: PrivatePostgres
    redis: PrivateRedis
    database_url: str
    logs: Path
    env: dict[str, str]
    processes: list[Process] = field(default_factory=list)

    # ----- processes ----------------------------------------------------------------------

    def worker(self, name: str = "worker") -> Process:
        proc = start_worker(self.env, self.logs, name)
        self.processes.append(proc)
        return proc

    def beat(self) -> Process:
        args = [str(BIN / "celery"), "-A", "workers.celery_app", "beat", "--loglevel", "INFO",
                "-s", str(self.logs / "beat-schedule")]
        proc = Process(args, as_role(self.env, "worker"), self.logs / "beat.log")
        self.processes.append(proc)
        return proc

    def api(self, processes: int = 3, name: str = "api") -> tuple[Process, str]:
        folder = self.logs / name
        folder.mkdir(exist_ok=True)
        proc, url = start_api(self.env, folder, workers=processes)
        self.processes.append(proc)
        return proc, url

    def stop_all(self) -> None:
        for proc in reversed(self.processes):
            proc.stop()
        self.processes.clear()

    # ----- callers ------------------------------------------------------------------------

    def customers(self, n: int) -> list[tuple[str, dict[str, str]]]:
        """`n` customer accounts written straight to the table, each with a signed token."""
        return customers_in_table(self.database_url, SECRET, n, "reliable.test")

    def admin(self, url: str) -> dict[str, str]:
        r = httpx.post(f"{url}/api/auth/token", timeout=30,
                       data={"username": ADMIN[0], "password": ADMIN[1]})
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['access_token']}"}

    # ----- the write side, read from this process -----------------------------------------

    @contextmanager
    def ledger(self, monkeypatch: pytest.MonkeyPatch) -> Iterator[Ledger]:
        configure(monkeypatch, DATABASE_URL=self.database_url, SECRET_KEY=SECRET)
        ledger = Ledger()
        try:
            yield ledger
        finally:
            ledger.close()


@contextmanager
def system(pg: PrivatePostgres, tmp: Path, **extra: str) -> Iterator[System]:
    """A database migrated by its owner, who also set up the API's and the workers' roles
    (`service_env`), and a running Redis; the test starts the processes, each as its role."""
    name = f"rel_{uuid.uuid4().hex[:10]}"
    database_url = pg.database(name)
    redis = PrivateRedis(tmp)
    redis.start()
    env = service_env(database_url, f"rel{uuid.uuid4().hex[:8]}",
                      CELERY_BROKER_URL=redis.url, SECRET_KEY=SECRET,
                      ADMIN_EMAIL=ADMIN[0], ADMIN_PASSWORD=ADMIN[1], **extra)
    subprocess.run([sys.executable, "-m", "ops.migrate"], env=env, check=True,  # noqa: S603
                   capture_output=True)
    stack = System(pg, redis, database_url, tmp, env)
    try:
        yield stack
    finally:
        stack.stop_all()
        redis.stop()


def create_event(url: str, admin: dict[str, str], **fields: Any) -> str:
    body = {"name": f"Show {uuid.uuid4().hex[:6]}", "venue": "Hall",
            "starts_at": (datetime.now(UTC) + timedelta(days=7)).isoformat()} | fields
    r = httpx.post(f"{url}/api/events", json=body, headers=admin, timeout=30)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def gather_limited(calls: list[Any], limit: int) -> list[Any]:
    """Run coroutines with at most `limit` in flight."""
    gate = asyncio.Semaphore(limit)

    async def one(call: Any) -> Any:
        async with gate:
            return await call

    return list(await asyncio.gather(*(one(c) for c in calls)))


def sold_in_store(ledger: Ledger, event_id: str) -> tuple[int, Counter[str], dict[str, int]]:
    """Seats held by confirmed bookings, per user, and per category, from the aggregate."""
    event = ledger.event(uuid.UUID(event_id))
    per_user: Counter[str] = Counter()
    per_category: Counter[str] = Counter()
    for booking in event.bookings.values():
        if booking["status"] == "confirmed":
            per_user[booking["user_id"]] += booking["quantity"]
            per_category[booking["category"]] += booking["quantity"]
    return sum(per_user.values()), per_user, dict(per_category)


def stream_quantities(ledger: Ledger, event_id: str) -> tuple[int, int]:
    """(seats booked, seats cancelled) summed over the raw stored events."""
    booked = cancelled = 0
    for e in ledger.store.events.get(uuid.UUID(event_id)):
        if isinstance(e, Event.SeatsBooked):
            booked += e.quantity
        elif isinstance(e, Event.BookingCancelled):
            cancelled += e.quantity
    return booked, cancelled

