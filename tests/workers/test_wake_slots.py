"""One wake-up gap for all the processes committing to the log, on a real Redis."""

import threading
import time
import uuid

import redis

from commands.store.wakeups import CoalescingWaker
from workers.wake_slots import WakeSlots

GAP = 0.1


class Sent:
    """Every waker's wake-ups, in the order they were sent."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.lock = threading.Lock()

    def __call__(self, _: int) -> None:
        with self.lock:
            self.times.append(time.monotonic())


def test_processes_committing_together_share_one_gap_and_none_is_left_behind(
        redis_url: str) -> None:
    namespace = f"test-{uuid.uuid4().hex}"
    sent = Sent()
    wakers = [CoalescingWaker(sent, GAP, slot=WakeSlots(redis.Redis.from_url(redis_url),
                                                       namespace, GAP).take)
              for _ in range(3)]
    last_commit = [0.0] * len(wakers)

    def commit(k: int, until: float) -> None:
        position = 0
        while time.monotonic() < until:
            position += 1
            last_commit[k] = time.monotonic()
            wakers[k](position)
            time.sleep(0.002)

    began = time.monotonic()
    threads = [threading.Thread(target=commit, args=(k, began + 1.0)) for k in range(3)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        time.sleep(3 * GAP)
    finally:
        for waker in wakers:
            waker.close()
    # Three processes alone would send about three times 1 / GAP.
    assert len(sent.times) <= 1.0 / GAP + 4, sent.times
    spacing = [b - a for a, b in zip(sent.times, sent.times[1:], strict=False)]
    assert min(spacing[:-3]) >= GAP * 0.8, spacing
    # Each process's last commit is brought by a wake-up sent after it, whoever sent it.
    assert all(sent.times[-1] >= at for at in last_commit)


def test_a_free_slot_is_taken_at_once_and_held_for_the_gap(redis_url: str) -> None:
    slots = WakeSlots(redis.Redis.from_url(redis_url), f"test-{uuid.uuid4().hex}", GAP)
    assert slots.take() == 0
    held = slots.take()
    assert 0 < held <= GAP
    time.sleep(held + 0.01)
    assert slots.take() == 0
