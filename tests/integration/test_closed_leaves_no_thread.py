"""Ledgers and apps made and closed again and again leave no thread behind, and no wake-up
reads a store after it was closed (a SQLite read under a closed connection crashes a process)."""

import logging
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from commands.ledger import Ledger
from core.db import reset_singletons
from core.settings import Settings
from query_api.service.app import create_app
from tests.fixtures.api import ADMIN_EMAIL, ADMIN_PASSWORD

ROUNDS = 20
# A broker no one listens on: the Ledger sends its wake-ups from a thread, as with workers.
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


def named_threads() -> list[str]:
    return sorted(thread.name for thread in threading.enumerate())


def settle(before: list[str], timeout: float = 5.0) -> list[str]:
    """The threads alive now; a thread a library ends on its own gets `timeout` to end."""
    deadline = datetime.now(UTC) + timedelta(seconds=timeout)
    now = named_threads()
    while now != before and datetime.now(UTC) < deadline:
        threading.Event().wait(0.05)
        now = named_threads()
    return now


def event_fields() -> dict[str, Any]:
    return {"name": "Gig", "description": "", "venue": "Hall", "ends_at": None,
            "starts_at": datetime.now(UTC) + timedelta(days=9), "currency": "EUR",
            "max_tickets_per_user": None,
            "categories": [{"name": "General", "price": "5.00", "capacity": 50}]}


def reads_the_store(ledger: list[Ledger], reads: list[int]) -> Callable[[int], None]:
    """A wake-up that reads the global log (of the ledger it is given) as a catch-up does."""

    def wake(position: int) -> None:
        ledger[0].recorder.select_notifications(start=1, limit=10)
        reads.append(position)

    return wake


def test_ledgers_with_wake_ups_made_and_closed_leave_no_thread(
        sqlite_settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    settings = sqlite_settings.model_copy(update={"celery_broker_url": UNREACHABLE_BROKER,
                                                  "projection_wake_gap_seconds": 0.01})
    before = named_threads()
    for _ in range(ROUNDS):
        reads: list[int] = []
        made: list[Ledger] = []
        ledger = Ledger(settings, on_commit=reads_the_store(made, reads))
        made.append(ledger)
        event_id = ledger.create_event(**event_fields()).view["id"]
        for _ in range(3):
            ledger.book(event_id, user_id=uuid4(), user_name="U", category=None, quantity=1)
        ledger.close()
        read_at_close = len(reads)
        threading.Event().wait(0.05)
        assert len(reads) == read_at_close  # nothing read the store once it was closed
    assert settle(before) == before
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.fixture
def embedded_env(sqlite_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ADMIN_EMAIL", ADMIN_EMAIL)
    monkeypatch.setenv("ADMIN_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("CHECKPOINT_INTERVAL_SECONDS", "0.05")
    monkeypatch.setenv("HOLD_INTERVAL_SECONDS", "0.05")
    yield


@pytest.mark.usefixtures("embedded_env")
def test_apps_started_and_stopped_leave_no_thread() -> None:
    reset_singletons()
    before = named_threads()
    for _ in range(ROUNDS):
        with TestClient(create_app()) as client:
            token = client.post("/api/auth/token", data={"username": ADMIN_EMAIL,
                                                         "password": ADMIN_PASSWORD})
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            body = {"name": "Gig", "venue": "Hall", "total_seats": 5, "price": "5.00",
                    "starts_at": (datetime.now(UTC) + timedelta(days=9)).isoformat()}
            event = client.post("/api/events", json=body, headers=headers)
            assert event.status_code == 201, event.text
            booked = client.post(f"/api/events/{event.json()['id']}/book",
                                 json={"quantity": 1}, headers=headers)
            assert booked.status_code == 201, booked.text
    assert settle(before) == before
