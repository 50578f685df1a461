"""Exactly-once: concurrent, repeated and failed runs leave tables equal to a rebuild."""

import threading
from collections.abc import Callable
from typing import Any

import pytest

from commands.aggregate import Event
from commands.ledger import Ledger
from core.db import session_scope
from projections import registry, runner
from projections.rebuild import rebuild
from projections.status import status
from projections.tables import EventStatsRow
from tests.projections.history import busy_history


def snapshot(name: str) -> dict[str, list[tuple[Any, ...]]]:
    with session_scope() as session:
        return runner.snapshot_tables(session, name)


def in_threads(*calls: Callable[[], int]) -> list[int]:
    """Run the calls at the same moment; re-raise the first error."""
    results: list[Any] = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = calls[i]()
        except Exception as exc:  # surfaced below, in the test's thread
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        if isinstance(r, Exception):
            raise r
    return results


@pytest.mark.parametrize("name", runner.PROJECTIONS)
def test_concurrent_and_repeated_runs_equal_a_rebuild(any_ledger: Ledger, name: str) -> None:
    busy_history(any_ledger)
    total = len(any_ledger.recorder.select_notifications(start=1, limit=10_000))

    applied = in_threads(lambda: runner.advance(name, any_ledger, batch_size=7),
                         lambda: runner.advance(name, any_ledger, batch_size=5))
    assert sum(applied) == total  # every notification applied once, by one runner or the other
    assert runner.advance(name, any_ledger) == 0
    live = snapshot(name)
    assert all(live.values())

    assert rebuild(name, any_ledger) == total
    assert snapshot(name) == live
    with session_scope() as session:
        assert runner.positions(session)[name] == runner.head(any_ledger)


def test_revenue_counts_match_the_write_side(any_ledger: Ledger) -> None:
    history = busy_history(any_ledger)
    in_threads(*[lambda: runner.advance("revenue", any_ledger, batch_size=3)] * 3)
    with session_scope() as session:
        for event_id in history.event_ids:
            event = any_ledger.event(event_id)
            stats = session.get(EventStatsRow, event_id)
            assert stats is not None
            assert stats.tickets_sold == sum(c["sold"] for c in event.categories.values())
            confirmed = [b for b in event.bookings.values() if b["status"] == "confirmed"]
            assert stats.bookings_confirmed == len(confirmed)


def test_a_failing_batch_changes_nothing_and_is_recorded(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    busy_history(ledger, events=2, bookings=6)
    real = registry.REGISTRY["bookings"]

    def broken(domain_event: Any, position: int) -> list[Any]:
        if isinstance(domain_event, Event.BookingCancelled):
            raise RuntimeError("projector crashed")
        return real.project(domain_event, position)

    monkeypatch.setitem(registry.REGISTRY, "bookings", registry.Projection(
        "bookings", real.tables, broken))
    with pytest.raises(RuntimeError, match="projector crashed"):
        runner.advance("bookings", ledger, batch_size=1000)
    (report,) = [s for s in status(ledger) if s["name"] == "bookings"]
    assert report["position"] == 0
    assert report["last_error"] == "RuntimeError: projector crashed"
    assert snapshot("bookings") == {"bookings": [], "tickets": []}

    monkeypatch.setitem(registry.REGISTRY, "bookings", real)
    assert runner.advance("bookings", ledger) > 0
    live = snapshot("bookings")
    rebuild("bookings", ledger)
    assert snapshot("bookings") == live
    assert status(ledger)[1]["last_error"] is None


def test_max_batches_bounds_one_run(ledger: Ledger) -> None:
    busy_history(ledger, events=1, bookings=4)
    assert runner.advance("availability", ledger, batch_size=2, max_batches=2) == 4
    with session_scope() as session:
        assert runner.positions(session)["availability"] == 4
