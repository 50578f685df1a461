"""Turns at the password hash, a few at once, shared out fairly between client addresses.

An Argon2id hash is costly in memory and time by design: without a cap a flood of sign-ins
takes all memory and every thread, so at most `auth_hash_concurrency` run at once per process
(one event loop serves an API process). A caller waits `auth_hash_wait_seconds` at most for
its turn (without holding a thread), then gets 503 AUTH_BUSY.

Waiting callers queue per client address (an IPv6 /64 is one, as the rate limits count them)
and a freed slot goes to the addresses in turn, not to the longest queue: a flood from a few
addresses, however long its queues, delays another address's sign-in by one hash per flooding
address at most, not by the whole flood.
"""

import asyncio
import weakref
from collections import OrderedDict, deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from core import error_codes as codes
from core.settings import get_settings
from query_api.auth.rate_limits import client_key
from query_api.service.errors import ApiError


class FairTurns:
    """`slots` turns at once; waiting callers served round-robin by address."""

    def __init__(self, slots: int) -> None:
        self._free = slots
        self._waiting: OrderedDict[str, deque[asyncio.Future[None]]] = OrderedDict()

    async def take(self, address: str, wait: float) -> None:
        """A turn for `address` within `wait` seconds, else 503 AUTH_BUSY."""
        if self._free and not self._waiting:
            self._free -= 1
            return
        key = client_key(address)
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(key, deque()).append(turn)
        try:
            async with asyncio.timeout(wait):
                await turn
        except BaseException as exc:
            if turn.done() and not turn.cancelled():  # given just as the wait ended
                self.give_back()
            else:
                self._drop(key, turn)
            if isinstance(exc, TimeoutError):
                raise ApiError(codes.AUTH_BUSY, "Too many sign-ins at once; try again shortly",
                               {"Retry-After": "1"}) from None
            raise

    def give_back(self) -> None:
        """End a turn: the slot goes to the next address in the rotation, or is free."""
        while self._waiting:
            key, queue = next(iter(self._waiting.items()))
            turn = queue.popleft()
            if queue:
                self._waiting.move_to_end(key)  # its next caller waits for the others' turns
            else:
                del self._waiting[key]
            if not turn.done():
                turn.set_result(None)
                return
        self._free += 1

    def _drop(self, key: str, turn: asyncio.Future[None]) -> None:
        queue = self._waiting.get(key)
        if queue is not None and turn in queue:
            queue.remove(turn)
            if not queue:
                del self._waiting[key]


_turns: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, FairTurns]" = (
    weakref.WeakKeyDictionary())


@asynccontextmanager
async def hashing_turn(address: str) -> AsyncIterator[None]:
    """Hold one of this process's hashing turns, taken fairly for `address`."""
    loop = asyncio.get_running_loop()
    turns = _turns.get(loop)
    settings = get_settings()
    if turns is None:
        turns = _turns[loop] = FairTurns(settings.auth_hash_concurrency)
    await turns.take(address, settings.auth_hash_wait_seconds)
    try:
        yield
    finally:
        turns.give_back()
