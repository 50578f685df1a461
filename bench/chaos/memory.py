"""Resident memory of every process of the run, sampled every 10 s, and what it did."""

import contextlib
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from bench import stack
from bench.chaos.services import uvicorn_workers

Sample = dict[str, Any]  # {"t": wall clock, "mb": {label: MB}}
Source = Callable[[], dict[str, float]]
INTERVAL_SECONDS = 10.0
SETTLED_SECONDS = 300.0  # growth counts from here (the first 5 minutes are warm-up)
WORKER_LIMIT_MB = 150.0
GROWTH_LIMIT = 0.10
# PostgreSQL's cache fills as the store grows, on the primary and on its replica alike: shown,
# not held to the app's growth limit.
NOT_JUDGED = frozenset({"postgres", "replica"})
# A worker's first rebuild loads once what rebuilds need (the same step for a store of 60,000
# or 200,000 events, and none on the next rebuilds): a worker is judged from after a rebuild.
RESETS_WORKERS = frozenset({"rebuild"})


def pss(pids: list[int]) -> float:
    """Proportional set size in MB: memory shared by the processes is counted once."""
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) / 1024
    return total


def rss(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):  # gone between the listing and the read
            total += stack.rss_mb(pid)
    return total


def processes(system: stack.System, extra: dict[str, Callable[[], list[int]]]) -> Source:
    """Label -> MB of each API process (by slot), each worker, beat, and `extra` groups
    (their PSS: a server's processes share memory).

    An API process keeps its slot: one started in place of a killed one takes the slot the
    killed one left (`pids()` says which process a slot held at each sample).
    """
    slots: dict[int, str] = {}  # API pid -> its label

    def api_slots() -> dict[str, int]:
        current = uvicorn_workers(system.api.procs[0].proc.pid)
        for pid in [p for p in slots if p not in current]:
            del slots[pid]
        for pid in current:
            if pid not in slots:
                taken = set(slots.values())
                slots[pid] = next(f"api{i}" for i in range(1, len(current) + 2)
                                  if f"api{i}" not in taken)
        return {label: pid for pid, label in sorted(slots.items(), key=lambda kv: kv[1])}

    def pids() -> dict[str, int]:
        out = api_slots()
        return out | {proc.name: proc.proc.pid for proc in system.procs
                      if proc.name.startswith(("worker", "beat"))}

    def read() -> dict[str, float]:
        out = {label: rss([pid]) for label, pid in pids().items()}
        out |= {label: pss(group()) for label, group in extra.items()}
        return out

    read.pids = pids  # type: ignore[attr-defined]
    return read


class Sampler(threading.Thread):
    """Samples `source` every `interval` seconds until stopped."""

    def __init__(self, source: Source, interval: float = INTERVAL_SECONDS) -> None:
        super().__init__(name="rss", daemon=True)
        self.source, self.interval = source, interval
        self.samples: list[Sample] = []
        self._done = threading.Event()

    def run(self) -> None:
        while True:
            self.samples.append(self._sample())
            if self._done.wait(self.interval):
                return

    def stop(self) -> None:
        self._done.set()
        self.join()
        self.samples.append(self._sample())

    def _sample(self) -> Sample:
        pids = getattr(self.source, "pids", None)
        return {"t": time.time(), "mb": self.source()} | ({"pid": pids()} if pids else {})


def summary(samples: list[Sample], settled: float = SETTLED_SECONDS,
            faults: Iterable[dict[str, Any]] = ()) -> dict[str, dict[str, Any]]:
    """Per label: MB at the settled point and at the end, the peak, growth, and the verdict.

    A run shorter than twice `settled` counts growth from its first third instead. A process
    started again by a fault (its pid changed) is judged from `settled` after its own start:
    a new process's first minutes are its warm-up, as the run's are (`restarted_at` says so);
    and as load may reach it long after it started (keep-alive clients stay on the processes
    they are connected to), it may also grow to its never-restarted peers' settled size (the
    same role: `api1`, `api2`...) and the growth limit over it (`peers_mb`). A worker is judged
    from the first sample after the last rebuild (`RESETS_WORKERS`) that ended past its
    settled point (`judged_after`).
    """
    if not samples:
        return {}
    begin, end = samples[0]["t"], samples[-1]["t"]
    settled = min(settled, (end - begin) / 3)
    resets = [f["end"] - begin for f in faults if f.get("kind") in RESETS_WORKERS and f.get("end")]
    labels = sorted({label for s in samples for label in s["mb"]})
    restarts = {label: _restarts(samples, label, begin) for label in labels}
    out: dict[str, dict[str, Any]] = {}
    for label in labels:
        series = [(s["t"] - begin, s["mb"][label]) for s in samples if s["mb"].get(label)]
        if not series:
            continue
        restarted = restarts[label]
        since = settled if not restarted else restarted[-1] + settled
        reset = (max((t for t in resets if t > since), default=None)
                 if label.startswith("worker") else None)
        if reset is not None:
            since = reset + INTERVAL_SECONDS  # the step comes as the rebuild swaps its tables in
        base = next((mb for t, mb in series if t >= since), series[-1][1])
        last = series[-1][1]
        found = out[label] = {"settled_mb": round(base, 1), "end_mb": round(last, 1),
                              "peak_mb": round(max(mb for _, mb in series), 1),
                              "growth": round(last / base - 1 if base else 0.0, 4)}
        if restarted:
            found["restarted_at"] = round(restarted[-1], 1)
        if reset is not None:
            found["judged_after"] = round(reset, 1)
    for label, found in out.items():
        peers = [m["settled_mb"] for p, m in out.items()
                 if _role(p) == _role(label) and not restarts[p]]
        grew_ok = found["growth"] < GROWTH_LIMIT or (
            "restarted_at" in found and bool(peers)
            and found["end_mb"] < max(peers) * (1 + GROWTH_LIMIT))
        if "restarted_at" in found and peers:
            found["peers_mb"] = max(peers)
        found["ok"] = label in NOT_JUDGED or (
            grew_ok and (not label.startswith("worker") or found["peak_mb"] < WORKER_LIMIT_MB))
    return out


def _restarts(samples: list[Sample], label: str, begin: float) -> list[float]:
    """When the process under `label` was started again (its pid changed), from `begin`."""
    pids = [(s["t"] - begin, s["pid"][label]) for s in samples if label in s.get("pid", {})]
    return [t for (t, pid), (_, before) in zip(pids[1:], pids, strict=False) if pid != before]


def _role(label: str) -> str:
    return label.rstrip("0123456789")
