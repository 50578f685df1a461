"""Garbage-collector and allocator settings for the long-running processes (API and Celery
workers): `tune` at startup.

A full collection walks every tracked object (the imported modules, the app, the warm
aggregates) and pauses the process meanwhile; almost every object a request makes is freed by
reference counting anyway. So startup's objects are frozen and young collections are rarer
(bench/README.md, "Figures behind the code").

glibc's malloc raises its mmap threshold each time a large block is freed, so that later
blocks of that size come from its heaps, where freed they stay in the process: a libpq buffer
grown by a large snapshot and freed with its connection (`core.event_store.pool`) left its size
in RSS.
Fixed, large blocks are always mapped and given back when freed (bench/README.md).

glibc also gives each thread that allocates at once a heap (an arena) of its own, up to eight
per core, and what one thread's batch left free there serves no other thread. A worker's
threads (its pool, the broker's, the heartbeat) each grew their own after a burst of work;
`limit_arenas` caps them where memory matters more than allocation under contention.
"""

import ctypes
import ctypes.util
import gc
import sys
from typing import Any

YOUNG_THRESHOLD = 20_000  # allocations (net of frees) of tracked objects between collections
M_MMAP_THRESHOLD = -3  # glibc's mallopt parameters
M_ARENA_MAX = -8
MMAP_THRESHOLD_BYTES = 256 * 1024  # blocks this large are mapped, and unmapped when freed


def tune() -> None:
    """Both, once the process has loaded what it runs."""
    tune_malloc()
    tune_gc()


def limit_arenas(count: int) -> bool:
    """At most `count` glibc malloc arenas for the threads made from now on (False where the
    C library is not glibc)."""
    mallopt = _mallopt()
    return bool(mallopt is not None and mallopt(M_ARENA_MAX, count))


def tune_gc() -> None:
    """Freeze what startup made (never collected or walked again); collect less often."""
    gc.collect()  # startup's own garbage first, so it is not frozen with the rest
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, oldest)


def tune_malloc() -> bool:
    """Fix glibc's mmap threshold (no effect, and False, elsewhere: musl, macOS, Windows)."""
    mallopt = _mallopt()
    return bool(mallopt is not None and mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))


def _mallopt() -> Any:
    """glibc's `mallopt`, or None (musl, macOS, Windows)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return getattr(libc, "mallopt", None)
