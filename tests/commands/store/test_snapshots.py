"""Which snapshots are due; those owed are written once the commits pause, or waited enough."""

import logging
import threading
import time
from typing import cast
from uuid import UUID

import pytest
from eventsourcing.application import ProcessingEvent
from eventsourcing.persistence import EventStore

from commands.domain.event import Event
from commands.store.snapshots import (
    COUNTS,
    RECORDS,
    ROWS_PER_COUNT,
    SNAPSHOT_SPAN,
    DeferredSnapshots,
    SnapshotSchedule,
    counts_step,
    snapshot_due,
)
from tests.commands.given import book, given, new_event

pytestmark = pytest.mark.serial


def busy_until(done: threading.Event, snapshots: DeferredSnapshots, seconds: float) -> float:
    """Commit every 10 ms until `done` is set or `seconds` pass; how long it took."""
    started = time.monotonic()
    while not done.is_set() and time.monotonic() - started < seconds:
        snapshots.committed()
        time.sleep(0.01)
    return time.monotonic() - started


def test_a_snapshot_waits_while_commits_come_and_is_written_when_they_pause() -> None:
    snapshots = DeferredSnapshots(quiet=1.0, at_most=60)
    written = threading.Event()
    snapshots.committed()
    snapshots.owe(written.set)
    busy_until(written, snapshots, 0.5)
    assert not written.is_set()  # the process is busy: nothing written meanwhile
    assert written.wait(10)  # a pause of 1 s
    snapshots.close()


def test_a_snapshot_is_written_after_at_most_its_wait_however_busy() -> None:
    snapshots = DeferredSnapshots(quiet=60, at_most=0.3)
    written = threading.Event()
    owed_at = time.monotonic()  # read before owing: the wait is counted from the debt
    snapshots.owe(written.set)
    busy_until(written, snapshots, 20)
    assert written.is_set() and time.monotonic() - owed_at >= 0.3
    snapshots.close()


def test_flush_writes_everything_owed_now_in_order_and_a_failure_loses_only_itself(
    caplog: pytest.LogCaptureFixture,
) -> None:
    snapshots = DeferredSnapshots(quiet=60, at_most=60)
    order: list[int] = []

    def failing() -> None:
        raise ConnectionError("the snapshot table is gone")

    snapshots.committed()
    snapshots.owe(lambda: order.append(1))
    snapshots.owe(failing)
    snapshots.owe(lambda: order.append(3))
    with caplog.at_level(logging.ERROR):
        snapshots.flush()
    assert order == [1, 3] and "could not store a snapshot" in caplog.text
    snapshots.close()
    with pytest.raises(RuntimeError):
        snapshots.owe(lambda: None)


def test_a_ledger_that_owed_nothing_starts_no_thread_and_closes() -> None:
    before = threading.active_count()
    snapshots = DeferredSnapshots()
    snapshots.flush()
    snapshots.close()
    assert threading.active_count() == before


def test_snapshot_due_doubles_its_step_as_the_stream_grows() -> None:
    due = [v for v in range(1, 201) if snapshot_due(v - 1, v, interval=10)]
    # Every 10 up to 4 steps of it; then every 20 up to 80; then every 40 up to 160.
    assert due == [10, 20, 30, 40, 60, 80, 120, 160]
    assert snapshot_due(115, 125, interval=10)  # a group crossing a multiple
    assert not snapshot_due(100, 119, interval=10)  # within one step of 20


def test_a_hot_streams_snapshots_together_cost_linear_in_its_length() -> None:
    n = 100_000
    encoded = sum(v for v in range(1, n + 1) if snapshot_due(v - 1, v, interval=10))
    assert encoded <= 2 * SNAPSHOT_SPAN * n  # a fixed step of 10 would encode n * n / 20


def saved(bookings_before: int, bookings_now: int) -> tuple[Event, ProcessingEvent[UUID]]:
    """An event saved with `bookings_now` new bookings on top of `bookings_before`."""
    event = new_event(categories=[{"name": "General", "price": "10", "capacity": 100}])
    for _ in range(bookings_before):
        book(event)
    event = given(event)
    for _ in range(bookings_now):
        book(event)
    processing: ProcessingEvent[UUID] = ProcessingEvent()
    processing.events.extend(event.collect_events())
    processing.aggregates[event.id] = event
    return event, processing


def schedule(asked: list[tuple[UUID, int, str]], *, sealed: bool = True) -> SnapshotSchedule:
    """A schedule whose snapshots are asked of a worker (`asked`) at SNAPSHOT_INTERVAL 10."""
    store = cast(EventStore[UUID], object())  # never used: the worker takes them
    return SnapshotSchedule(store, interval=10, sealed=sealed,
                            rebuild_at=lambda *a: asked.append(a),
                            elsewhere=lambda *a: asked.append(a))


def test_a_save_owes_both_kinds_at_each_multiple_it_crossed() -> None:
    asked: list[tuple[UUID, int, str]] = []
    plan = schedule(asked)
    event, processing = saved(7, 14)  # versions 9..22: crosses 10 and 20
    plan.after_save(processing)
    plan.owed.flush()
    assert asked == [(event.id, v, kind) for v in (10, 20) for kind in (COUNTS, RECORDS)]
    plan.owed.close()


def test_the_counts_step_grows_with_the_buyers_the_snapshot_holds() -> None:
    assert counts_step(200, 0) == counts_step(200, 200 * ROWS_PER_COUNT) == 200
    assert counts_step(200, 200 * ROWS_PER_COUNT + 1) == 400
    step = counts_step(200, 1_000_000)  # each booking pays the same share of a snapshot
    assert 1_000_000 / ROWS_PER_COUNT <= step < 2 * 1_000_000 / ROWS_PER_COUNT
    plan = schedule([])
    assert plan.due(9, 10, counts=10 * ROWS_PER_COUNT) == [COUNTS, RECORDS]
    assert plan.due(9, 10, counts=10 * ROWS_PER_COUNT + 1) == [RECORDS]
    assert plan.due(19, 20, counts=10 * ROWS_PER_COUNT + 1) == [COUNTS, RECORDS]
    plan.owed.close()


def test_the_counts_snapshots_keep_their_step_as_the_full_ones_space_out() -> None:
    plan = schedule([])
    due = {v: plan.due(v - 1, v) for v in range(1, 201) if plan.due(v - 1, v)}
    assert list(due) == list(range(10, 201, 10))  # a cold load replays 10 rows at most
    assert [v for v, kinds in due.items() if RECORDS in kinds] == [
        v for v in range(1, 201) if snapshot_due(v - 1, v, interval=10)]
    plan.owed.close()


def test_unsealed_snapshots_are_never_due() -> None:
    asked: list[tuple[UUID, int, str]] = []
    plan = schedule(asked, sealed=False)
    _, processing = saved(0, 25)
    plan.after_save(processing)
    plan.owed.flush()
    assert asked == [] and plan.due(9, 10) == []
    plan.owed.close()
