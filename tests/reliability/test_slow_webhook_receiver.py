"""Receivers that trickle their answer a byte every few seconds hold up nothing but their own
deliveries, on both topologies: a short hold still expires within seconds of `expires_at` (its
seats back on sale), another endpoint still gets its deliveries, heads are still signed, and
each stalled attempt fails at the deadline with a clear error."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.distributed import WEBHOOK_DEADLINE_SECONDS
from tests.fixtures.api import Caller, assert_error
from tests.support.trickling_receiver import TricklingReceiver
from tests.support.waiting import eventually
from tests.support.webhook_receiver import Receiver

pytestmark = pytest.mark.usefixtures("cheap_hashing")
# As many stalled endpoints as took every thread of the distributed stack's worker, when one
# queue and four threads served deliveries, projections, expiry and signing alike.
STALLED = 16
DEADLINE_SECONDS = WEBHOOK_DEADLINE_SECONDS  # the embedded process's, as the stack's workers'
SHORT_HOLD = 5  # seconds: the shortest an event allows
# How late after `expires_at` a hold may be seen expired: the schedulers' tick and a loaded
# machine, never a receiver's pace.
EXPIRY_SLACK_SECONDS = 6
TYPES = ["hold.created", "hold.expired", "booking.created"]


@pytest.fixture
def slow_receivers_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loopback targets allowed, room for every endpoint; the embedded schedulers' ticks
    frequent. Asked before the client is made."""
    for name, value in (("WEBHOOK_ALLOW_PRIVATE", "true"), ("WEBHOOK_INTERVAL_SECONDS", "0.5"),
                        ("WEBHOOK_MAX_ENDPOINTS_PER_OWNER", str(STALLED + 1)),
                        ("HOLD_INTERVAL_SECONDS", "0.5"), ("CHECKPOINT_INTERVAL_SECONDS", "1"),
                        ("WEBHOOK_DEADLINE_SECONDS", str(DEADLINE_SECONDS))):
        monkeypatch.setenv(name, value)


def register(client: TestClient, admin: Caller, url: str, event_id: str) -> dict[str, Any]:
    r = client.post("/api/webhooks", headers=admin.headers,
                    json={"url": url, "event_types": TYPES, "event_id": event_id})
    assert r.status_code == 201, r.text
    return dict(r.json())



def test_receivers_trickling_their_answers_hold_up_no_expiry_no_other_endpoint_no_head(
    slow_receivers_allowed: None, client: TestClient, admin: Caller, alice: Caller,
    bob: Caller, make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
    trickler: TricklingReceiver, receiver: Receiver,
) -> None:
    event_id = make_event(total_seats=2, hold_seconds=SHORT_HOLD)["id"]
    stalled = [register(client, admin, trickler.url(f"/hook/{n}"), event_id)
               for n in range(STALLED)]
    receiver.secret = register(client, admin, receiver.url, event_id)["secret"]

    held = client.post(f"/api/events/{event_id}/holds", json={"quantity": 2},
                       headers=alice.headers)
    assert held.status_code == 201, held.text
    assert eventually(lambda: trickler.connections, timeout=20), "no attempt was stalled"
    assert_error(book(bob, event_id, quantity=2), 400, "SOLD_OUT")
    expires_at = datetime.fromisoformat(held.json()["expires_at"])

    def expired() -> bool:
        found = client.get(f"/api/holds/{held.json()['id']}", headers=alice.headers).json()
        return bool(found["status"] == "expired")

    wait = (expires_at - datetime.now(UTC)).total_seconds() + EXPIRY_SLACK_SECONDS
    assert eventually(expired, timeout=wait), "the hold did not expire in time"
    booked = book(bob, event_id, quantity=2)
    assert booked.status_code == 201, booked.text  # its seats back on sale

    got = receiver.wait_for(3, timeout=2 * DEADLINE_SECONDS + 4)
    assert [r.document["type"] for r in got] == TYPES
    assert receiver.bad_signatures == []
    proof_path = f"/api/audit/proofs/bookings/{booked.json()['id']}"
    assert eventually(lambda: client.get(proof_path, headers=bob.headers).status_code == 200,
                      timeout=15), "no head was signed over the booking"

    def failed_at_the_deadline() -> list[str]:
        log = client.get(f"/api/webhooks/{stalled[0]['id']}/deliveries",
                         headers=admin.headers).json()["items"]
        return [d["last_error"] for d in log if d["last_error"]]

    errors = eventually(failed_at_the_deadline, timeout=2 * DEADLINE_SECONDS + 4)
    assert errors == [f"no complete answer within {DEADLINE_SECONDS} s"]
