"""The verify runs' rows (commands/audit/verify_runs.py) on SQLite and PostgreSQL: one running
run at a time, held by the database whoever inserts; a silent run gives way; a run declared
dead records nothing more."""

import threading
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from commands.audit import verify_runs
from commands.audit.verify_runs import Abandoned, VerifyRunning
from core.db import read_scope, session_scope
from core.settings import Settings


def _silence(run_id: Any, seconds: float) -> None:
    """As if the run's process had stopped beating its heart `seconds` ago."""
    with session_scope() as session:
        session.execute(update(verify_runs.runs).where(verify_runs.runs.c.id == run_id)
                        .values(heartbeat_at=datetime.now(UTC) - timedelta(seconds=seconds)))


def test_a_second_running_row_is_refused_by_the_database(any_settings: Settings) -> None:
    first = verify_runs.claim("a@example.com", 10)
    now = datetime.now(UTC)

    with pytest.raises(IntegrityError), session_scope() as session:  # past any check in code
        session.execute(insert(verify_runs.runs).values(
            id=uuid4(), status="running", started_at=now, started_by="b@example.com",
            heartbeat_at=now, checked=0, total=0, problems=0))

    with pytest.raises(VerifyRunning) as refused:
        verify_runs.claim("b@example.com", 10)
    assert refused.value.run_id == first.id


def test_of_starts_racing_in_threads_exactly_one_claims(any_settings: Settings) -> None:
    barrier = threading.Barrier(4)
    claimed: list[Any] = []
    refused: list[Any] = []

    def start(n: int) -> None:
        barrier.wait()
        try:
            claimed.append(verify_runs.claim(f"{n}@example.com", 0).id)
        except VerifyRunning as exc:
            refused.append(exc.run_id)

    threads = [threading.Thread(target=start, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len(claimed) == 1 and len(refused) == 3
    assert set(refused) <= {claimed[0], None}  # each names the winner, when it still runs


def test_a_silent_run_gives_way_and_its_late_beats_stop_it(any_settings: Settings) -> None:
    dead = verify_runs.claim("dead@example.com", 0)
    _silence(dead.id, verify_runs.STALE_SECONDS - 5)
    with pytest.raises(VerifyRunning):  # silent, but not for long enough
        verify_runs.claim("next@example.com", 0)
    _silence(dead.id, verify_runs.STALE_SECONDS + 1)

    fresh = verify_runs.claim("next@example.com", 0)

    shown = verify_runs.get(dead.id)
    assert shown is not None and (shown.status, shown.error) == ("failed", verify_runs.ABANDONED)
    with pytest.raises(Abandoned):
        verify_runs.beat(dead.id, 5)  # the dead run's process was only slow: it stops now
    with pytest.raises(Abandoned):
        verify_runs.finish(dead.id, {"ok": True, "events": [], "chain": {"ok": True,
                                                                          "broken": []}}, 5)
    with read_scope() as session:
        kept = session.scalar(select(verify_runs.runs.c.checked)
                              .where(verify_runs.runs.c.id == dead.id))
    assert kept == 0
    assert verify_runs.get(fresh.id) is not None


def test_progress_grows_the_total_and_a_finish_keeps_every_problem(
    any_settings: Settings,
) -> None:
    run = verify_runs.claim("a@example.com", 10)
    verify_runs.beat(run.id, 4)
    assert (verify_runs.get(run.id) or run).checked == 4
    verify_runs.beat(run.id, 12)  # events arrived meanwhile
    grown = verify_runs.get(run.id)
    assert grown is not None and (grown.checked, grown.total) == (12, 12)
    broken = [{"stream": str(uuid4()), "version": v, "position": v, "reason": "hash mismatch",
               "expected": "a", "found": "b", "previous_version": v - 1}
              for v in range(1, 151)]
    report = {"ok": False, "checked_events": 150, "checked_streams": 150,
              "events": [{"event_id": str(uuid4()), "ok": False, "events": 1,
                          "problems": [{"version": 1, "position": 1, "rule": "capacity",
                                        "message": "over capacity"}]}],
              "chain": {"ok": False, "broken": broken},
              "snapshots": {"ok": True, "checked": 0, "unsealed": 0, "bad": []},
              "projections": {"bookings": {"ok": False, "position": 9, "difference_count": 3,
                                           "differences": [{"table": "bookings", "key": {"id": 1},
                                                            "expected": None, "found": {"x": 1}}]}},
              "proofs": {"ok": False, "heads_checked": 1, "leaves": 9,
                         "problems": [{"kind": "root", "message": "differs", "head": None}]}}

    verify_runs.finish(run.id, report, 150)

    done = verify_runs.get(run.id)
    assert done is not None and (done.status, done.ok, done.checked, done.total) == (
        "finished", False, 150, 150)
    assert done.problems == 150 + 1 + 2 + 1  # links, the rule, the difference and the rest
    assert done.report is not None and len(done.report["chain"]["broken"]) == 100
    with read_scope() as session:
        page, total = verify_runs.problems_page(session, run.id, 148, 10)
    assert total == done.problems
    assert [p["kind"] for p in page] == ["chain", "chain", "capacity", "projection",
                                         "projection", "proof"]
    assert page[3]["message"].startswith("bookings: bookings ")
    assert page[4]["message"] == "bookings: 2 more differences, not listed"
    assert page[5] == {"kind": "proof", "stream": None, "version": None, "position": None,
                       "message": "root: differs"}
