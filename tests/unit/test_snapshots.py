"""Snapshots owed are written once the commits pause, or once they have waited long enough."""

import logging
import threading
import time

import pytest

from commands.snapshots import DeferredSnapshots


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
    snapshots.owe(written.set)
    took = busy_until(written, snapshots, 20)
    assert written.is_set() and took >= 0.3
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
