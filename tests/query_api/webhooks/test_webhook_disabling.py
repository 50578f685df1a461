"""An endpoint that keeps failing is shown to its owner as failing, then disabled with the reason,
through the app's own scheduler; its owner's replay enables it again."""

import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.fixtures.api import Caller
from tests.support.webhook_receiver import Receiver


@pytest.fixture
def disabled_soon(monkeypatch: pytest.MonkeyPatch) -> None:
    """Disabled after a second of failures. Asked before the client."""
    monkeypatch.setenv("WEBHOOK_DISABLE_AFTER_SECONDS", "1")


def shown_when(client: TestClient, who: Caller, hook: str,
               check: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    deadline = time.monotonic() + 20
    while True:
        found: dict[str, Any] = client.get(f"/api/webhooks/{hook}", headers=who.headers).json()
        if check(found):
            return found
        assert time.monotonic() < deadline, found
        time.sleep(0.1)


def test_a_failing_endpoint_is_disabled_with_its_reason_until_a_replay(
    allow_private: None, disabled_soon: None, client: TestClient, admin: Caller,
    receiver: Receiver, make_event: Callable[..., dict[str, Any]],
) -> None:
    created = client.post("/api/webhooks", headers=admin.headers, json={
        "url": receiver.url, "event_types": ["event.created"]}).json()
    receiver.secret = created["secret"]
    assert (created["failing_since"], created["disabled_at"]) == (None, None)
    receiver.answer = lambda _: 503
    make_event()

    failing = shown_when(client, admin, created["id"], lambda w: w["failing_since"] is not None)
    assert failing["disabled_at"] is None
    disabled = shown_when(client, admin, created["id"], lambda w: w["disabled_at"] is not None)
    assert disabled["active"] is True
    assert disabled["disabled_reason"].startswith("every attempt failed for ")
    assert disabled["disabled_reason"].endswith("; the last: HTTP 503")
    log = client.get(f"/api/webhooks/{created['id']}/deliveries", headers=admin.headers).json()
    assert log["items"][0]["last_error"] == "HTTP 503"  # the status, not the answer's body

    receiver.answer = lambda _: 204
    replayed = client.post(f"/api/webhooks/{created['id']}/replay", headers=admin.headers,
                           json={"from_position": 0})
    assert replayed.status_code == 200, replayed.text
    receiver.wait_for(1)
    mended = shown_when(client, admin, created["id"], lambda w: w["failing_since"] is None)
    assert (mended["disabled_at"], mended["disabled_reason"]) == (None, None)
