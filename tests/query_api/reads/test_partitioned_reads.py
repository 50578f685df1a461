"""With the read models in partitions, a read of one event waits only for its event's partition;
a read across events waits for them all."""

import time
from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from core.settings import get_settings
from projections import catch_up, partitions, registry
from projections.batch_loop import run_batches
from projections.partitions import Part
from query_api.service.write_side import get_ledger
from tests.fixtures.api import Caller

pytestmark = [pytest.mark.parametrize("backend", ["embedded"], indirect=True),
              pytest.mark.usefixtures("cheap_hashing")]


@pytest.fixture
def in_two(monkeypatch: pytest.MonkeyPatch) -> None:
    """Asked before the client: its processes read the setting when they start."""
    monkeypatch.setenv("PROJECTION_PARTITIONS", "2")


@pytest.mark.usefixtures("in_two")
def test_an_event_s_read_waits_for_its_partition_only(
    client: TestClient, alice: Caller, make_event: Callable[..., dict[str, Any]], book: Any
) -> None:
    events = [make_event() for _ in range(12)]
    (event, *_) = [e for e in events if partitions.of_stream(UUID(e["id"]), 2) == 0]
    assert [e for e in events if partitions.of_stream(UUID(e["id"]), 2) == 1]  # both in use
    ledger = get_ledger()
    wake, ledger.on_commit = ledger.on_commit, None  # the workers asleep
    try:
        position = book(alice, event["id"], 2).json()["position"]
        # Only the event's partition wakes up.
        run_batches(list(registry.REGISTRY.values()), [], ledger.eventlog, part=Part(0, 2))
        get_settings().read_wait_max_seconds = 1.0

        started = time.monotonic()
        page = client.get(f"/api/events/{event['id']}", params={"min_position": position})
        assert page.status_code == 200 and time.monotonic() - started < 0.9  # no wait
        assert int(page.headers["x-projection-position"]) >= position
        assert page.json()["available_seats"] == 3  # the booking is in it

        started = time.monotonic()
        listed = client.get("/api/events", params={"min_position": position})
        assert listed.status_code == 200 and time.monotonic() - started >= 0.9  # waited
        assert int(listed.headers["x-projection-position"]) < position  # partition 1 behind
    finally:
        ledger.on_commit = wake
    catch_up.advance_all(ledger.eventlog)
    listed = client.get("/api/events", params={"min_position": position})
    assert int(listed.headers["x-projection-position"]) >= position
