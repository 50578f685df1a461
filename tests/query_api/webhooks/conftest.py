"""The webhooks' routes through the whole app, embedded (SQLite) and on PostgreSQL, each with
Celery eager: the app's own scheduler fans out and sends, as the embedded default does."""

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from core.settings import Settings
from tests.fixtures.api import Caller
from tests.support.webhook_receiver import Receiver, running_receiver


@pytest.fixture(autouse=True)
def hash_cheaply(cheap_hashing: None) -> None:
    """Every test here hashes passwords at a test's cost (tests/fixtures/api.py)."""


@pytest.fixture
def backend(any_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The app on each backend, its scheduler's webhook tick frequent and retries quick."""
    monkeypatch.setenv("WEBHOOK_INTERVAL_SECONDS", "0.1")
    monkeypatch.setenv("WEBHOOK_RETRY_BASE_SECONDS", "0.05")
    monkeypatch.setenv("WEBHOOK_RETRY_MAX_SECONDS", "0.2")
    return any_settings


@pytest.fixture
def allow_private(monkeypatch: pytest.MonkeyPatch) -> None:
    """WEBHOOK_ALLOW_PRIVATE=true: the local receiver may be registered. Asked before the
    client."""
    monkeypatch.setenv("WEBHOOK_ALLOW_PRIVATE", "true")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as found:
        yield found


@pytest.fixture
def organizer(client: TestClient, admin: Caller,
              signup: Callable[[str], Caller]) -> Callable[[str], Caller]:
    """Sign a customer up, and have the admin grant them the organizer role."""

    def make(name: str) -> Caller:
        caller = signup(name)
        r = client.patch(f"/api/users/{caller.id}", json={"role": "organizer"},
                         headers=admin.headers)
        assert r.status_code == 200, r.text
        return caller

    return make
