"""Bounded waits: a position past the store's head answers at once, waiting reads are capped
and hold neither a thread nor a connection while they wait."""

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.pool import QueuePool

from core.db import get_engine
from core.settings import get_settings
from projections import catch_up, tracking
from query_api.reads import waits
from query_api.service.write_side import get_ledger
from tests.fixtures.api import Caller, assert_error

# Passwords hashed at a test's cost (tests/fixtures/api.py).
pytestmark = [pytest.mark.serial, pytest.mark.usefixtures("cheap_hashing", "quiet_scheduler")]


@pytest.fixture
def quiet_scheduler(monkeypatch: pytest.MonkeyPatch) -> None:
    """The embedded scheduler's jobs (holds, lines, webhooks) take a thread and a connection
    while they run: out of the way of what these tests count. Asked before the client."""
    for interval in ("HOLD_INTERVAL_SECONDS", "WEBHOOK_INTERVAL_SECONDS"):
        monkeypatch.setenv(interval, "60")

MakeEvent = Callable[..., dict[str, Any]]
EMBEDDED_ONLY = pytest.mark.parametrize("backend", ["embedded"], indirect=True)


@pytest.fixture
def unprojected(
    client: TestClient, alice: Caller, make_event: MakeEvent, book: Any
) -> Iterator[tuple[str, int]]:
    """An event and the position of a booking on it that no projection reached (yet)."""
    event = make_event(total_seats=5)
    ledger = get_ledger()
    wake, ledger.on_commit = ledger.on_commit, None  # as with a slow worker
    position = book(alice, event["id"], 1).json()["position"]
    yield event["id"], position
    ledger.on_commit = wake
    catch_up.advance_all(ledger.eventlog)


def test_a_position_past_the_head_is_refused_at_once(
    client: TestClient, admin: Caller, make_event: MakeEvent
) -> None:
    event = make_event()
    head = get_ledger().eventlog.last()
    paths = ["/api/events", f"/api/events/{event['id']}", "/api/health", "/api/projections",
             "/api/admin/stats", f"/api/events/{event['id']}/bookings"]
    for path in paths:
        for position in (head + 1, 2**63 - 1):
            started = time.monotonic()
            response = client.get(path, params={"min_position": position},
                                  headers=admin.headers)
            assert time.monotonic() - started < 1.0, path  # the wait is 5 s
            assert_error(response, 400, "POSITION_BEYOND_HEAD")
    assert client.get("/api/events", params={"min_position": head}).status_code == 200


@EMBEDDED_ONLY
def test_waiting_reads_over_the_cap_get_503_at_once(
    client: TestClient, unprojected: tuple[str, int]
) -> None:
    event_id, position = unprojected
    settings = get_settings()
    settings.read_waiters_max, settings.read_wait_max_seconds = 2, 1.0

    def read() -> tuple[Any, float]:
        started = time.monotonic()
        response = client.get(f"/api/events/{event_id}", params={"min_position": position})
        return response, time.monotonic() - started

    with ThreadPoolExecutor(5) as pool:
        answers = list(pool.map(lambda _: read(), range(5)))
    waited = [(r, t) for r, t in answers if r.status_code == 200]
    refused = [(r, t) for r, t in answers if r.status_code != 200]
    assert len(waited) == 2 and len(refused) == 3, [r.text for r, _ in answers]
    for response, took in refused:
        assert_error(response, 503, "TOO_MANY_WAITERS")
        assert response.headers["retry-after"] and took < 0.9
    for response, took in waited:  # the bounded wait, then what the projection has
        assert took >= 0.9 and int(response.headers["x-projection-position"]) < position
    assert waits.places.taken == 0  # every place given back


@EMBEDDED_ONLY
def test_waiting_reads_hold_no_thread_and_no_connection(
    client: TestClient, unprojected: tuple[str, int]
) -> None:
    event_id, position = unprojected
    get_settings().read_wait_max_seconds = 3.0
    portal = client.portal
    assert portal is not None
    pool = get_engine().pool
    assert isinstance(pool, QueuePool)
    threads, connections = [], []
    with ThreadPoolExecutor(30) as readers:
        answers = [readers.submit(client.get, f"/api/events/{event_id}",
                                  params={"min_position": position}) for _ in range(30)]
        # All of them waiting now: counted by their places, not guessed from a pause (on a busy
        # machine a pause once sampled requests still on their way to the wait).
        deadline = time.monotonic() + 2.5
        while waits.places.taken < 30 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert waits.places.taken == 30, waits.places.taken
        for _ in range(20):
            threads.append(portal.call(
                lambda: anyio.to_thread.current_default_thread_limiter().borrowed_tokens))
            connections.append(pool.checkedout())
            time.sleep(0.02)
        statuses = [answer.result().status_code for answer in answers]
    assert statuses == [200] * 30
    assert max(threads) <= 1 and max(connections) <= 1, (threads, connections)  # the poller's


def test_a_position_already_reached_still_answers_at_once(
    client: TestClient, make_event: MakeEvent
) -> None:
    event = make_event()
    # Reached: on the distributed backend a worker projects it, after the answer.
    assert tracking.wait_for(event["position"], timeout=30)
    started = time.monotonic()
    response = client.get(f"/api/events/{event['id']}", params={"min_position": event["position"]})
    assert response.status_code == 200 and time.monotonic() - started < 0.5
    assert int(response.headers["x-projection-position"]) >= event["position"]
