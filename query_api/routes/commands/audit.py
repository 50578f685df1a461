"""Audit commands: start a verify run (it changes no event: the run records only itself)."""

import dataclasses

from fastapi import APIRouter

from commands.audit import store, verify_runs
from commands.audit.run_rate import TooManyRuns
from core import error_codes as codes
from query_api.schemas.audit import VerifyRunOut
from query_api.service.deps import EmbeddedRunsDep, LedgerDep, SettingsDep, StaffUser
from query_api.service.errors import ApiError
from query_api.service.openapi import described, named
from workers import audit as audit_jobs

router = APIRouter(prefix="/audit", tags=["audit"])


@router.post("/verify-runs", status_code=202, responses={
    409: {"description": described(codes.VERIFY_RUNNING)},
    429: {"description": described(codes.TOO_MANY_VERIFY_RUNS, note="with Retry-After")},
    503: {"description": named(codes.BROKER_UNAVAILABLE)}})
def start_verify_run(user: StaffUser, ledger: LedgerDep, settings: SettingsDep,
                     embedded_runs: EmbeddedRunsDep) -> VerifyRunOut:
    """Start verifying the whole ledger (as `ledger verify` does), one run at a time and a
    few an hour per user: chains, every rule at every position, snapshots, projections and
    signed heads against a replay.

    The run goes on after the answer, in a worker (in this process on the embedded default);
    follow it at GET /api/audit/verify-runs/{id}.
    """
    try:
        run = verify_runs.claim(user.email, store.head(ledger),
                                settings.verify_runs_per_user_per_hour)
    except verify_runs.VerifyRunning as exc:
        raise ApiError(codes.VERIFY_RUNNING,
                       f"Verify run {exc.run_id} is running: one at a time") from None
    except TooManyRuns as exc:
        raise ApiError(codes.TOO_MANY_VERIFY_RUNS,
                       f"You started {exc.allowed} verify runs within the hour; try again in "
                       f"{exc.retry_after} s", {"Retry-After": str(exc.retry_after)}) from None
    if settings.is_eager:  # embedded: no worker, this process runs it
        embedded_runs.start("verify-run", audit_jobs.execute, run.id, ledger)
    else:
        try:
            audit_jobs.run_verify.apply_async((str(run.id),))
        except Exception as exc:
            verify_runs.fail(run.id, exc)
            raise ApiError(codes.BROKER_UNAVAILABLE, "Could not queue the verify run") from None
    return VerifyRunOut.model_validate(dataclasses.asdict(run))
