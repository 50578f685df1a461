"""Group commit: requests queue up per key; one thread at a time commits a whole group of a key.

The first request to find its key's queue idle starts a committer thread for it (from a small
pool of the committer's own). That thread calls `commit` with a `Drain`: `commit` looks at
what is queued (`pending`), takes the locks that needs, then takes the requests it can commit
(at most `max_group`, optionally only those `accept` allows), and returns each one's answer,
which this module delivers. The thread repeats while requests are waiting, then leaves. So
under load each commit carries every request that arrived while the previous one (in this
process or another) held the locks, and no request waits for more than the groups queued
before it. A key may be one event or a shard of many (`commands.application.request_groups`).

Callers wait without a thread of their own in the way: `submit` blocks the calling thread on
an event, `submit_async` awaits a future on the caller's event loop (an async route holds no
worker thread while its booking is being committed).
"""

import asyncio
import contextlib
import threading
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from commands.store.busy import event_busy

R = TypeVar("R")


@dataclass(eq=False)
class Pending(Generic[R]):
    """One queued request: its payload, then its answer or its error."""

    payload: R
    result: Any = None
    error: BaseException | None = None
    done: bool = False
    taken: bool = False  # drained into a group: its answer is coming whatever happens
    notify: Callable[[], None] | None = None  # how its waiter is told (set before queueing)

    def answer(self, result: Any = None, error: BaseException | None = None) -> None:
        self.result, self.error, self.done = result, error, True
        if self.notify is not None:
            self.notify()

    def outcome(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.result


@dataclass(eq=False)
class _Queue(Generic[R]):
    pending: list[Pending[R]] = field(default_factory=list)
    leading: bool = False


class Drain(Generic[R]):
    """What a commit takes from its key's queue: a look at it, then the requests of one group."""

    def __init__(self, mutex: threading.Lock, queue: _Queue[R], max_group: int) -> None:
        self._mutex, self._queue, self._max_group = mutex, queue, max_group
        self.group: list[Pending[R]] = []
        self.drained = False

    def pending(self) -> list[R]:
        """The first `max_group` payloads queued now, left in place (what the commit will need
        to lock)."""
        with self._mutex:
            return [item.payload for item in self._queue.pending[: self._max_group]]

    def __call__(self, accept: Callable[[R], bool] | None = None) -> list[Pending[R]]:
        """Take up to `max_group` queued requests (those `accept` allows) into this group."""
        self.drained = True
        with self._mutex:
            queue = self._queue.pending
            taken: list[Pending[R]] = []
            kept: list[Pending[R]] = []
            for item in queue:
                wanted = len(taken) < self._max_group and (accept is None or accept(item.payload))
                (taken if wanted else kept).append(item)
            queue[:] = kept
            for item in taken:
                item.taken = True
        self.group.extend(taken)
        return taken


K = TypeVar("K", bound=Hashable)


class GroupCommitter(Generic[K, R]):
    """Per-key queues, each drained by one committer thread in groups of up to `max_group`."""

    def __init__(
        self,
        commit: Callable[[K, Drain[R]], Sequence[tuple[Pending[R], Any]]],
        *,
        key_of: Callable[[R], K],
        max_group: int,
        wait: float,
        threads: int,
    ) -> None:
        self._commit = commit
        self._key_of = key_of
        self._max_group = max_group
        self._wait = wait
        self._mutex = threading.Lock()
        self._queues: dict[K, _Queue[R]] = {}
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="group-commit")

    def close(self) -> None:
        """Let the committer threads go once the queued groups are committed."""
        self._pool.shutdown(wait=True)

    def submit(self, payload: R) -> Any:
        """Queue `payload`, wait for its group's commit, return its answer (or raise its error)."""
        woken = threading.Event()
        item: Pending[R] = Pending(payload, notify=woken.set)
        queue = self._enqueue(self._key_of(payload), item)
        if not woken.wait(self._wait):
            self._give_up(queue, item)
            woken.wait()  # in a commit right now: its outcome is coming
        return item.outcome()

    async def submit_async(self, payload: R) -> Any:
        """`submit` for an event loop: the caller's task awaits, no thread waits for it."""
        loop = asyncio.get_running_loop()
        answered: asyncio.Future[None] = loop.create_future()

        def settle() -> None:
            if not answered.done():
                answered.set_result(None)

        def notify() -> None:  # from a committer thread
            with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits any more
                loop.call_soon_threadsafe(settle)

        item: Pending[R] = Pending(payload, notify=notify)
        queue = self._enqueue(self._key_of(payload), item)
        try:
            await asyncio.wait_for(asyncio.shield(answered), self._wait)
        except TimeoutError:
            self._give_up(queue, item)
            await answered
        return item.outcome()

    def _enqueue(self, key: K, item: Pending[R]) -> _Queue[R]:
        with self._mutex:
            queue = self._queues.setdefault(key, _Queue())
            queue.pending.append(item)
            start = not queue.leading
            queue.leading = True
        if start:
            self._pool.submit(self._lead, key, queue)
        return queue

    def _give_up(self, queue: _Queue[R], item: Pending[R]) -> None:
        """Drop a request still queued after `wait` (EVENT_BUSY); taken ones are answered."""
        with self._mutex:
            if not item.taken:
                queue.pending.remove(item)
                raise event_busy()

    def _lead(self, key: K, queue: _Queue[R]) -> None:
        """Commit groups from this queue until it is empty (in a committer thread)."""
        while True:
            self._commit_one(key, queue)
            with self._mutex:
                if not queue.pending:
                    queue.leading = False
                    if self._queues.get(key) is queue:
                        del self._queues[key]
                    return

    def _commit_one(self, key: K, queue: _Queue[R]) -> None:
        drain = Drain(self._mutex, queue, self._max_group)
        try:
            for item, answer in self._commit(key, drain):
                if isinstance(answer, BaseException):
                    item.answer(error=answer)
                else:
                    item.answer(answer)
        except BaseException as exc:  # every request of the group hears about it
            if not drain.drained:  # failed before taking any (e.g. the lock): the queue shares
                drain()  # the fate
            for item in drain.group:
                if not item.done:
                    item.answer(error=exc)
        finally:
            # A commit that never took its group fails the queue; one that took an empty
            # group (all gave up) leaves requests queued since to the next round of `_lead`.
            if not drain.drained:
                drain()
            for item in drain.group:
                if not item.done:
                    item.answer(error=RuntimeError("the group commit left a request unanswered"))
