"""The coalescing waker: at once when idle, the latest position once per gap under load."""

import threading
import time
from collections.abc import Callable, Iterator

import pytest

from commands.ledger import Ledger
from commands.store.wakeups import CoalescingWaker
from core.settings import Settings


class Recorder:
    def __init__(self, fail_first: bool = False) -> None:
        self.sent: list[tuple[float, int]] = []
        self.fail_first = fail_first
        self.arrived = threading.Event()

    def __call__(self, position: int) -> None:
        if self.fail_first:
            self.fail_first = False
            raise ConnectionError("broker gone")
        self.sent.append((time.monotonic(), position))
        self.arrived.set()

    def wait_for(self, position: int, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while not any(p >= position for _, p in self.sent):
            assert time.monotonic() < deadline, f"{position} never sent: {self.sent}"
            time.sleep(0.002)


@pytest.fixture
def make_waker() -> Iterator[Callable[..., CoalescingWaker]]:
    """Wakers closed after the test: none leaves its thread to the next test."""
    made: list[CoalescingWaker] = []

    def make(send: Callable[[int], None], gap: float,
             slot: Callable[[], float] | None = None) -> CoalescingWaker:
        made.append(CoalescingWaker(send, gap=gap, slot=slot))
        return made[-1]

    yield make
    for waker in made:
        waker.close()


def test_first_commit_after_a_pause_is_sent_at_once(
        make_waker: Callable[..., CoalescingWaker]) -> None:
    sent = Recorder()
    waker = make_waker(sent, gap=5.0)
    asked = time.monotonic()
    waker(7)
    sent.wait_for(7, timeout=1.0)
    assert sent.sent[0][0] - asked < 0.5  # not held back by the (long) gap
    assert [p for _, p in sent.sent] == [7]


def test_commits_within_the_gap_go_in_one_wake_up_with_the_latest_position(
        make_waker: Callable[..., CoalescingWaker]) -> None:
    sent = Recorder()
    gap = 0.2
    waker = make_waker(sent, gap=gap)
    waker(1)
    sent.wait_for(1)
    for position in (5, 3, 9, 8):  # out of order: the highest counts
        waker(position)
    sent.wait_for(9)
    time.sleep(gap * 1.5)
    positions = [p for _, p in sent.sent]
    assert positions == [1, 9]
    assert sent.sent[1][0] - sent.sent[0][0] >= gap * 0.9  # the gap held the second one back


def test_a_failed_send_is_logged_and_the_next_commit_still_wakes(
        make_waker: Callable[..., CoalescingWaker]) -> None:
    sent = Recorder(fail_first=True)
    waker = make_waker(sent, gap=0.01)
    waker(1)  # lost: only delays the projections until beat
    time.sleep(0.05)
    waker(2)
    sent.wait_for(2)
    assert [p for _, p in sent.sent] == [2]


class Slot:
    """Another process's wake-up holds the gap until `free_at` (monotonic)."""

    def __init__(self, free_at: float) -> None:
        self.free_at = free_at
        self.asked = 0

    def __call__(self) -> float:
        self.asked += 1
        return max(0.0, self.free_at - time.monotonic())


def test_no_wake_up_while_another_process_holds_the_gap_then_the_latest_one(
        make_waker: Callable[..., CoalescingWaker]) -> None:
    sent, slot = Recorder(), Slot(free_at=time.monotonic() + 0.3)
    waker = make_waker(sent, gap=0.01, slot=slot)
    waker(4)
    waker(6)
    time.sleep(0.15)
    assert sent.sent == []  # held back, not dropped
    waker(5)
    sent.wait_for(6)
    assert [p for _, p in sent.sent] == [6]
    assert sent.sent[0][0] >= slot.free_at
    assert slot.asked <= 3  # it waited for the gap's end, it did not poll


def test_a_wake_up_goes_without_the_slot_when_asking_for_it_fails(
        make_waker: Callable[..., CoalescingWaker]) -> None:
    sent = Recorder()

    def gone() -> float:
        raise ConnectionError("redis gone")

    waker = make_waker(sent, gap=0.01, slot=gone)
    waker(3)
    sent.wait_for(3, timeout=1.0)


def test_close_lets_the_send_under_way_finish_and_ends_the_thread() -> None:
    started, release, finished = threading.Event(), threading.Event(), threading.Event()

    def slow_send(_: int) -> None:
        started.set()
        release.wait(5)
        finished.set()

    waker = CoalescingWaker(slow_send, gap=5.0)
    waker(1)
    assert started.wait(5)
    closing = threading.Thread(target=waker.close)
    closing.start()
    closing.join(0.1)
    assert closing.is_alive()  # close waits for the send under way
    release.set()
    closing.join(5)
    assert not closing.is_alive() and finished.is_set()
    assert "wake" not in {thread.name for thread in threading.enumerate()}


def test_a_wake_up_after_close_is_dropped() -> None:
    sent = Recorder()
    waker = CoalescingWaker(sent, gap=0.01)
    waker(1)
    sent.wait_for(1)
    waker.close()
    waker(2)
    time.sleep(0.05)
    assert [p for _, p in sent.sent] == [1]
    assert "wake" not in {thread.name for thread in threading.enumerate()}


def test_close_cuts_the_gap_short() -> None:
    sent = Recorder()
    waker = CoalescingWaker(sent, gap=30.0)
    waker(1)
    sent.wait_for(1)
    asked = time.monotonic()
    waker.close()
    assert time.monotonic() - asked < 1.0


def test_the_ledger_wakes_with_the_gap_of_its_settings() -> None:
    settings = Settings(environment="test", database_url="sqlite://",
                        celery_broker_url="redis://127.0.0.1:1/0",
                        projection_wake_gap_seconds=0.3)
    ledger = Ledger(settings, on_commit=lambda _: None, create_tables=True)
    try:
        assert isinstance(ledger.on_commit, CoalescingWaker)
        assert ledger.on_commit._gap == 0.3
    finally:
        ledger.close()
