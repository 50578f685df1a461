"""Reconciliation runs: the list, one run's state and counts, and its problems a page at a time
(started by `query_api.routes.commands.reconciliation`)."""

import dataclasses
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from commands.audit import reconciliation_runs as runs
from core import error_codes as codes
from core.money import from_minor
from query_api.reads import pagination
from query_api.reads.pagination import Cursor, Limit
from query_api.schemas.reconciliation import (
    ReconciliationProblemPage,
    ReconciliationRunOut,
    ReconciliationRunPage,
)
from query_api.service.deps import SessionDep, StaffUser
from query_api.service.errors import ApiError
from query_api.service.openapi import named

router = APIRouter(prefix="/audit", tags=["audit"])
RUN_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": named(codes.RECONCILIATION_RUN_NOT_FOUND)}}


@router.get("/reconciliation-runs")
def get_reconciliation_runs(
    _: StaffUser, session: SessionDep, limit: Limit = 20, cursor: Cursor = None
) -> ReconciliationRunPage:
    """The reconciliation runs, latest first."""
    before = pagination.decode_time_id(cursor) if cursor is not None else None
    found = runs.page(session, limit + 1, before)
    page = found[:limit]
    more = len(found) > limit
    return ReconciliationRunPage(items=[_run_out(r) for r in page], next_cursor=pagination.encode(
        page[-1].started_at, page[-1].id) if more else None)


@router.get("/reconciliation-runs/{run_id}", responses=RUN_NOT_FOUND)
def get_reconciliation_run(run_id: UUID, _: StaffUser) -> ReconciliationRunOut:
    """One run: its period and state, then its counts (matched, problems) or its error."""
    return _run_out(_require(run_id))


@router.get("/reconciliation-runs/{run_id}/problems", responses=RUN_NOT_FOUND)
def get_reconciliation_run_problems(
    run_id: UUID, _: StaffUser, session: SessionDep, cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=500, description="page size")] = 50,
) -> ReconciliationProblemPage:
    """A page of the disagreements the run found, in the order found, each with both sides'
    ids and amounts."""
    _require(run_id)
    after = _ordinal(cursor) if cursor is not None else -1
    found = runs.problems_page(session, run_id, after, limit + 1)
    page = found[:limit]
    more = len(found) > limit
    return ReconciliationProblemPage.model_validate({
        "items": [_problem_out(p) for p in page],
        "next_cursor": pagination.encode(str(page[-1]["ordinal"])) if more else None})


def _require(run_id: UUID) -> runs.Run:
    run = runs.get(run_id)
    if run is None:
        raise ApiError(codes.RECONCILIATION_RUN_NOT_FOUND, f"No reconciliation run {run_id}")
    return run


def _ordinal(cursor: str) -> int:
    text = pagination.decode_text(cursor)
    if not text.isdigit() or len(text) > 9:
        raise pagination.bad_cursor()
    return int(text)


def _problem_out(row: dict[str, Any]) -> dict[str, Any]:
    def amount(minor: int | None) -> str | None:
        return None if minor is None else str(from_minor(minor, row["currency"]))

    return row | {"ledger_amount": amount(row["ledger_amount"]),
                  "provider_amount": amount(row["provider_amount"])}


def _run_out(run: runs.Run) -> ReconciliationRunOut:
    return ReconciliationRunOut.model_validate(dataclasses.asdict(run))
