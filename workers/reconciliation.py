"""Reconciliation as a job: a claimed run (`commands.audit.reconciliation_runs`) carried out by a
task on the outbound queue (it waits on the payment provider, as refunds and deliveries wait on
other servers), or by a thread of the embedded API process (it has no worker:
`workers.embedded_runs`).

The run is `commands.audit.reconciliation.reconcile_period`, the matching `ledger reconcile`
prints. A thread beats the row's heart while the provider's lists are read, so only a dead
process leaves a silent run, which the next start declares failed. A run that cannot reach the
provider, or has none set up in its process, is recorded failed with why.
"""

import threading
from uuid import UUID

from commands.audit import reconciliation_runs
from commands.audit.reconciliation import reconcile_period
from commands.audit.reconciliation_runs import Abandoned
from commands.ledger import Ledger
from workers.audit_runs import Heartbeat, carry, in_a_worker
from workers.celery_app import RECONCILE_TASK, app


class NoProvider(RuntimeError):
    """This process has no payment provider set up to reconcile with."""


def execute(run_id: UUID, ledger: Ledger, halt: threading.Event | None = None) -> None:
    """Reconcile the claimed run's period; record its counts and problems, or its failure.
    `halt` set (the embedded process stopping) ends a run that has not yet asked the provider."""

    def reconcile(heart: Heartbeat) -> None:
        run = reconciliation_runs.get(run_id)
        if run is None:
            raise Abandoned(f"reconciliation run {run_id} does not exist")
        provider = ledger.payment_provider()
        if provider is None:
            raise NoProvider("no payment provider is set up in the process that ran it "
                             "(STRIPE_API_KEY)")
        heart.progress(0)  # ServerStopping when the process stops before the provider is asked
        found = reconcile_period(ledger, provider, run.since, run.until)
        heart.stop()
        reconciliation_runs.finish(run_id, found)

    carry(run_id, "reconciliation",
          (lambda run, _: reconciliation_runs.beat(run), reconciliation_runs.fail), reconcile,
          halt)


# Acked early, as verify runs are: a worker that dies midway leaves a silent run, declared
# failed by the next start, rather than one redelivered that no one waits for any more.
@app.task(name=RECONCILE_TASK, acks_late=False, ignore_result=True)  # type: ignore[untyped-decorator]  # celery ships no type hints
def run_reconciliation(run_id: str) -> None:
    """Carry out the claimed reconciliation run `run_id` with this worker's ledger."""
    in_a_worker(run_id, reconciliation_runs.fail, execute)
