"""The faults, on a schedule fixed by a seed, each on a process or server the run started.

kill -9 of an API process (uvicorn's supervisor starts another), kill -9 of a Celery worker
(started again here), the private Redis stopped for 10 s, the private PostgreSQL restarted
(immediate: a crash and recovery), a worker paused with SIGSTOP for 20 s, a projection's
rebuild started, the read replica stopped for 10 s (its reads go to the primary meanwhile). A
soak shorter than a minute and a half keeps the outages in proportion. Never a shared server:
only `PrivatePostgres`, `PrivateReplica` and `PrivateRedis` are touched.
"""

import os
import random
import signal
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench import stack
from bench.chaos.services import (
    PrivatePostgres,
    PrivateRedis,
    PrivateReplica,
    uvicorn_workers,
    wait_for_postgres,
)

KINDS = ("kill-api", "kill-worker", "redis-stop", "postgres-restart", "worker-pause", "rebuild",
         "replica-stop")
AT = (0.10, 0.23, 0.36, 0.50, 0.64, 0.78, 0.86)  # fractions of the soak
# How long Redis stays down and a worker paused: at most these, and at most these fractions
# of the soak (a short soak keeps the faults in the same proportions).
REDIS_DOWN_SECONDS, REDIS_DOWN_FRACTION = 10.0, 0.11
PAUSE_SECONDS, PAUSE_FRACTION = 20.0, 0.22


@dataclass
class Fault:
    """One fault: when (seconds into the soak), what, and what happened."""

    at: float
    kind: str
    lasts: float = 0.0  # how long the outage is kept (Redis down, a worker paused)
    target: str = ""
    start: float = 0.0  # wall clock
    end: float = 0.0  # the service is back (or the rebuild done)
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


def schedule(seed: int, seconds: float) -> list[Fault]:
    """The faults of a soak of `seconds`, in order, jittered by the seed."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible schedule, not secrets
    lasts = {"redis-stop": min(REDIS_DOWN_SECONDS, REDIS_DOWN_FRACTION * seconds),
             "replica-stop": min(REDIS_DOWN_SECONDS, REDIS_DOWN_FRACTION * seconds),
             "worker-pause": min(PAUSE_SECONDS, PAUSE_FRACTION * seconds)}
    return [Fault(at=seconds * (at + rng.uniform(-0.02, 0.02)), kind=kind,
                  lasts=lasts.get(kind, 0.0))
            for at, kind in zip(AT, KINDS, strict=True)]


@dataclass
class Injector:
    """Runs the schedule against the started system, in a thread."""

    system: stack.System
    pg: PrivatePostgres
    redis: PrivateRedis
    admin: str
    seed: int
    replica: PrivateReplica | None = None
    faults: list[Fault] = field(default_factory=list)
    _thread: threading.Thread | None = None

    def start(self, faults: list[Fault]) -> None:
        self.faults, self.rng = faults, random.Random(self.seed)  # noqa: S311 - reproducible
        self._thread = threading.Thread(target=self._run, name="faults", daemon=True)
        self._thread.start()

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        begin = time.time()
        for fault in self.faults:
            time.sleep(max(0.0, begin + fault.at - time.time()))
            fault.start = time.time()
            try:
                getattr(self, fault.kind.replace("-", "_"))(fault)
            except Exception as exc:  # reported with the fault; the run goes on
                fault.note = f"{type(exc).__name__}: {exc}"
            fault.end = fault.end or time.time()
            print(f"fault {fault.kind} {fault.target}: {fault.end - fault.start:.1f} s "
                  f"{fault.note}", flush=True)

    def _worker(self) -> tuple[int, stack.Process]:
        found = [(i, p) for i, p in enumerate(self.system.procs) if p.name.startswith("worker")]
        return self.rng.choice(found)

    def kill_api(self, fault: Fault) -> None:
        # The API's workers share one port under uvicorn's supervisor (`stack.system`'s
        # default), which starts a new one in place of the one killed.
        workers = uvicorn_workers(self.system.api.procs[0].proc.pid)
        victim = self.rng.choice(workers)
        fault.target = f"api pid {victim}"
        os.kill(victim, signal.SIGKILL)
        deadline = time.time() + 60
        while time.time() < deadline:  # uvicorn's supervisor starts a new one
            now = uvicorn_workers(self.system.api.procs[0].proc.pid)
            if victim not in now and len(now) >= len(workers):
                break
            time.sleep(0.2)
        fault.end = time.time()

    def kill_worker(self, fault: Fault) -> None:
        at, proc = self._worker()
        fault.target = f"{proc.name} pid {proc.proc.pid}"
        os.killpg(proc.proc.pid, signal.SIGKILL)
        proc.stop()  # reaps it, closes its log
        self.system.procs[at] = stack.start_worker(self.system.env, self.system.logs,
                                                   int(proc.name.removeprefix("worker")))
        fault.end = time.time()

    def redis_stop(self, fault: Fault) -> None:
        fault.target = f"redis :{self.redis.port}"
        self.redis.stop()
        time.sleep(fault.lasts)
        self.redis.start()
        fault.end = time.time()

    def postgres_restart(self, fault: Fault) -> None:
        fault.target = f"postgres :{self.pg.port}"
        self.pg.stop("immediate")
        self.pg.start()
        wait_for_postgres(self.pg.admin_url)
        fault.end = time.time()

    def replica_stop(self, fault: Fault) -> None:
        if self.replica is None:
            fault.note = "no replica in this run"
            return
        fault.target = f"replica :{self.replica.port}"
        self.replica.stop("fast")
        time.sleep(fault.lasts)
        self.replica.start()
        fault.end = time.time()

    def worker_pause(self, fault: Fault) -> None:
        _, proc = self._worker()
        fault.target = f"{proc.name} pid {proc.proc.pid}"
        os.killpg(proc.proc.pid, signal.SIGSTOP)
        try:
            time.sleep(fault.lasts)
        finally:
            os.killpg(proc.proc.pid, signal.SIGCONT)
        fault.end = time.time()

    def rebuild(self, fault: Fault) -> None:
        headers = {"Authorization": f"Bearer {self.admin}"}
        with httpx.Client(base_url=self.system.url, headers=headers, timeout=30) as client:
            names = sorted(p["name"] for p in client.get("/api/projections").json())
            self.rng.shuffle(names)
            for name in names:  # the first that can be rebuilt (some are not: 404)
                r = client.post(f"/api/projections/{name}/rebuild")
                if r.status_code != 404:
                    break
            fault.target = name
            fault.note = f"{r.status_code}"
            deadline = time.time() + 600
            while time.time() < deadline:
                time.sleep(1)
                rows = {p["name"]: p for p in client.get("/api/projections").json()}
                state = rows[name]["rebuild"]["state"]
                if state not in ("rebuilding", "swapping"):
                    fault.note += f", then {state}"
                    break
        fault.end = time.time()
