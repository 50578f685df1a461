"""Read-your-writes: positions on every answer, bounded waits, write-side fallbacks."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from core.settings import get_settings
from projections import tracking
from query_api.service.write_side import get_ledger
from tests.fixtures.api import Caller, assert_error

# Passwords hashed at a test's cost (tests/fixtures/api.py).
pytestmark = pytest.mark.usefixtures("cheap_hashing")

MakeEvent = Callable[..., dict[str, Any]]


@pytest.fixture
def paused(client: TestClient) -> Iterator[Callable[[], None]]:
    """Stop projecting after commands (as with a slow worker); call the result to catch up."""
    ledger = get_ledger()
    wake, ledger.on_commit = ledger.on_commit, None
    get_settings().read_wait_max_seconds = 0.2

    def catch_up() -> None:  # the workers' job, woken as a commit would (embedded: done here)
        head = ledger.eventlog.last()
        assert wake is not None
        wake(head)
        assert tracking.wait_for(head, timeout=20)

    yield catch_up
    ledger.on_commit = wake


def test_reads_report_their_position(client: TestClient, make_event: MakeEvent) -> None:
    event = make_event()
    response = client.get(f"/api/events/{event['id']}", params={"min_position": 1})
    assert int(response.headers["x-projection-position"]) >= event["position"]


def test_booking_is_readable_and_cancellable_before_it_is_projected(
    client: TestClient,
    alice: Caller,
    make_event: MakeEvent,
    book: Any,
    paused: Callable[[], None],
) -> None:
    event = make_event(total_seats=5)
    paused()
    booking = book(alice, event["id"], 2).json()
    shown = client.get(f"/api/bookings/{booking['id']}", headers=alice.headers)
    assert shown.status_code == 200 and shown.json()["id"] == booking["id"]
    assert client.get(f"/api/events/{event['id']}").json()["available_seats"] == 5  # stale
    cancelled = client.delete(f"/api/bookings/{booking['id']}", headers=alice.headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_min_position_waits_bounded_then_answers_what_it_has(
    client: TestClient,
    alice: Caller,
    make_event: MakeEvent,
    book: Any,
    paused: Callable[[], None],
) -> None:
    event = make_event(total_seats=5)
    paused()
    booking = book(alice, event["id"], 2).json()
    url = f"/api/events/{event['id']}"
    stale = client.get(url, params={"min_position": booking["position"]})
    assert stale.status_code == 200
    assert int(stale.headers["x-projection-position"]) < booking["position"]
    paused()
    fresh = client.get(url, params={"min_position": booking["position"]})
    assert int(fresh.headers["x-projection-position"]) >= booking["position"]
    assert fresh.json()["available_seats"] == 3


def test_customer_cannot_read_anothers_booking_through_the_fallback(
    client: TestClient,
    alice: Caller,
    bob: Caller,
    make_event: MakeEvent,
    book: Any,
    paused: Callable[[], None],
) -> None:
    booking = book(alice, make_event()["id"]).json()
    assert_error(
        client.get(f"/api/bookings/{booking['id']}", headers=bob.headers), 404, "BOOKING_NOT_FOUND"
    )


def test_negative_min_position_is_422(client: TestClient) -> None:
    assert_error(client.get("/api/events", params={"min_position": -1}), 422, "VALIDATION_ERROR")
