"""Group commit: requests for one event queue up; one thread at a time commits a whole group.

The first request to find an event's queue idle leads: it calls `commit` with a `drain`
function, which `commit` calls once it holds the event's lock, taking everything queued by
then (at most `max_group`); then it passes the lead to the oldest request still waiting.
Followers sleep until their request is answered or they are made leader. So under load each
commit carries every request that arrived while the previous one (in this process or another)
held the lock, and no thread leads for longer than one group (latency stays bounded).
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from uuid import UUID

from commands.errors import Busy

R = TypeVar("R")


@dataclass(eq=False)
class Pending(Generic[R]):
    """One queued request: its payload, then its answer or its error."""

    payload: R
    result: Any = None
    error: BaseException | None = None
    done: bool = False
    leader: bool = False
    wake: threading.Event = field(default_factory=threading.Event)

    def answer(self, result: Any = None, error: BaseException | None = None) -> None:
        self.result, self.error, self.done = result, error, True
        self.wake.set()


@dataclass(eq=False)
class _Queue(Generic[R]):
    pending: list[Pending[R]] = field(default_factory=list)
    leading: bool = False


class GroupCommitter(Generic[R]):
    """Per-key queues whose leader commits every waiting request in one call."""

    def __init__(
        self,
        commit: Callable[[UUID, Callable[[], list[Pending[R]]]], None],
        *,
        max_group: int,
        wait: float,
    ) -> None:
        self._commit = commit
        self._max_group = max_group
        self._wait = wait
        self._mutex = threading.Lock()
        self._queues: dict[UUID, _Queue[R]] = {}

    def submit(self, key: UUID, payload: R) -> Any:
        """Queue `payload`, wait for its group's commit, return its answer (or raise its error)."""
        item: Pending[R] = Pending(payload)
        with self._mutex:
            queue = self._queues.setdefault(key, _Queue())
            queue.pending.append(item)
            if not queue.leading:
                queue.leading = item.leader = True
        if not item.leader and not item.wake.wait(self._wait):
            with self._mutex:
                if item in queue.pending and not item.leader:  # never picked up: give up
                    queue.pending.remove(item)
                    raise Busy("The event is busy; try again", code="EVENT_BUSY")
            item.wake.wait()  # in a commit right now: its outcome is coming
        if not item.done:
            self._lead(key, queue)
        if item.error is not None:
            raise item.error
        return item.result

    def _lead(self, key: UUID, queue: _Queue[R]) -> None:
        group: list[Pending[R]] = []

        def drain() -> list[Pending[R]]:
            with self._mutex:
                taken = queue.pending[: self._max_group]
                del queue.pending[: self._max_group]
            group.extend(taken)
            return taken

        try:
            self._commit(key, drain)
        except BaseException as exc:  # every request of the group hears about it
            if not group:  # failed before taking any (e.g. the lock): the queue shares the fate
                drain()
            for item in group:
                if not item.done:
                    item.answer(error=exc)
        finally:
            if not group:
                drain()
            for item in group:
                if not item.done:
                    item.answer(error=RuntimeError("the group commit left a request unanswered"))
            with self._mutex:
                if queue.pending:
                    successor = queue.pending[0]
                    successor.leader = True
                    successor.wake.set()
                else:
                    queue.leading = False
                    if self._queues.get(key) is queue:
                        del self._queues[key]
