"""Bounded read-your-writes waits: one poller per event loop, no thread or connection held.

A read asking for `min_position` registers here and awaits. While anyone waits, the loop's
poller reads every projection's position in one short transaction (one worker thread hop,
the connection returned at once) and wakes the reads it satisfies, however many they are;
then it sleeps a poll interval, or less when a new read arrives. Each read is settled by a
read that started after it asked, so a position committed before the request always counts.

A read not satisfied by its first read is checked against the store's head (read then, only
then): a position no write has reached yet answers 400 POSITION_BEYOND_HEAD at once. It may
then wait for up to READ_WAIT_MAX_SECONDS, holding one of READ_WAITERS_MAX places in the
process; none left answers 503 TOO_MANY_WAITERS.
"""

import asyncio
import contextlib
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool

from core import error_codes as codes
from core.db import get_engine
from core.settings import get_settings
from projections import partitions, tracking
from query_api.service.errors import ApiError, store_unavailable
from query_api.service.per_loop import PerLoop
from query_api.service.write_side import get_ledger

POLL_SECONDS = tracking.POLL_SECONDS
RETRY_AFTER_SECONDS = 1


@dataclass(eq=False)
class _Wait:
    """One read waiting: for what, until when, and how it is told."""

    position: int
    names: tuple[str, ...]
    deadline: float
    answer: asyncio.Future[bool]
    first: bool = True  # not yet checked by a read
    admitted: bool = False  # holds one of the process's places


class Places:
    """The process's places for waiting reads (all event loops together)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.taken = 0

    def take(self, limit: int) -> bool:
        with self._lock:
            if self.taken >= limit:
                return False
            self.taken += 1
            return True

    def give_back(self) -> None:
        with self._lock:
            self.taken -= 1


places = Places()


def beyond_head(position: int, head: int) -> ApiError:
    return ApiError(codes.POSITION_BEYOND_HEAD,
                    f"min_position {position} is past the store's last position ({head}); "
                    "no write has reached it, so no read can wait for it")


def too_many_waiters() -> ApiError:
    return ApiError(codes.TOO_MANY_WAITERS,
                    "Too many reads are waiting for a position; try again shortly",
                    {"Retry-After": str(RETRY_AFTER_SECONDS)})


class Poller:
    """The waiting reads of one event loop and the task that reads positions for them."""

    def __init__(self) -> None:
        self._waiting: list[_Wait] = []
        self._arrived = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @classmethod
    def of_running_loop(cls) -> "Poller":
        return POLLERS.current()

    async def wait(self, position: int, names: Iterable[str], timeout: float) -> bool:
        """True once every named projection reached `position`, False after `timeout`."""
        loop = asyncio.get_running_loop()
        wait = _Wait(position, tuple(names), time.monotonic() + timeout, loop.create_future())
        self._waiting.append(wait)
        self._arrived.set()
        if self._task is None:
            self._task = asyncio.create_task(self._poll())
        try:
            return await wait.answer
        finally:
            if wait.admitted:
                places.give_back()

    async def _poll(self) -> None:
        try:
            while self._waiting:
                self._arrived.clear()
                batch = list(self._waiting)  # each asked before this read starts
                try:
                    reached, head = await run_in_threadpool(read_positions, _firsts(batch))
                except Exception as exc:  # the store is down: these reads answer as such
                    _fail(batch, exc)
                else:
                    now = time.monotonic()
                    for wait in batch:
                        _settle(wait, reached, head, now)
                self._waiting = [w for w in self._waiting if not w.answer.done()]
                await self._pause()
        except BaseException as exc:
            _fail(self._waiting, exc)
            raise
        finally:
            self._task = None

    async def _pause(self) -> None:
        """A poll interval, cut short by a new read or the earliest deadline."""
        if not self._waiting or self._arrived.is_set():
            return
        soonest = min(w.deadline for w in self._waiting) - time.monotonic()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._arrived.wait(), max(0.0, min(POLL_SECONDS, soonest)))


def _firsts(batch: Sequence[_Wait]) -> list[tuple[int, tuple[str, ...]]]:
    return [(w.position, w.names) for w in batch if w.first and not w.answer.done()]


def _settle(wait: _Wait, reached: dict[str, int], head: int | None, now: float) -> None:
    """Answer this read if the positions just read decide it; else it keeps waiting."""
    if wait.answer.done():  # its request went away
        return
    first, wait.first = wait.first, False
    if _reached(reached, wait.position, wait.names):
        wait.answer.set_result(True)
    elif first and head is not None and wait.position > head:
        wait.answer.set_exception(beyond_head(wait.position, head))
    elif now >= wait.deadline:
        wait.answer.set_result(False)
    elif first and not places.take(get_settings().read_waiters_max):
        wait.answer.set_exception(too_many_waiters())
    elif first:
        wait.admitted = True


def _fail(batch: Sequence[_Wait], exc: BaseException) -> None:
    for wait in batch:
        if wait.answer.done():
            continue
        if isinstance(exc, Exception):
            wait.answer.set_exception(exc)
        else:  # the loop is going away
            wait.answer.cancel()


def _reached(reached: dict[str, int], position: int, names: Iterable[str]) -> bool:
    return all(partitions.position_of(reached, name) >= position for name in names)


def read_positions(
    firsts: Sequence[tuple[int, tuple[str, ...]]],
) -> tuple[dict[str, int], int | None]:
    """Every projection's position; and the store's head if a read new to this poll needs
    more than they reached (the only case that costs a second query)."""
    try:
        reached = tracking.current_positions()  # a plain DBAPI read: not even a BEGIN
    except get_engine().dialect.loaded_dbapi.Error as exc:
        raise store_unavailable({"Retry-After": str(RETRY_AFTER_SECONDS)}) from exc
    if all(_reached(reached, position, names) for position, names in firsts):
        return reached, None
    return reached, get_ledger().eventlog.last()


async def wait_for(position: int | None, names: Iterable[str]) -> bool:
    """Wait (bounded) until these projections reached `position`; whether they did.

    No position: nothing to wait for. Raises 400 POSITION_BEYOND_HEAD or 503 TOO_MANY_WAITERS.
    """
    if position is None:
        return True
    timeout = get_settings().read_wait_max_seconds
    return await Poller.of_running_loop().wait(position, names, timeout)


POLLERS: PerLoop[Poller] = PerLoop(Poller)
