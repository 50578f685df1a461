"""Verify as a job: a claimed run (`commands.audit.verify_runs`) carried out by a worker's task,
or by a thread of the embedded API process (it has no worker: `workers.embedded_runs`).

The run is `projections.verify.verify_ledger`, the pass `ledger verify` makes, with its
progress (the log's position reached) written to the run's row. A thread beside it beats the
row's heart while the pass goes on, also through the long steps that report no position
(snapshots, drift, the tree), so only a dead process leaves a silent run, which the next start
declares failed.
"""

import logging
import threading
import time
from collections.abc import Callable
from uuid import UUID

from commands.audit import verify_runs
from commands.audit.verify_runs import Abandoned
from commands.ledger import Ledger
from projections.verify import verify_ledger
from workers.celery_app import app
from workers.embedded_runs import ServerStopping
from workers.ledger import get_ledger

log = logging.getLogger(__name__)
PROGRESS_EVERY_SECONDS = 0.5  # the row's progress written at most this often


def execute(run_id: UUID, ledger: Ledger, halt: threading.Event | None = None) -> None:
    """Verify the whole ledger for the claimed run `run_id`; record its verdict or failure.
    `halt` set (the embedded process stopping) ends the pass at its next position."""
    heart = Heartbeat(run_id, halt=halt)
    heart.start()
    try:
        report = verify_ledger(ledger, progress=heart.progress)
        heart.stop()
        verify_runs.finish(run_id, report, heart.reached)
    except ServerStopping as exc:
        log.warning("verify run %s stopped with its process", run_id)
        verify_runs.fail(run_id, exc)
    except Abandoned:
        log.warning("verify run %s was declared dead while it ran: stopped", run_id)
    except Exception as exc:
        log.exception("verify run %s failed", run_id)
        verify_runs.fail(run_id, exc)
    finally:
        heart.stop()


class Heartbeat:
    """Beats the run's heart every HEARTBEAT_SECONDS from a thread of its own, with the
    position the pass reached; the pass learns here that its run was declared dead.

    A verify run's by default; another kind of run passes the function that beats its row
    (`beat(run_id, reached)`, Abandoned once the row is no longer running)."""

    def __init__(self, run_id: UUID, beat: Callable[[UUID, int], None] | None = None,
                 kind: str = "verify", halt: threading.Event | None = None) -> None:
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

    def _write(self) -> None:
        (self._row_beat or verify_runs.beat)(self.run_id, self.reached)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()

    def progress(self, position: int) -> None:
        """The pass reached `position`: written now and then; Abandoned stops the pass."""
        self.reached = max(self.reached, position)
        if self.abandoned:
            raise Abandoned(f"{self.kind} run {self.run_id} is no longer running")
        if self.halt is not None and self.halt.is_set():
            raise ServerStopping(f"the server stopped while the {self.kind} run ran")
        if time.monotonic() - self._written >= PROGRESS_EVERY_SECONDS:
            self._written = time.monotonic()
            try:
                self._write()
            except Abandoned:
                raise
            except Exception:  # progress shown late is no reason to stop the pass
                log.warning("%s run %s: progress not written", self.kind, self.run_id,
                            exc_info=True)

    def _beat(self) -> None:
        while not self._stopped.wait(verify_runs.HEARTBEAT_SECONDS):
            try:
                self._write()
            except Abandoned:
                self.abandoned = True
                return
            except Exception:  # a missed beat is retried at the next; staleness takes many
                log.warning("%s run %s: heartbeat not written", self.kind, self.run_id,
                            exc_info=True)


# Acked early: a worker that dies midway leaves a silent run, declared failed by the next
# start; a redelivered run would only start over what no one waits for any more.
@app.task(acks_late=False, ignore_result=True)  # type: ignore[untyped-decorator]  # celery ships no type hints
def run_verify(run_id: str) -> None:
    """Carry out the claimed verify run `run_id` with this worker's ledger."""
    try:
        ledger = get_ledger()
    except Exception as exc:  # say so in the run rather than leave it to go silent
        verify_runs.fail(UUID(run_id), exc)
        raise
    execute(UUID(run_id), ledger)
