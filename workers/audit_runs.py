"""Carrying out an audit job's claimed run, the same for every kind (verify, reconciliation): a
thread beats the row's heart while the work goes on, also through long steps that report no
progress, so only a dead process leaves a silent run, which the next start declares failed; the
work learns here that its run was declared dead (Abandoned), or that the embedded process is
stopping (`ServerStopping`); a run that fails is recorded failed with why. The rows are
`commands.audit.run_rows`'; the work is each kind's (`workers/audit.py`,
`workers/reconciliation.py`)."""

import logging
import threading
import time
from collections.abc import Callable
from uuid import UUID

from commands.audit.run_rows import HEARTBEAT_SECONDS, Abandoned
from commands.ledger import Ledger
from workers.embedded_runs import ServerStopping
from workers.ledger import get_ledger

log = logging.getLogger(__name__)
PROGRESS_EVERY_SECONDS = 0.5  # the row's progress written at most this often
Beat = Callable[[UUID, int], None]  # the row's heart beaten, with the progress reached
Fail = Callable[[UUID, BaseException], None]  # the run recorded failed, with why


class Heartbeat:
    """Beats the run's heart every HEARTBEAT_SECONDS from a thread of its own, with the
    progress the work reached (`beat(run_id, reached)`, Abandoned once the row is no longer
    running)."""

    def __init__(self, run_id: UUID, beat: Beat, kind: str,
                 halt: threading.Event | None = None) -> None:
        self.run_id = run_id
        self.halt = halt
        self.reached = 0
        self.abandoned = False
        self.kind = kind
        self._row_beat = beat
        self._written = 0.0
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"{kind}-heartbeat",
                                        daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()

    def progress(self, position: int) -> None:
        """The work reached `position`: written now and then; Abandoned stops the work, and so
        does the embedded process stopping (ServerStopping)."""
        self.reached = max(self.reached, position)
        if self.abandoned:
            raise Abandoned(f"{self.kind} run {self.run_id} is no longer running")
        if self.halt is not None and self.halt.is_set():
            raise ServerStopping(f"the server stopped while the {self.kind} run ran")
        if time.monotonic() - self._written >= PROGRESS_EVERY_SECONDS:
            self._written = time.monotonic()
            try:
                self._row_beat(self.run_id, self.reached)
            except Abandoned:
                raise
            except Exception:  # progress shown late is no reason to stop the work
                log.warning("%s run %s: progress not written", self.kind, self.run_id,
                            exc_info=True)

    def _beat(self) -> None:
        while not self._stopped.wait(HEARTBEAT_SECONDS):
            try:
                self._row_beat(self.run_id, self.reached)
            except Abandoned:
                self.abandoned = True
                return
            except Exception:  # a missed beat is retried at the next; staleness takes many
                log.warning("%s run %s: heartbeat not written", self.kind, self.run_id,
                            exc_info=True)


def carry(run_id: UUID, kind: str, rows: tuple[Beat, Fail], work: Callable[[Heartbeat], None],
          halt: threading.Event | None = None) -> None:
    """Do `work` for the claimed run `run_id` of `kind` under its heartbeat (`rows`: how its
    row is beaten and failed); the work records its own result, stopping the heart first."""
    beat, fail = rows
    heart = Heartbeat(run_id, beat, kind, halt)
    heart.start()
    try:
        work(heart)
    except ServerStopping as exc:
        log.warning("%s run %s stopped with its process", kind, run_id)
        fail(run_id, exc)
    except Abandoned:
        log.warning("%s run %s was declared dead while it ran: stopped", kind, run_id)
    except Exception as exc:
        log.exception("%s run %s failed", kind, run_id)
        fail(run_id, exc)
    finally:
        heart.stop()


def in_a_worker(run_id: str, fail: Fail, execute: Callable[[UUID, Ledger], None]) -> None:
    """A worker's task for a claimed run: with this worker's ledger, or the run recorded failed
    saying why (rather than left to go silent)."""
    try:
        ledger = get_ledger()
    except Exception as exc:
        fail(UUID(run_id), exc)
        raise
    execute(UUID(run_id), ledger)
