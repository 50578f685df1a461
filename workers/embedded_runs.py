"""Verify and reconciliation runs in threads of the embedded API process, which has no worker.

The app stops them before it closes the store they read: a SQLite connection closed under a
read crashes the whole process. A verify pass stops at its next position reached (its
heartbeat's `progress` raises `ServerStopping`) and is recorded failed with why; a
reconciliation run, which waits on the provider's answers, is let finish within the bound.
"""

import logging
import threading
import time
from collections.abc import Callable
from uuid import UUID

from commands.ledger import Ledger

log = logging.getLogger(__name__)

Execute = Callable[[UUID, Ledger, threading.Event], None]


class ServerStopping(Exception):
    """The process running the run is stopping: the run ends here, recorded failed."""


class EmbeddedRuns:
    """The runs this process started, each in its own thread, stopped together."""

    def __init__(self) -> None:
        self.halt = threading.Event()
        self._threads: set[threading.Thread] = set()
        self._lock = threading.Lock()

    def start(self, name: str, execute: Execute, run_id: UUID, ledger: Ledger) -> None:
        if self.halt.is_set():
            raise ServerStopping("the server is stopping: no run starts now")
        thread = threading.Thread(target=self._run, args=(execute, run_id, ledger),
                                  name=name, daemon=True)
        with self._lock:
            self._threads.add(thread)
        thread.start()

    def _run(self, execute: Execute, run_id: UUID, ledger: Ledger) -> None:
        try:
            execute(run_id, ledger, self.halt)
        finally:
            with self._lock:
                self._threads.discard(threading.current_thread())

    def stop(self, wait_seconds: float) -> None:
        """Ask every run to stop and wait for each, up to `wait_seconds` in all."""
        self.halt.set()
        with self._lock:
            running = list(self._threads)
        deadline = time.monotonic() + wait_seconds
        for thread in running:
            thread.join(max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                log.error("run thread %s still running after %.0f s: the store is closed "
                          "under it", thread.name, wait_seconds)
