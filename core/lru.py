"""The one cache of the process: a thread-safe LRU map, bounded by count and time.

Ours, not `cachetools`: its caches are not thread-safe, so each use would need a lock of its
own around it, and ours needs no more than this.
"""

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, NamedTuple, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class _Entry(NamedTuple, Generic[V]):
    value: V
    deadline: float  # math.inf: never expires


class Lru(Generic[K, V]):
    """Values by key, least recently used first out.

    Over `maxsize` entries the oldest goes. A value put with a `ttl` is gone that many seconds
    later.
    """

    def __init__(self, maxsize: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.maxsize, self._clock = maxsize, clock
        self._entries: OrderedDict[K, _Entry[V]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def keys(self) -> list[K]:
        """The keys, least recently used first."""
        with self._lock:
            return list(self._entries)

    def get(self, key: K) -> V | None:
        """The value, now the most recently used; None when missing or expired."""
        return self._find(key, touch=True)

    def peek(self, key: K) -> V | None:
        """The value, left where it stands in the order."""
        return self._find(key, touch=False)

    def put(self, key: K, value: V, *, ttl: float | None = None) -> None:
        """Keep `value` as the most recently used, then evict past the bounds."""
        deadline = math.inf if ttl is None else self._clock() + ttl
        with self._lock:
            self._entries.pop(key, None)
            self._entries[key] = _Entry(value, deadline)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)

    def pop(self, key: K) -> V | None:
        """Take the value out (None when missing)."""
        with self._lock:
            entry = self._entries.pop(key, None)
        return None if entry is None else entry.value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _find(self, key: K, *, touch: bool) -> V | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.deadline <= self._clock():
                del self._entries[key]
                return None
            if touch:
                self._entries.move_to_end(key)
            return entry.value
