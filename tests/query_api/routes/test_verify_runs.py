"""Verify as a job: POST /api/audit/verify-runs, its progress, report and problems, one run at a
time; embedded (a thread of the API process) and PostgreSQL + a worker (a Celery task)."""

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from fastapi.testclient import TestClient
from sqlalchemy import update

from commands.audit import verify_runs
from core.db import session_scope
from query_api.service.write_side import get_ledger
from tests.fixtures.api import Caller, assert_error
from tests.support.tampering import edit_row
from tests.support.verify_runs import verified, wait_finished

RUNS = "/api/audit/verify-runs"


def test_a_run_reports_progress_then_its_verdict_and_is_listed(
    client: TestClient, admin: Caller, auditor: Caller, alice: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> None:
    event_id = make_event()["id"]
    assert book(alice, event_id, 2).status_code == 201
    head = get_ledger().eventlog.last()

    started = client.post(RUNS, headers=auditor.headers)

    assert started.status_code == 202, started.text
    run = started.json()
    assert (run["status"], run["started_by"], run["checked"], run["total"]) == (
        "running", "audra@example.com", 0, head)
    assert (run["problems"], run["finished_at"], run["ok"]) == (0, None, None)
    done = wait_finished(client, auditor.headers, run["id"])
    assert (done["status"], done["ok"], done["problems"], done["error"]) == (
        "finished", True, 0, None)
    assert done["checked"] == done["total"] >= head and done["finished_at"]
    report = done["report"]
    assert report["ok"] and report["chain"] == {"ok": True, "broken": []}
    assert report["events"] == []  # only those with problems are kept with a run
    log = client.get("/api/audit/log", params={"limit": 1000}, headers=auditor.headers).json()
    assert report["checked_events"] == len(log["items"])
    assert all(p["ok"] for p in report["projections"].values()) and report["proofs"]["ok"]
    problems = client.get(f"{RUNS}/{run['id']}/problems", headers=admin.headers).json()
    assert problems == {"items": [], "total": 0}

    second = verified(client, admin.headers)
    listed = client.get(RUNS, headers=auditor.headers).json()
    assert [r["id"] for r in listed["items"]] == [second["id"], run["id"]]
    assert listed["next_cursor"] is None
    first_page = client.get(RUNS, params={"limit": 1}, headers=auditor.headers).json()
    assert [r["id"] for r in first_page["items"]] == [second["id"]]
    rest = client.get(RUNS, params={"limit": 1, "cursor": first_page["next_cursor"]},
                      headers=auditor.headers).json()
    assert [r["id"] for r in rest["items"]] == [run["id"]] and rest["next_cursor"] is None


def test_one_run_at_a_time_two_starts_at_once_get_one_202_and_one_409(
    client: TestClient, admin: Caller, auditor: Caller, alice: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> None:
    assert book(alice, make_event()["id"]).status_code == 201
    barrier = threading.Barrier(2)
    answers: list[Any] = []

    def start(who: Caller) -> None:
        barrier.wait()
        answers.append(client.post(RUNS, headers=who.headers))

    starters = [threading.Thread(target=start, args=(who,)) for who in (admin, auditor)]
    for t in starters:
        t.start()
    for t in starters:
        t.join()

    statuses = sorted(a.status_code for a in answers)
    assert statuses == [202, 409], [a.text for a in answers]
    [won] = [a.json() for a in answers if a.status_code == 202]
    [lost] = [a for a in answers if a.status_code == 409]
    body = assert_error(lost, 409, "VERIFY_RUNNING")
    assert won["id"] in body["message"]  # the run already under way is named
    assert wait_finished(client, admin.headers, won["id"])["ok"] is True


def test_a_run_under_way_refuses_another_start_and_names_itself(
    client: TestClient, admin: Caller, auditor: Caller,
) -> None:
    running = verify_runs.claim("another-process@example.com", 0)  # as if a worker ran it

    refused = assert_error(client.post(RUNS, headers=admin.headers), 409, "VERIFY_RUNNING")

    assert str(running.id) in refused["message"]
    shown = client.get(f"{RUNS}/{running.id}", headers=auditor.headers).json()
    assert (shown["status"], shown["started_by"]) == ("running", "another-process@example.com")


def test_a_run_whose_process_died_does_not_block_the_next(
    client: TestClient, admin: Caller, auditor: Caller,
) -> None:
    dead = verify_runs.claim("killed@example.com", 0)
    silent = datetime.now(UTC) - timedelta(seconds=verify_runs.STALE_SECONDS + 1)
    with session_scope() as session:  # its heart stopped beating that long ago
        session.execute(update(verify_runs.runs).where(verify_runs.runs.c.id == dead.id)
                        .values(heartbeat_at=silent))
    shown = client.get(f"{RUNS}/{dead.id}", headers=auditor.headers).json()
    assert (shown["status"], shown["error"]) == ("failed", verify_runs.ABANDONED)

    started = client.post(RUNS, headers=admin.headers)

    assert started.status_code == 202, started.text
    assert wait_finished(client, admin.headers, started.json()["id"])["ok"] is True
    dead_now = client.get(f"{RUNS}/{dead.id}", headers=auditor.headers).json()
    assert (dead_now["status"], dead_now["ok"], dead_now["error"]) == (
        "failed", None, verify_runs.ABANDONED)


def test_a_tampered_store_gives_problems_paged_in_the_order_found(
    client: TestClient, admin: Caller, auditor: Caller, alice: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> None:
    event_id = make_event(total_seats=10)["id"]
    for _ in range(3):
        assert book(alice, event_id).status_code == 201
    ledger = get_ledger()
    for version in (2, 3, 4):  # each booking's record edited after the fact
        edit_row(ledger, UUID(event_id), version, user_name="Mallory")

    run = verified(client, auditor.headers)

    assert (run["status"], run["ok"]) == ("finished", False)
    assert run["problems"] >= 3 and run["report"]["chain"]["ok"] is False
    whole = client.get(f"{RUNS}/{run['id']}/problems", params={"limit": 500},
                       headers=auditor.headers).json()
    assert whole["total"] == run["problems"] == len(whole["items"])
    chain = [p for p in whole["items"] if p["kind"] == "chain"]
    assert [(p["stream"], p["version"]) for p in chain] == [(event_id, v) for v in (2, 3, 4)]
    assert all("hash mismatch" in p["message"] and p["position"] for p in chain)
    pages, offset = [], 0
    while page := client.get(f"{RUNS}/{run['id']}/problems", params={
            "offset": offset, "limit": 2}, headers=admin.headers).json()["items"]:
        assert len(page) <= 2
        pages += page
        offset += len(page)
    assert pages == whole["items"]


def test_unknown_runs_and_bad_pages_are_refused_with_stable_codes(
    client: TestClient, auditor: Caller, alice: Caller,
) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    assert_error(client.get(f"{RUNS}/{unknown}", headers=auditor.headers),
                 404, "VERIFY_RUN_NOT_FOUND")
    assert_error(client.get(f"{RUNS}/{unknown}/problems", headers=auditor.headers),
                 404, "VERIFY_RUN_NOT_FOUND")
    assert_error(client.get(f"{RUNS}/not-a-run", headers=auditor.headers),
                 422, "VALIDATION_ERROR")
    assert_error(client.get(RUNS, params={"cursor": "nonsense"}, headers=auditor.headers),
                 422, "INVALID_CURSOR")
    assert_error(client.get(f"{RUNS}/{unknown}/problems", params={"limit": 0},
                            headers=auditor.headers), 422, "VALIDATION_ERROR")
    assert_error(client.post(RUNS, headers=alice.headers), 403, "FORBIDDEN")
    assert client.get("/api/audit/verify", headers=auditor.headers).status_code == 404
