"""One object per running event loop: the pollers that serve an event loop's waiting requests.

Each API process may run several event loops (tests, an ASGI server's workers in threads); a
poller's futures and task belong to the loop that made them, so each loop has its own, made
on first use and dropped with its loop.
"""

import asyncio
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class PerLoop(Generic[T]):
    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._of: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, T] = (
            weakref.WeakKeyDictionary())

    def current(self) -> T:
        loop = asyncio.get_running_loop()
        found = self._of.get(loop)
        if found is None:
            found = self._of[loop] = self._make()
        return found
