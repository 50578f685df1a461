"""GET /api/audit/log, /events/{id}/export and a verify run, on both backends."""

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from core.settings import ROOT
from projections.verify import verify_ledger
from query_api.service.write_side import get_ledger
from tests.fixtures.api import Caller, assert_error
from tests.query_api.routes.api_scenario import TYPES, told_through_the_api
from tests.support.verify_runs import verified


def test_the_log_resumed_from_any_cursor_yields_every_event_once(
    client: TestClient, admin: Caller, alice: Caller, bob: Caller, auditor: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> None:
    event_id = told_through_the_api(client, admin, alice, bob, make_event, book)
    whole = client.get("/api/audit/log", params={"limit": 1000}, headers=auditor.headers).json()
    positions = [i["position"] for i in whole["items"]]
    assert whole["next_cursor"] == positions[-1] == whole["head"]
    mine = [i for i in whole["items"] if i["aggregate_id"] == event_id]
    assert [i["type"] for i in mine] == TYPES and {i["aggregate_type"] for i in mine} == {"Event"}
    assert {i["aggregate_type"] for i in whole["items"]} == {"Event", "BookingRef"}

    for start in [0, *positions]:
        seen, cursor = [], start
        while page := client.get("/api/audit/log", params={"after": cursor, "limit": 2},
                                 headers=admin.headers).json()["items"]:
            seen += [i["position"] for i in page]
            cursor = page[-1]["position"]
        assert seen == [p for p in positions if p > start]
    caught_up = client.get("/api/audit/log", params={"after": positions[-1]},
                           headers=auditor.headers).json()
    assert caught_up["items"] == [] and caught_up["next_cursor"] == positions[-1]
    assert_error(client.get("/api/audit/log", params={"limit": 1001}, headers=auditor.headers),
                 422, "VALIDATION_ERROR")


def test_an_export_verifies_offline_and_an_edited_line_does_not(
    client: TestClient, admin: Caller, alice: Caller, bob: Caller, auditor: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any], tmp_path: Path,
) -> None:
    event_id = told_through_the_api(client, admin, alice, bob, make_event, book)
    response = client.get(f"/api/audit/events/{event_id}/export", headers=auditor.headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    export = tmp_path / "export.jsonl"
    export.write_text(response.text, encoding="utf-8")
    assert len(response.text.splitlines()) == len(TYPES)

    ok = offline(export)
    assert ok.returncode == 0 and ok.stdout.startswith("OK: 7 events"), ok.stdout
    export.write_text(response.text.replace('"quantity": 2', '"quantity": 1', 1), "utf-8")
    broken = offline(export)
    assert broken.returncode == 1 and "line 2 (version 2): hash mismatch" in broken.stdout
    assert_error(client.get(f"/api/audit/events/{admin.id}/export", headers=auditor.headers),
                 404, "EVENT_NOT_FOUND")


def offline(path: Path) -> subprocess.CompletedProcess[str]:
    """The verifier as anyone would run it: isolated mode, so only the standard library."""
    script = ROOT / "tools" / "verify_export.py"
    return subprocess.run([sys.executable, "-I", str(script), str(path)],  # noqa: S603
                          capture_output=True, text=True, check=False)


def test_verify_reports_ok_on_a_clean_ledger(
    client: TestClient, admin: Caller, alice: Caller, bob: Caller, auditor: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> None:
    event_id = told_through_the_api(client, admin, alice, bob, make_event, book)

    run = verified(client, auditor.headers)

    assert (run["ok"], run["problems"]) == (True, 0), run
    report = run["report"]
    assert report["ok"] is True and report["events"] == []  # a run keeps those with problems
    admin_id = str(admin.id)  # the event's organizer: an admin made it
    assert verify_ledger(get_ledger())["events"] == [{
        "event_id": event_id, "ok": True, "events": 7, "problems": [], "organizer_id": admin_id,
        "co_organizers": [], "ownership": [{"from_version": 1, "organizer_id": admin_id}]}]
    # The event's 7, and its 2 bookings' streams: registered, then one cancelled, one used.
    assert report["checked_events"] == 11 and report["checked_streams"] == 3
    assert report["chain"] == {"ok": True, "broken": []}
    assert set(report["projections"]) == {"availability", "bookings", "revenue", "holds",
                                          "invoices"}
    assert all(p["ok"] for p in report["projections"].values())


def test_the_event_types_are_served_as_declared_for_the_logs_filter_and_labels(
    client: TestClient, auditor: Caller, alice: Caller,
) -> None:
    found = client.get("/api/audit/event-types", headers=auditor.headers)
    assert found.status_code == 200
    kinds = {k["type"]: k for k in found.json()["items"]}
    assert kinds["SeatsBooked"] == {"type": "SeatsBooked", "label": "Seats booked",
                                    "streams": ["event"], "webhook": "booking.created"}
    assert kinds["TicketsCancelled"]["streams"] == ["event", "booking"]
    assert kinds["RefundRequested"]["webhook"] is None
    # What the filter offers is what the log's filter takes.
    for name in kinds:
        assert client.get("/api/audit/log", params={"type": name, "limit": 1},
                          headers=auditor.headers).status_code == 200
    assert_error(client.get("/api/audit/event-types", headers=alice.headers), 403)
