"""Waiting in the tests for what answers in its own time (a scheduler's tick, a worker, a
stream, a receiver): one helper, one contract."""

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def eventually(check: Callable[[], T], timeout: float = 20.0, every: float = 0.05) -> T:
    """`check()`'s first truthy answer, or its last one at the deadline, for the caller to
    assert (with what it saw): on a loaded machine everything answers later."""
    deadline = time.monotonic() + timeout
    while not (found := check()) and time.monotonic() < deadline:
        time.sleep(every)
    return found
