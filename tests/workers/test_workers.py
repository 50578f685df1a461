"""Celery: wake-ups after commits, eager in the embedded mode, a real worker and beat on Redis."""

import logging
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from celery.exceptions import Retry
from kombu.exceptions import OperationalError

from bench.scenario import book, new_event
from commands.ledger import Ledger
from core.settings import Settings
from projections import catch_up, registry, tracking
from tests.conftest import REDIS_URL
from tests.stack import Process, require_services, service_env, start_worker
from tests.support.history import break_projection
from workers import snapshots, tasks
from workers.celery_app import create_app


def test_embedded_mode_projects_right_after_each_command(sqlite_settings: Settings) -> None:
    ledger = Ledger(sqlite_settings, on_commit=tasks.wake)
    try:
        outcome = ledger.cancel_booking(book(ledger, new_event(ledger))["id"])
        assert outcome.position == ledger.eventlog.last()
        assert tracking.wait_for(ledger.eventlog.last(), timeout=0)
    finally:
        ledger.close()


def test_a_broker_failure_never_fails_the_command(
    sqlite_settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OperationalError("broker down")

    monkeypatch.setattr(tasks, "_send", refuse)
    ledger = Ledger(sqlite_settings, on_commit=tasks.wake)
    try:
        with caplog.at_level(logging.WARNING, logger="workers.tasks"):
            booking = book(ledger, new_event(ledger))
        assert booking["status"] == "confirmed"
        assert "could not send the wake-up" in caplog.text
        assert tracking.wait_for(ledger.eventlog.last(), timeout=0) is False  # beat will catch up
    finally:
        ledger.close()


def test_tasks_take_names_and_refuse_unknown_ones(sqlite_settings: Settings) -> None:
    with pytest.raises(ValueError, match="unknown projection"):
        tasks.advance_projection.apply(("nope",), throw=True)
    assert tasks.advance_projection.apply(("revenue", 0), throw=True).get() == 0


def test_a_snapshot_task_comes_back_later_while_another_is_being_taken(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshots, "get_ledger", lambda: ledger)
    event_id = new_event(ledger)
    book(ledger, event_id)
    assert ledger.snapshots is not None
    with snapshots._one_snapshot, pytest.raises(Retry):  # a pool thread is taking one
        snapshots.take_snapshot(str(event_id), 2)
    assert list(ledger.snapshots.get(event_id)) == []  # nothing taken, no thread held
    assert snapshots.take_snapshot(str(event_id), 2) is True
    assert snapshots.take_snapshot(str(event_id), 2) is False  # delivered twice: already there
    assert [s.originator_version for s in ledger.snapshots.get(event_id)] == [2]


def test_one_wake_up_message_advances_every_projection_and_retries_a_failed_one_alone(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    retried: list[tuple[object, ...]] = []
    monkeypatch.setattr(tasks, "get_eventlog", lambda: ledger.eventlog)
    monkeypatch.setattr(tasks.advance_projection, "apply_async",
                        lambda args, **_: retried.append(tuple(args)))
    real, broken = break_projection("revenue", "revenue table locked")
    book(ledger, new_event(ledger))  # the ledger fixture sends no wake-ups
    head = ledger.eventlog.last()
    monkeypatch.setitem(registry.REGISTRY, "revenue", broken)
    with caplog.at_level(logging.WARNING, logger="workers.tasks"):
        assert tasks.advance_projections.apply((head,), throw=True).get() > 0
    assert "failed together" in caplog.text  # then one by one: the others are not held back
    reached = tracking.current_positions()
    assert reached["availability"] == reached["bookings"] == head
    assert reached.get("revenue", 0) < head and retried == [("revenue", head)]
    monkeypatch.setitem(registry.REGISTRY, "revenue", real)
    assert tasks.advance_projections.apply((head,), throw=True).get() > 0  # revenue only
    assert tracking.wait_for(head, timeout=0)
    assert tasks.advance_projections.apply((head,), throw=True).get() == 0  # all there


def test_a_wake_up_advances_the_projections_together(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tasks, "get_eventlog", lambda: ledger.eventlog)
    one_by_one: list[str] = []

    def advance(name: str, *args: Any, **kwargs: Any) -> int:
        one_by_one.append(name)
        return 0

    monkeypatch.setattr(catch_up, "advance", advance)
    book(ledger, new_event(ledger))
    head = ledger.eventlog.last()
    assert tasks.advance_projections.apply((head,), throw=True).get() == len(catch_up.ALL) * head
    assert tracking.wait_for(head, timeout=0) and one_by_one == []


def test_beat_s_catch_up_advances_the_projections_behind_together(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tasks, "get_eventlog", lambda: ledger.eventlog)
    one_by_one: list[str] = []
    monkeypatch.setattr(tasks.advance_projection, "apply_async",
                        lambda args, **_: one_by_one.append(args[0]))
    reads: list[int] = []
    read = ledger.eventlog.read

    def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(1)
        return read(*args, **kwargs)

    monkeypatch.setattr(ledger.eventlog, "read", counted)
    book(ledger, new_event(ledger))
    head = ledger.eventlog.last()
    assert tasks.advance_all_projections.apply(throw=True).get() == len(catch_up.ALL) * head
    assert tracking.wait_for(head, timeout=0) and one_by_one == []
    assert len(reads) == 1  # the log read once for all of them
    assert tasks.advance_all_projections.apply(throw=True).get() == 0  # nothing behind: no batch
    assert len(reads) == 1


def test_the_app_is_configured_for_at_least_once_delivery() -> None:
    distributed = create_app(Settings(celery_broker_url="redis://broker:6379/0",
                                      beat_interval_seconds=3))
    conf = distributed.conf
    assert not conf.task_always_eager
    assert (conf.task_acks_late, conf.task_reject_on_worker_lost) == (True, True)
    assert (conf.worker_prefetch_multiplier, conf.task_ignore_result) == (1, True)
    entry = conf.beat_schedule["advance-all-projections"]  # the read models' safety net
    assert (entry["task"], entry["schedule"]) == ("workers.tasks.advance_all_projections", 3)
    assert create_app(Settings()).conf.task_always_eager


@pytest.mark.postgres
def test_a_worker_and_beat_project_on_postgres_and_redis(
    pg_settings: Settings, tmp_path: Path
) -> None:
    require_services()
    env = service_env(pg_settings.database_url, f"p{uuid.uuid4().hex[:10]}")
    ledger = Ledger(pg_settings)
    worker = start_worker(env, tmp_path)
    beat = None
    try:
        book(ledger, new_event(ledger))
        sender = create_app(Settings(celery_broker_url=f"{REDIS_URL}/0",
                                     celery_namespace=env["CELERY_NAMESPACE"]))
        for name in catch_up.PROJECTIONS:
            sender.send_task("workers.tasks.advance_projection", (name,))
        assert tracking.wait_for(ledger.eventlog.last(), timeout=30), worker.tail()

        book(ledger, new_event(ledger))  # no wake-up this time: beat must catch it up
        beat = Process([sys.executable, "-m", "celery", "-A", "workers.celery_app", "beat",
                        "-s", str(tmp_path / "beat-state")], env, tmp_path / "beat.log")
        assert tracking.wait_for(ledger.eventlog.last(), timeout=30), beat.tail() + worker.tail()
    finally:
        for process in (beat, worker):
            if process is not None:
                process.stop()
        ledger.close()
    assert "advance_projection" in worker.tail()

