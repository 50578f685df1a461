"""Reconciliation with the payment provider: start a run (it changes no event: the run records
only itself)."""

import dataclasses
from datetime import UTC, datetime

from fastapi import APIRouter

from commands.audit import reconciliation_runs as runs
from commands.audit.run_rate import TooManyRuns
from core import error_codes as codes
from query_api.schemas.reconciliation import ReconciliationRunIn, ReconciliationRunOut
from query_api.service.deps import EmbeddedRunsDep, LedgerDep, SettingsDep, StaffUser
from query_api.service.errors import ApiError
from query_api.service.openapi import described, named
from workers import reconciliation as jobs

router = APIRouter(prefix="/audit", tags=["audit"])


@router.post("/reconciliation-runs", status_code=202, responses={
    409: {"description": f"{described(codes.PAYMENTS_OFF)}; "
                         f"{described(codes.RECONCILIATION_RUNNING)}"},
    422: {"description": described(codes.PERIOD_INVALID, f"`until` is not after `since`, or "
                                                        f"they are over {runs.MAX_PERIOD.days} "
                                                        f"days apart")},
    429: {"description": described(codes.TOO_MANY_RECONCILIATION_RUNS,
                                   note="with Retry-After")},
    503: {"description": named(codes.BROKER_UNAVAILABLE)}})
def start_reconciliation_run(user: StaffUser, ledger: LedgerDep, settings: SettingsDep,
                             embedded_runs: EmbeddedRunsDep,
                             body: ReconciliationRunIn | None = None) -> ReconciliationRunOut:
    """Reconcile a period with the payment provider (as `ledger reconcile` does), one run at a
    time and a few an hour per user: every PaymentIntent and refund that succeeded, as the
    provider lists them and as the payments' streams recorded them, matched one to one by id
    and amount.

    The run goes on after the answer, in a worker (in this process on the embedded default);
    follow it at GET /api/audit/reconciliation-runs/{id}.
    """
    if not settings.payments_required:
        raise ApiError(codes.PAYMENTS_OFF, "No payment provider is set up: nothing to reconcile")
    asked = body or ReconciliationRunIn()
    since, until = runs.period(asked.since, asked.until, datetime.now(UTC))
    try:
        run = runs.claim(user.email, since, until,
                         settings.reconciliation_runs_per_user_per_hour)
    except runs.ReconciliationRunning as exc:
        raise ApiError(codes.RECONCILIATION_RUNNING,
                       f"Reconciliation run {exc.run_id} is running: one at a time") from None
    except TooManyRuns as exc:
        raise ApiError(codes.TOO_MANY_RECONCILIATION_RUNS,
                       f"You started {exc.allowed} reconciliation runs within the hour; try "
                       f"again in {exc.retry_after} s",
                       {"Retry-After": str(exc.retry_after)}) from None
    if settings.is_eager:  # embedded: no worker, this process runs it
        embedded_runs.start("reconciliation-run", jobs.execute, run.id, ledger)
    else:
        try:
            jobs.run_reconciliation.apply_async((str(run.id),))
        except Exception as exc:
            runs.fail(run.id, exc)
            raise ApiError(codes.BROKER_UNAVAILABLE,
                           "Could not queue the reconciliation run") from None
    return ReconciliationRunOut.model_validate(dataclasses.asdict(run))
