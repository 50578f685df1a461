"""Heap watch for the API processes of a chaos run (a diagnostic, off unless asked).

`PYTHONPATH=bench/chaos/heapwatch CHAOS_HEAP_DIR=/some/dir python -m bench.chaos ...`: in
every uvicorn worker process (a spawned child of uvicorn), every `CHAOS_HEAP_EVERY` seconds
(default 60) from `CHAOS_HEAP_START` on (default 120), a line appended to `<dir>/<pid>.jsonl`:
RSS, glibc's `mallinfo2` (bytes in use, free but kept in its arenas, mmapped), pymalloc's
arenas and blocks (`sys._debugmallocstats`: tracing off only), gc counts and threads; with
tracing on (`CHAOS_HEAP_TRACE`, default 1) also `tracemalloc`'s traced bytes
(`CHAOS_HEAP_FRAMES` frames, default 8), and a full snapshot at `CHAOS_HEAP_SNAP_AT` seconds
(default 300, the settled mark) and at every line after it, replacing the last
(`<pid>-base.snap`, `<pid>-last.snap`), for `python -m bench.chaos.heapwatch.diff`.

Tracing starts late: traced from the start, 3 processes importing on 2 cores do not answer
within the 90 s the stack allows. A snapshot's own garbage moves the RSS it watches: compare
RSS with tracing off (`CHAOS_HEAP_TRACE=0`).
"""

import ctypes
import gc
import json
import os
import sys
import tempfile
import threading
import time
import tracemalloc
from typing import Any, ClassVar

_DIR = os.environ.get("CHAOS_HEAP_DIR")
_PYMALLOC_KEYS = ("arenas allocated current", "bytes in allocated blocks",
                  "bytes in available blocks", "unused pools")


class _Mallinfo2(ctypes.Structure):
    _fields_: ClassVar = [(n, ctypes.c_size_t) for n in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
        "uordblks", "fordblks", "keepcost")]


def _is_uvicorn_worker() -> bool:
    try:
        with open("/proc/self/cmdline", "rb") as f:
            me = f.read()
        with open(f"/proc/{os.getppid()}/cmdline", "rb") as f:
            parent = f.read()
    except OSError:
        return False
    return b"spawn_main" in me and b"uvicorn" in parent


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _pymalloc() -> dict[str, float]:
    """pymalloc's arenas from `sys._debugmallocstats` (it writes to the C stderr): MB."""
    with tempfile.TemporaryFile() as tmp:
        saved = os.dup(2)
        try:
            os.dup2(tmp.fileno(), 2)
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        tmp.seek(0)
        text = tmp.read().decode(errors="replace")
    out = {}
    for row in text.splitlines():
        for key in _PYMALLOC_KEYS:
            value = row.split("=")[-1].strip().replace(",", "")
            if key in row and value.isdigit():
                scale = 1 if key.startswith("arenas") else 2**20
                out[key.replace(" ", "_")] = round(int(value) / scale, 2)
    return out


def _line(libc: ctypes.CDLL, began: float) -> dict[str, Any]:
    mi = libc.mallinfo2()
    traced, peak = tracemalloc.get_traced_memory()
    return {"t": round(time.monotonic() - began, 1), "rss_mb": round(_rss_mb(), 1),
            "traced_mb": round(traced / 2**20, 2), "traced_peak_mb": round(peak / 2**20, 2),
            "tracemalloc_overhead_mb": round(tracemalloc.get_tracemalloc_memory() / 2**20, 1),
            "malloc_inuse_mb": round(mi.uordblks / 2**20, 2),
            "malloc_free_kept_mb": round(mi.fordblks / 2**20, 2),
            "malloc_arena_mb": round(mi.arena / 2**20, 2),
            "mmapped_mb": round(mi.hblkhd / 2**20, 2),
            "pymalloc": _pymalloc(),
            # Not len(gc.get_objects()): that list, held across a thread switch, refs a tuple
            # another thread is building, whose resize then fails (SystemError: a 500).
            "gc_counts": gc.get_count(), "threads": threading.active_count()}


def _watch(out: str) -> None:
    tracing = os.environ.get("CHAOS_HEAP_TRACE", "1") != "0"
    every = float(os.environ.get("CHAOS_HEAP_EVERY", "60"))
    snap_at = float(os.environ.get("CHAOS_HEAP_SNAP_AT", "300")) if tracing else float("inf")
    pid, began = os.getpid(), time.monotonic()
    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = _Mallinfo2
    time.sleep(float(os.environ.get("CHAOS_HEAP_START", "120")))
    if tracing:
        tracemalloc.start(int(os.environ.get("CHAOS_HEAP_FRAMES", "8")))
    based = False
    while True:
        time.sleep(every)
        row = _line(libc, began)
        with open(os.path.join(out, f"{pid}.jsonl"), "a") as f:
            f.write(json.dumps(row) + "\n")
        if row["t"] >= snap_at:
            name = "last" if based else "base"
            tmp = os.path.join(out, f"{pid}-{name}.snap.tmp")
            tracemalloc.take_snapshot().dump(tmp)
            os.replace(tmp, os.path.join(out, f"{pid}-{name}.snap"))
            based = True


if _DIR and _is_uvicorn_worker():
    os.makedirs(_DIR, exist_ok=True)
    threading.Thread(target=_watch, args=(_DIR,), name="heapwatch", daemon=True).start()
