"""Verify as a job: a claimed run (`commands.audit.verify_runs`) carried out by a worker's task,
or by a thread of the embedded API process (it has no worker: `workers.embedded_runs`).

The run is `projections.verify.verify_ledger`, the pass `ledger verify` makes, with its
progress (the log's position reached) written to the run's row. A thread beside it beats the
row's heart while the pass goes on, also through the long steps that report no position
(snapshots, drift, the tree), so only a dead process leaves a silent run, which the next start
declares failed.
"""

import threading
from uuid import UUID

from commands.audit import verify_runs
from commands.ledger import Ledger
from projections.verify import verify_ledger
from workers.audit_runs import Heartbeat, carry, in_a_worker
from workers.celery_app import app


def execute(run_id: UUID, ledger: Ledger, halt: threading.Event | None = None) -> None:
    """Verify the whole ledger for the claimed run `run_id`; record its verdict or failure.
    `halt` set (the embedded process stopping) ends the pass at its next position."""

    def verify(heart: Heartbeat) -> None:
        report = verify_ledger(ledger, progress=heart.progress)
        heart.stop()
        verify_runs.finish(run_id, report, heart.reached)

    carry(run_id, "verify", (verify_runs.beat, verify_runs.fail), verify, halt)


# Acked early: a worker that dies midway leaves a silent run, declared failed by the next
# start; a redelivered run would only start over what no one waits for any more.
@app.task(acks_late=False, ignore_result=True)  # type: ignore[untyped-decorator]  # celery ships no type hints
def run_verify(run_id: str) -> None:
    """Carry out the claimed verify run `run_id` with this worker's ledger."""
    in_a_worker(run_id, verify_runs.fail, execute)
