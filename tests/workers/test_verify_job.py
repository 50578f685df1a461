"""A verify run carried out (workers/audit.py), on SQLite and PostgreSQL: progress written as the
pass goes, the verdict with every problem, and a run declared dead meanwhile stops and records
nothing; a run of the embedded process stops with the process, recorded failed."""

import threading
import time
from collections.abc import Callable
from uuid import UUID

import pytest
from sqlalchemy import text, update

from bench.scenario import scenario
from commands.audit import verify_runs
from commands.ledger import Ledger
from core.db import get_engine, read_scope, session_scope
from projections import catch_up
from workers import audit, audit_runs
from workers.embedded_runs import EmbeddedRuns, ServerStopping

pytestmark = pytest.mark.usefixtures("cheap_hashing")


def test_a_run_records_its_progress_and_every_problem(
    any_ledger: Ledger, monkeypatch: pytest.MonkeyPatch,
) -> None:
    scenario(any_ledger)
    catch_up.advance_all(any_ledger.eventlog)
    with get_engine().begin() as conn:
        conn.execute(text("UPDATE event_categories SET sold = 99"))
    head = any_ledger.eventlog.last()
    run = verify_runs.claim("auditor@example.com", head)
    beats: list[int | None] = []
    real_beat = verify_runs.beat
    monkeypatch.setattr(audit_runs, "PROGRESS_EVERY_SECONDS", 0.0)

    def counted(run_id: UUID, checked: int | None = None) -> None:
        beats.append(checked)
        real_beat(run_id, checked)

    monkeypatch.setattr(verify_runs, "beat", counted)

    audit.execute(run.id, any_ledger)

    done = verify_runs.get(run.id)
    assert done is not None and (done.status, done.ok) == ("finished", False)
    assert done.checked == done.total == head
    assert beats and beats[-1] == head  # the pass's position, written as it went
    with read_scope() as session:
        problems, total = verify_runs.problems_page(session, run.id, 0, 100)
    assert total == done.problems == 2  # one drifted row per category
    assert {p["kind"] for p in problems} == {"projection"}
    assert all(p["message"].startswith("availability: event_categories") for p in problems)
    assert done.report is not None and done.report["projections"]["availability"]["ok"] is False


def test_a_run_declared_dead_while_it_runs_stops_and_records_nothing(
    any_ledger: Ledger, monkeypatch: pytest.MonkeyPatch,
) -> None:
    scenario(any_ledger)
    catch_up.advance_all(any_ledger.eventlog)
    run = verify_runs.claim("auditor@example.com", any_ledger.eventlog.last())
    with session_scope() as session:  # another start found it silent and failed it
        session.execute(update(verify_runs.runs).where(verify_runs.runs.c.id == run.id)
                        .values(status="failed", error=verify_runs.ABANDONED))
    monkeypatch.setattr(audit_runs, "PROGRESS_EVERY_SECONDS", 0.0)

    audit.execute(run.id, any_ledger)

    after = verify_runs.get(run.id)
    assert after is not None and (after.status, after.error, after.ok) == (
        "failed", verify_runs.ABANDONED, None)
    with read_scope() as session:
        assert verify_runs.problems_page(session, run.id, 0, 10) == ([], 0)


def test_a_run_that_breaks_is_failed_with_its_error(
    any_ledger: Ledger, monkeypatch: pytest.MonkeyPatch,
) -> None:
    run = verify_runs.claim("auditor@example.com", 0)

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("the store went away")

    monkeypatch.setattr(audit, "verify_ledger", broken)

    audit.execute(run.id, any_ledger)

    failed = verify_runs.get(run.id)
    assert failed is not None and failed.status == "failed"
    assert failed.error == "RuntimeError: the store went away"


def test_a_run_of_the_embedded_process_stops_with_it_and_is_failed_with_why(
    any_ledger: Ledger, monkeypatch: pytest.MonkeyPatch,
) -> None:
    run = verify_runs.claim("auditor@example.com", 0)
    passing = threading.Event()

    def endless(_: Ledger, progress: Callable[[int], None]) -> None:
        position = 0
        while True:  # as a pass over a long log: only its progress can stop it
            position += 1
            progress(position)
            passing.set()
            time.sleep(0.01)

    monkeypatch.setattr(audit, "verify_ledger", endless)
    runs = EmbeddedRuns()
    runs.start("verify-run", audit.execute, run.id, any_ledger)
    assert passing.wait(10)

    runs.stop(wait_seconds=10)  # as the app does before it closes the store

    assert not [t for t in threading.enumerate() if t.name == "verify-run"]
    stopped = verify_runs.get(run.id)
    assert stopped is not None and stopped.status == "failed"
    assert stopped.error is not None and "stopped while the verify run ran" in stopped.error
    with pytest.raises(ServerStopping):  # and none starts once it stops
        runs.start("verify-run", audit.execute, run.id, any_ledger)
