"""The long-running processes freeze their startup objects, collect young objects rarely, and
give large freed blocks back."""

import ctypes
import gc
import sys
from collections.abc import Iterator
from typing import ClassVar

import pytest

from core.runtime import YOUNG_THRESHOLD, tune_gc, tune_malloc


@pytest.fixture
def restored_gc() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.mark.usefixtures("restored_gc")
def test_startup_objects_are_frozen_and_young_collections_are_rare() -> None:
    made_at_startup = [object(), {"a": []}]
    tune_gc()
    assert gc.get_freeze_count() > 0
    assert not any(o is made_at_startup for o in gc.get_objects())  # in no generation now
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD


class _Mallinfo2(ctypes.Structure):
    _fields_: ClassVar = [(n, ctypes.c_size_t) for n in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
        "uordblks", "fordblks", "keepcost")]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
def test_large_blocks_stay_mapped_after_a_larger_one_was_freed() -> None:
    """Untuned, freeing an 8 MB block raises glibc's mmap threshold to 8 MB, and the next
    1 MB block comes from a heap, where it stays once freed (`core.runtime.tune_malloc`)."""
    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = _Mallinfo2
    assert tune_malloc()
    large = bytearray(8 << 20)
    del large
    mapped = libc.mallinfo2().hblkhd
    block = bytearray(1 << 20)
    assert libc.mallinfo2().hblkhd - mapped >= 1 << 20  # mapped: unmapped when freed
    del block
