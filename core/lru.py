"""The one cache of the process: a thread-safe LRU map, bounded by count, weight and time.

Ours, not `cachetools`: the warm aggregates need a weight bound that spares entries still in
use (a weighted `cachetools.LRUCache` must evict, and refuses an item over its bound), and
the other caches need no more than this.
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
    weight: int
    deadline: float  # math.inf: never expires


class Lru(Generic[K, V]):
    """Values by key, least recently used first out.

    Over `maxsize` entries the oldest goes. Over `max_weight` (the sum of `weigh` over the
    values) the oldest goes too, but only while `spare` does not keep it, and never the entry
    just put. A value put with a `ttl` is gone that many seconds later.
    """

    def __init__(
        self,
        maxsize: int,
        *,
        weigh: Callable[[V], int] | None = None,
        max_weight: float = math.inf,
        spare: Callable[[V], bool] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.maxsize, self.max_weight = maxsize, max_weight
        self._weigh, self._spare, self._clock = weigh, spare, clock
        self._entries: OrderedDict[K, _Entry[V]] = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def weight(self) -> int:
        """The sum of the values' weights."""
        return self._weight

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
        weight = self._weigh(value) if self._weigh is not None else 0
        deadline = math.inf if ttl is None else self._clock() + ttl
        with self._lock:
            self._drop(key)
            self._entries[key] = _Entry(value, weight, deadline)
            self._weight += weight
            self._evict(key)

    def pop(self, key: K) -> V | None:
        """Take the value out (None when missing)."""
        with self._lock:
            entry = self._drop(key)
        return None if entry is None else entry.value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._weight = 0

    def _find(self, key: K, *, touch: bool) -> V | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.deadline <= self._clock():
                self._drop(key)
                return None
            if touch:
                self._entries.move_to_end(key)
            return entry.value

    def _drop(self, key: K) -> _Entry[V] | None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._weight -= entry.weight
        return entry

    def _evict(self, newest: K) -> None:
        """Drop the oldest entries past the bounds (under the lock)."""
        while self._entries:
            key, entry = next(iter(self._entries.items()))
            heavy = self._weight > self.max_weight and key != newest and (
                self._spare is None or not self._spare(entry.value))
            if len(self._entries) <= self.maxsize and not heavy:
                return
            self._drop(key)
