"""The long-running processes freeze their startup objects, collect young objects rarely, and
give large freed blocks back."""

import gc
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.runtime import YOUNG_THRESHOLD, tune_gc


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


PROBE = """
import ctypes, sys
from core.runtime import tune_malloc

class Mallinfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd",
                                               "usmblks", "fsmblks", "uordblks", "fordblks",
                                               "keepcost")]

libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = Mallinfo2
tuned = sys.argv[1] == "tuned" and tune_malloc()
large = bytearray(8 << 20)
del large
mapped = libc.mallinfo2().hblkhd
block = bytearray(1 << 20)
print(tuned, libc.mallinfo2().hblkhd - mapped)
"""


def _mapped_after_a_larger_free(mode: str) -> tuple[str, int]:
    """In a fresh process (this one's heap already holds freed blocks of every size)."""
    out = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True,  # noqa: S603 - our own probe
                         check=True, cwd=Path(__file__).resolve().parents[2]).stdout.split()
    return out[0], int(out[1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
def test_large_blocks_stay_mapped_after_a_larger_one_was_freed() -> None:
    """Untuned, freeing an 8 MB block raises glibc's mmap threshold to 8 MB, and the next
    1 MB block comes from a heap, where it stays once freed (`core.runtime.tune_malloc`)."""
    assert _mapped_after_a_larger_free("untuned") == ("False", 0)
    tuned, mapped = _mapped_after_a_larger_free("tuned")
    assert tuned == "True"
    assert mapped >= 1 << 20  # mapped: unmapped when freed
