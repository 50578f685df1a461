"""Exactly-once: concurrent, repeated and failed runs leave tables equal to a rebuild."""

import threading
from collections.abc import Callable
from typing import Any

import pytest

from commands.domain.event import Event
from commands.domain.lines import lines_of, total_of
from commands.ledger import Ledger
from core.db import session_scope
from projections import catch_up, registry, tracking
from projections.rebuild import rebuild, rebuild_all
from projections.revenue import EventStatsRow
from projections.status import status
from tests.support.history import break_projection, busy_history


def snapshot(name: str) -> dict[str, list[tuple[Any, ...]]]:
    with session_scope() as session:
        return registry.snapshot_tables(session, name)


def in_threads(*calls: Callable[[], Any]) -> list[Any]:
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


@pytest.mark.parametrize("name", catch_up.PROJECTIONS)
def test_concurrent_and_repeated_runs_equal_a_rebuild(any_ledger: Ledger, name: str) -> None:
    busy_history(any_ledger)
    total = len(any_ledger.recorder.select_notifications(start=1, limit=10_000))

    applied = in_threads(lambda: catch_up.advance(name, any_ledger.eventlog, batch_size=7),
                         lambda: catch_up.advance(name, any_ledger.eventlog, batch_size=5))
    assert sum(applied) == total  # every notification applied once, by one runner or the other
    assert catch_up.advance(name, any_ledger.eventlog) == 0
    live = snapshot(name)
    assert all(live.values())

    assert rebuild(name, any_ledger.eventlog) == total
    assert snapshot(name) == live
    with session_scope() as session:
        assert tracking.positions(session)[name] == any_ledger.eventlog.last()


def test_revenue_counts_match_the_write_side(any_ledger: Ledger) -> None:
    history = busy_history(any_ledger)
    in_threads(*[lambda: catch_up.advance("revenue", any_ledger.eventlog, batch_size=3)] * 3)
    with session_scope() as session:
        for event_id in history.event_ids:
            event = any_ledger.event(event_id)
            stats = session.get(EventStatsRow, event_id)
            assert stats is not None
            assert stats.tickets_sold == sum(c["sold"] for c in event.categories.values())
            confirmed = [b for b in event.bookings.values() if b["status"] == "confirmed"]
            assert stats.bookings_confirmed == len(confirmed)
            # Every booking made counts its lines at their prices (an order across categories
            # in the busy history's last event).
            assert stats.revenue == sum(total_of(lines_of(b)) for b in event.bookings.values())


def test_a_failing_batch_changes_nothing_and_is_recorded(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    busy_history(ledger, events=2, bookings=6)
    real, broken = break_projection("bookings", "projector crashed",
                                    lambda e: isinstance(e, Event.BookingCancelled))
    monkeypatch.setitem(registry.REGISTRY, "bookings", broken)
    with pytest.raises(RuntimeError, match="projector crashed"):
        catch_up.advance("bookings", ledger.eventlog, batch_size=1000)
    (report,) = [s for s in status(ledger.eventlog) if s["name"] == "bookings"]
    assert report["position"] == 0
    assert report["last_error"] == "RuntimeError: projector crashed"
    assert snapshot("bookings") == {"bookings": [], "tickets": [], "ticket_refunds": [],
                                    "payments": [], "money_moves": []}

    monkeypatch.setitem(registry.REGISTRY, "bookings", real)
    assert catch_up.advance("bookings", ledger.eventlog) > 0
    live = snapshot("bookings")
    rebuild("bookings", ledger.eventlog)
    assert snapshot("bookings") == live
    assert status(ledger.eventlog)[1]["last_error"] is None


def test_max_batches_bounds_one_run(ledger: Ledger) -> None:
    busy_history(ledger, events=1, bookings=4)
    assert catch_up.advance("availability", ledger.eventlog, batch_size=2, max_batches=2) == 4
    with session_scope() as session:
        assert tracking.positions(session)["availability"] == 4


def test_projections_advanced_together_equal_each_rebuilt(any_ledger: Ledger) -> None:
    busy_history(any_ledger)
    total = len(any_ledger.recorder.select_notifications(start=1, limit=10_000))
    names = catch_up.PROJECTIONS
    assert catch_up.advance("availability", any_ledger.eventlog, batch_size=5, max_batches=2) == 10

    # Two joint runs and a single one at once, from different positions.
    together_7, together_4, revenue_alone = in_threads(
        lambda: catch_up.advance_together(names, any_ledger.eventlog, batch_size=7),
        lambda: catch_up.advance_together(names, any_ledger.eventlog, batch_size=4),
        lambda: catch_up.advance("revenue", any_ledger.eventlog, batch_size=3),
    )
    applied = {name: together_7[name] + together_4[name] for name in names}
    applied["availability"] += 10
    applied["revenue"] += revenue_alone
    assert applied == dict.fromkeys(names, total)  # each notification once per projection
    assert catch_up.advance_together(names, any_ledger.eventlog) == dict.fromkeys(names, 0)

    live = {name: snapshot(name) for name in names}
    # One rebuild of them all: on PostgreSQL each rebuild starts its partition processes.
    assert rebuild_all(any_ledger.eventlog, names) == dict.fromkeys(names, total)
    assert {name: snapshot(name) for name in names} == live
    with session_scope() as session:
        assert set(tracking.positions(session).values()) == {any_ledger.eventlog.last()}


def test_a_failure_advancing_together_changes_no_projection(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    busy_history(ledger, events=2, bookings=6)
    _, broken = break_projection("revenue", "revenue crashed")
    monkeypatch.setitem(registry.REGISTRY, "revenue", broken)
    with pytest.raises(RuntimeError, match="revenue crashed"):
        catch_up.advance_together(catch_up.PROJECTIONS, ledger.eventlog)
    with session_scope() as session:
        assert set(tracking.positions(session).values()) == {0}
    assert snapshot("availability") == {t.name: [] for t in registry.get("availability").tables}
