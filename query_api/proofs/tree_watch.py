"""Proofs waiting for the tree or its next head: one watcher per event loop, no thread held.

While any proof waits, the loop's watcher reads the tree's position and the latest head's size
in one short read (one thread hop) each poll interval, and wakes the waits it satisfies,
however many they are. A wait registers what it needs as a test of those two numbers.
"""

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool

from core.db import read_scope
from projections import tracking
from projections.proofs import checkpoints, tree
from query_api.service.per_loop import PerLoop

POLL_SECONDS = 0.1
Need = Callable[[int, int], bool]  # (tree position, latest head's size) -> satisfied


@dataclass(eq=False)
class _Wait:
    need: Need
    deadline: float
    answer: asyncio.Future[bool]


def read_tree() -> tuple[int, int]:
    """The tree's position and the latest signed head's size (0: none)."""
    position = tracking.current_positions().get(tree.NAME, 0)
    with read_scope() as session:
        head = checkpoints.latest(session)
    return position, 0 if head is None else int(head["tree_size"])


class Watcher:
    """The waiting proofs of one event loop and the task that reads the tree for them."""

    def __init__(self) -> None:
        self._waiting: list[_Wait] = []
        self._task: asyncio.Task[None] | None = None

    @classmethod
    def of_running_loop(cls) -> "Watcher":
        return WATCHERS.current()

    async def wait(self, need: Need, until: float) -> bool:
        """True once `need` holds, False at `until` (time.monotonic)."""
        wait = _Wait(need, until, asyncio.get_running_loop().create_future())
        self._waiting.append(wait)
        if self._task is None:
            self._task = asyncio.create_task(self._watch())
        return await wait.answer

    async def _watch(self) -> None:
        try:
            while self._waiting:
                await asyncio.sleep(POLL_SECONDS)
                try:
                    position, head_size = await run_in_threadpool(read_tree)
                except Exception as exc:  # the store is down: these waits answer as such
                    for wait in self._open():
                        wait.answer.set_exception(exc)
                else:
                    now = time.monotonic()
                    for wait in self._open():
                        _decide(wait, position, head_size, now)
                self._waiting = self._open()
        finally:
            self._task = None
            for wait in self._open():  # the loop is going away
                wait.answer.cancel()

    def _open(self) -> list[_Wait]:
        return [w for w in self._waiting if not w.answer.done()]


def _decide(wait: _Wait, position: int, head_size: int, now: float) -> None:
    if wait.need(position, head_size):
        wait.answer.set_result(True)
    elif now >= wait.deadline:
        wait.answer.set_result(False)


WATCHERS: PerLoop[Watcher] = PerLoop(Watcher)
