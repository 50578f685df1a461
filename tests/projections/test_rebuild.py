"""Rebuilds fill shadow tables while bookings go on, swap them in, and miss nothing."""

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, update

from bench.scenario import book, new_event
from commands.ledger import Ledger
from core.db import get_engine, session_scope
from core.models import Base
from projections import catch_up, rebuild, registry, shadow
from projections.rebuild_state import RebuildRunning, claim, rebuilds
from projections.status import status
from tests.support.history import busy_history


def models_status(ledger: Ledger) -> list[dict[str, Any]]:
    """The read models' rows of the status (the Merkle tree is advanced apart)."""
    return [r for r in status(ledger.eventlog) if r["name"] in catch_up.PROJECTIONS]

def live_tables() -> dict[str, Any]:
    with session_scope() as session:
        return {n: registry.snapshot_tables(session, n) for n in catch_up.PROJECTIONS}


def test_a_rebuild_during_live_bookings_ends_equal_to_a_fresh_replay(
    any_ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    busy_history(any_ledger, events=2, bookings=8)
    catch_up.advance_all(any_ledger.eventlog)
    monkeypatch.setattr(rebuild, "BATCH", 4)  # many small batches: bookings land in between
    event_id, stop = new_event(any_ledger), threading.Event()

    def live() -> None:
        while not stop.is_set():
            book(any_ledger, event_id)
            catch_up.advance_all(any_ledger.eventlog)

    writer = threading.Thread(target=live)
    writer.start()
    seen: list[tuple[str, int, int]] = []
    try:
        applied = rebuild.rebuild_all(any_ledger.eventlog, progress=lambda *a: seen.append(a))
    finally:
        stop.set()
        writer.join()
    catch_up.advance_all(any_ledger.eventlog)
    after_live = live_tables()
    assert set(applied) == set(catch_up.PROJECTIONS) and seen
    assert all(done <= total for _, done, total in seen)

    monkeypatch.setattr(rebuild, "BATCH", 5_000)
    assert rebuild.rebuild_all(any_ledger.eventlog) == dict.fromkeys(catch_up.PROJECTIONS, len(
        any_ledger.recorder.select_notifications(start=1, limit=100_000)))
    assert live_tables() == after_live  # a quiet replay from scratch agrees
    report = models_status(any_ledger)
    assert {r["lag_events"] for r in report} == {0}
    assert {r["rebuild"]["state"] for r in report} == {"idle"}
    assert all(r["rebuild"]["done"] == r["rebuild"]["total"] > 0 for r in report)


def test_after_a_swap_the_schema_is_still_the_migrated_one(any_ledger: Ledger) -> None:
    busy_history(any_ledger, events=1, bookings=3)
    rebuild.rebuild_all(any_ledger.eventlog)
    rebuild.rebuild_all(any_ledger.eventlog)  # a second swap finds every name free again
    with get_engine().connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "include_name": lambda name, kind, _: kind != "table" or name in Base.metadata.tables,
        })
        assert compare_metadata(context, Base.metadata) == []
        names = set(inspect(connection).get_table_names())
    assert not any(n.endswith(shadow.SUFFIX) for n in names)


def test_a_failed_rebuild_leaves_the_live_tables_serving(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    busy_history(ledger, events=1, bookings=4)
    catch_up.advance_all(ledger.eventlog)
    before = live_tables()

    def broken(*args: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(shadow, "swap", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        rebuild.rebuild("bookings", ledger.eventlog)
    assert live_tables() == before
    (row,) = [r for r in status(ledger.eventlog) if r["name"] == "bookings"]
    assert row["rebuild"]["state"] == "failed"
    assert row["rebuild"]["error"] == "RuntimeError: disk full"
    assert not [n for n in inspect(get_engine()).get_table_names() if shadow.SUFFIX in n]


def test_one_rebuild_at_a_time_unless_the_other_stopped_reporting(ledger: Ledger) -> None:
    claim(["revenue"], 0)
    with pytest.raises(RebuildRunning):
        rebuild.rebuild("revenue", ledger.eventlog)
    long_ago = datetime.now(UTC) - timedelta(hours=1)
    with session_scope() as session:
        session.execute(update(rebuilds).values(updated_at=long_ago))
    (row,) = [r for r in status(ledger.eventlog) if r["name"] == "revenue"]
    assert row["rebuild"]["state"] == "failed"  # abandoned: its worker died
    book(ledger, new_event(ledger))
    assert rebuild.rebuild("revenue", ledger.eventlog) == ledger.eventlog.last()


def test_partitioned_and_one_pass_fills_give_the_same_tables(
    pg_ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    busy_history(pg_ledger, events=7, bookings=10)
    catch_up.advance_all(pg_ledger.eventlog)
    expected = live_tables()
    total = len(pg_ledger.recorder.select_notifications(start=1, limit=100_000))
    for processes in (1, 3):  # one pass here; three child processes, streams split
        monkeypatch.setattr(pg_ledger.settings, "rebuild_processes", processes)
        assert rebuild.rebuild_all(pg_ledger.eventlog) == dict.fromkeys(catch_up.PROJECTIONS, total)
        assert live_tables() == expected
        report = models_status(pg_ledger)
        assert all(r["rebuild"]["done"] == r["rebuild"]["total"] == total for r in report)


def test_a_failing_partition_fails_the_rebuild_and_the_live_tables_serve_on(
    pg_ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    busy_history(pg_ledger, events=3, bookings=4)
    catch_up.advance_all(pg_ledger.eventlog)
    before = live_tables()
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    with pytest.raises(RuntimeError, match="partition"):  # the children cannot connect
        rebuild.rebuild_all(pg_ledger.eventlog)
    assert live_tables() == before
    assert {r["rebuild"]["state"] for r in models_status(pg_ledger)} == {"failed"}
