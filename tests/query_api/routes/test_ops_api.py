"""Operators over HTTP: rebuild in the background, lag in the status, health, metrics."""

import re
import time
from typing import Any

from fastapi.testclient import TestClient

from core.settings import get_settings
from projections.rebuild_state import claim
from tests.fixtures.api import Caller, assert_error
from tests.query_api.routes.waiting import wait_rebuilt


def sample(text: str, name: str, **labels: str) -> float:
    """One sample's value from a Prometheus text exposition (0 when absent)."""
    want = ",".join(f'{k}="{v}"' for k, v in labels.items())
    found = re.search(rf"^{name}\{{{re.escape(want)}\}} (\S+)$", text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def test_rebuild_answers_202_and_shows_progress_until_swapped(
    client: TestClient, admin: Caller, auditor: Caller, alice: Caller, make_event: Any, book: Any
) -> None:
    book(alice, make_event()["id"], 2)
    response = client.post("/api/projections/bookings/rebuild", headers=admin.headers)
    assert response.status_code == 202, response.text
    started = response.json()["rebuild"]
    assert started["started_at"] and started["error"] is None
    row = wait_rebuilt(client, auditor, "bookings", started["started_at"])
    assert row["rebuild"]["done"] == row["rebuild"]["total"] == row["head"]
    assert row["rebuild"]["finished_at"] and row["rebuild"]["rate"] > 0
    assert row["rebuild"]["eta_seconds"] is None  # nothing left to do
    assert row["lag_events"] == 0 and row["lag_seconds"] == 0
    assert_error(client.post("/api/projections/bookings/rebuild", headers=auditor.headers), 403)
    assert_error(client.post("/api/projections/bookings/rebuild", headers=alice.headers), 403)


def test_a_second_rebuild_while_one_runs_is_refused(client: TestClient, admin: Caller) -> None:
    claim(["revenue"], 0)  # as if a worker were busy with it
    assert_error(client.post("/api/projections/revenue/rebuild", headers=admin.headers),
                 409, "REBUILD_IN_PROGRESS")


def test_health_degrades_past_the_lag_threshold(
    client: TestClient, alice: Caller, make_event: Any, book: Any, monkeypatch: Any
) -> None:
    book(alice, make_event()["id"])
    assert client.get("/api/health").json()["status"] == "ok"
    monkeypatch.setattr(get_settings(), "health_max_lag_events", -1)  # even no lag is too much
    body = client.get("/api/health").json()
    assert (body["status"], body["database"], body["max_lag_events"]) == ("degraded", "ok", -1)


def test_metrics_count_commands_and_show_projection_lag(
    client: TestClient, alice: Caller, make_event: Any, book: Any
) -> None:
    before = client.get("/metrics").text
    event = make_event()
    assert book(alice, event["id"], 2).status_code == 201
    assert book(alice, event["id"], 9).status_code == 400
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    for outcome, n in (("ok", 1), ("NOT_ENOUGH_SEATS", 1)):
        labels = {"command": "book", "outcome": outcome}
        assert sample(text, "ledger_commands_total", **labels) - sample(
            before, "ledger_commands_total", **labels) == n
    assert sample(text, "ledger_command_seconds_count", command="book") >= 1
    assert "ledger_concurrency_retries_total" in text
    # A worker projects in the distributed run: the lag gauge reaches 0 once it caught up.
    deadline = time.monotonic() + 15
    while sample(text, "ledger_projection_lag_events", projection="bookings") != 0:
        assert time.monotonic() < deadline, "projection lag never reached 0 in /metrics"
        time.sleep(0.05)
        text = client.get("/metrics").text
    # The read models' transactions are counted, the booking's among those that read events:
    # embedded, in this process; workers' counts reach it only through a shared
    # PROMETHEUS_MULTIPROC_DIR (the benchmark's stack has one, this test's has not).
    if get_settings().is_eager:
        read = {"batch": "projections", "read": "events"}
        assert (sample(text, "ledger_projection_batches_total", **read)
                > sample(before, "ledger_projection_batches_total", **read))
    assert "/metrics" not in client.get("/openapi.json").text
