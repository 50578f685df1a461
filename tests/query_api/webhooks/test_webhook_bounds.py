"""Webhooks' bounds and defaults through the API: the run command's settings refuse a loopback
target (naming the rule, not the address), endpoints per owner and replays per endpoint per
hour are bounded."""

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from core.settings import Settings
from tests.fixtures.api import Caller, assert_error
from tests.support.webhook_receiver import Receiver

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def run_command_defaults(backend: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """What `./scripts/run.sh` gives the app: development, Celery eager (no broker), and no
    WEBHOOK_ALLOW_PRIVATE (over the test settings of the backend). Asked before the client."""
    monkeypatch.setenv("ENVIRONMENT", "development")
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("WEBHOOK_ALLOW_PRIVATE", raising=False)


@pytest.fixture
def two_each(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two endpoints per owner, two replays per endpoint per hour. Asked before the client."""
    monkeypatch.setenv("WEBHOOK_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("WEBHOOK_MAX_ENDPOINTS_PER_OWNER", "2")
    monkeypatch.setenv("WEBHOOK_MAX_REPLAYS_PER_HOUR", "2")


def register(client: TestClient, who: Caller, url: str) -> Any:
    return client.post("/api/webhooks", headers=who.headers,
                       json={"url": url, "event_types": ["booking.created"]})


def test_the_run_commands_defaults_refuse_a_loopback_target_naming_the_rule_only(
    run_command_defaults: None, client: TestClient, admin: Caller,
) -> None:
    assert "WEBHOOK_ALLOW_PRIVATE" not in (ROOT / "scripts" / "run.sh").read_text()
    for url in ("http://127.0.0.1:8000/api/health", "http://localhost:8000/api/health",
                "http://[::1]:8000/api/health"):
        body = assert_error(register(client, admin, url), 422, "WEBHOOK_ADDRESS_REFUSED")
        assert "loopback" in body["message"], body
        assert "127.0.0.1" not in body["message"] and "::1" not in body["message"], body
    body = assert_error(register(client, admin, "http://10.0.0.7/"), 422,
                        "WEBHOOK_ADDRESS_REFUSED")
    assert "private" in body["message"] and "10.0.0.7" not in body["message"]


def test_an_owner_registers_at_most_the_bound_of_active_endpoints(
    two_each: None, client: TestClient, admin: Caller, receiver: Receiver,
) -> None:
    first = register(client, admin, receiver.url)
    assert register(client, admin, receiver.url).status_code == 201
    assert first.status_code == 201
    body = assert_error(register(client, admin, receiver.url), 409, "TOO_MANY_WEBHOOKS")
    assert "2" in body["message"]
    hook = first.json()["id"]
    assert client.delete(f"/api/webhooks/{hook}", headers=admin.headers).status_code == 200
    assert register(client, admin, receiver.url).status_code == 201  # a slot freed


def test_replays_of_one_endpoint_are_bounded_per_hour(
    two_each: None, client: TestClient, admin: Caller, receiver: Receiver,
) -> None:
    hook = register(client, admin, receiver.url).json()["id"]
    other = register(client, admin, receiver.url).json()["id"]

    def replay(endpoint: str) -> Any:
        return client.post(f"/api/webhooks/{endpoint}/replay", headers=admin.headers,
                           json={"from_position": 0})

    assert [replay(hook).status_code for _ in range(2)] == [200, 200]
    refused = replay(hook)
    assert_error(refused, 429, "TOO_MANY_REPLAYS")
    assert 0 < int(refused.headers["retry-after"]) <= 3600
    assert replay(other).status_code == 200  # its own count
