"""Reconciliation as a job: the `reconciliation_runs` rows (who started a run, for which period,
its state and counts) and the `reconciliation_problems` each run found.

Kept as every audit job's rows are (`commands.audit.run_rows`): one running run at a time in
every process, a heartbeat, and a run whose process died read as failed and failed by the next
start. What carries a run out (a worker, or a thread of
the embedded API process) is `workers/reconciliation.py`; the matching is
`commands.audit.reconciliation`, the one `ledger reconcile` prints.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    insert,
    select,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from commands.audit.reconciliation import DEFAULT_PERIOD, Reconciliation
from commands.audit.run_rows import (
    ABANDONED,
    FAILED,
    FINISHED,
    RUNNING,
    Abandoned,
    AlreadyRunning,
    RunRows,
    is_stale,
    said,
)
from commands.domain.errors import DomainError
from core import error_codes as codes
from core.db import session_scope
from core.models import Base, UTCDateTime

MAX_PERIOD = timedelta(days=366)  # a year of the provider's records, leap day included
MAX_STORED_PROBLEMS = 100_000  # rows kept per run; `problems` counts every one found


class ReconciliationRun(Base):
    """One reconciliation with the payment provider: who started it, the period, its state
    and counts."""

    __tablename__ = "reconciliation_runs"
    __table_args__ = (
        # At most one running run, in every process: the second insert of one fails.
        Index("uq_reconciliation_runs_running", "status", unique=True,
              postgresql_where=text("status = 'running'"),
              sqlite_where=text("status = 'running'")),
        Index("ix_reconciliation_runs_started_at_id", "started_at", "id"),
    )
    id: Mapped[UUID] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16))  # running | finished | failed
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_by: Mapped[str] = mapped_column(String(320))  # the caller's email
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    since: Mapped[datetime] = mapped_column(UTCDateTime)  # the period, included
    until: Mapped[datetime] = mapped_column(UTCDateTime)  # the period's end, excluded
    ledger_payments: Mapped[int] = mapped_column(Integer)
    ledger_refunds: Mapped[int] = mapped_column(Integer)
    provider_payments: Mapped[int] = mapped_column(Integer)
    provider_refunds: Mapped[int] = mapped_column(Integer)
    matched: Mapped[int] = mapped_column(Integer)
    problems: Mapped[int] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)


class ReconciliationProblem(Base):
    """One disagreement a run found, in the order found (payments, then refunds, by id)."""

    __tablename__ = "reconciliation_problems"
    run_id: Mapped[UUID] = mapped_column(ForeignKey("reconciliation_runs.id"),
                                         primary_key=True)
    ordinal: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    provider_id: Mapped[str] = mapped_column(String(255))  # the intent's or refund's id
    payment_id: Mapped[str | None] = mapped_column(String(64))  # the ledger's payment stream
    intent_id: Mapped[str | None] = mapped_column(String(255))  # a refund's intent
    ledger_amount: Mapped[int | None] = mapped_column(BigInteger)  # minor unit
    provider_amount: Mapped[int | None] = mapped_column(BigInteger)  # minor unit
    currency: Mapped[str] = mapped_column(String(8))
    message: Mapped[str] = mapped_column(Text)


runs: Table = ReconciliationRun.__table__  # type: ignore[assignment]  # a mapped class's is a Table
problem_rows: Table = ReconciliationProblem.__table__  # type: ignore[assignment]  # as above
__all__ = ["Abandoned", "ReconciliationRunning", "Run", "beat", "claim", "fail", "finish",
           "get", "page", "period", "problems_page", "said"]
COUNTS = ("ledger_payments", "ledger_refunds", "provider_payments", "provider_refunds",
          "matched", "problems")


class ReconciliationRunning(AlreadyRunning):
    """A reconciliation run is under way; `run_id` names it (None: it ended in the meantime)."""

    kind = "reconciliation"


ROWS = RunRows(runs, ReconciliationRunning)


@dataclass(frozen=True)
class Run:
    """A run as readers see it; a running run gone silent reads as failed."""

    id: UUID
    status: str
    started_at: datetime
    started_by: str
    finished_at: datetime | None
    since: datetime
    until: datetime
    ledger_payments: int
    ledger_refunds: int
    provider_payments: int
    provider_refunds: int
    matched: int
    problems: int
    error: str | None

    @classmethod
    def of(cls, row: Any, now: datetime) -> "Run":
        status, error, finished = row.status, row.error, row.finished_at
        if is_stale(row, now):
            status, error, finished = FAILED, ABANDONED, row.heartbeat_at
        return cls(row.id, status, row.started_at, row.started_by, finished, row.since,
                   row.until, row.ledger_payments, row.ledger_refunds, row.provider_payments,
                   row.provider_refunds, row.matched, row.problems, error)


def period(since: datetime | None, until: datetime | None,
           now: datetime) -> tuple[datetime, datetime]:
    """The period asked, [since, until): `until` by default now, `since` DEFAULT_PERIOD before
    it; PERIOD_INVALID when it ends before it starts or is longer than MAX_PERIOD."""
    end = until if until is not None else now
    try:
        start = since if since is not None else end - DEFAULT_PERIOD
    except OverflowError:  # `until` within the default period of the first moment there is
        raise DomainError("`until` is too early: give `since`",
                          code=codes.PERIOD_INVALID) from None
    if start >= end:
        raise DomainError("`until` must be after `since`", code=codes.PERIOD_INVALID)
    if end - start > MAX_PERIOD:
        raise DomainError(f"A period is at most {MAX_PERIOD.days} days long",
                          code=codes.PERIOD_INVALID)
    return start, end


def claim(started_by: str, since: datetime, until: datetime,
          per_hour: int | None = None) -> Run:
    """A new running run for [since, until), unless one runs (ReconciliationRunning) or
    `started_by` started `per_hour` within the hour (`run_rate.TooManyRuns`: each run lists the
    provider's records for its period); a silent one is failed first."""
    run_id, now = ROWS.claim(started_by, {"since": since, "until": until,
                                          **dict.fromkeys(COUNTS, 0)}, per_hour)
    return Run(run_id, RUNNING, now, started_by, None, since, until, 0, 0, 0, 0, 0, 0, None)


def beat(run_id: UUID) -> None:
    """The run is alive; Abandoned if it is no longer running."""
    ROWS.beat(run_id)


def finish(run_id: UUID, found: Reconciliation) -> None:
    """Record the counts and every problem in one transaction (Abandoned, and nothing
    recorded, if the run was declared dead meanwhile)."""
    now = datetime.now(UTC)
    with session_scope() as session:
        ROWS.update_running(session, run_id, {
            "status": FINISHED, "finished_at": now, "heartbeat_at": now,
            "ledger_payments": len(found.ledger.taken),
            "ledger_refunds": len(found.ledger.given_back),
            "provider_payments": len(found.provider.taken),
            "provider_refunds": len(found.provider.given_back),
            "matched": found.matched, "problems": len(found.problems)})
        rows = [_row(run_id, i, p) for i, p in enumerate(found.problems[:MAX_STORED_PROBLEMS])]
        for start in range(0, len(rows), 1000):
            session.execute(insert(problem_rows), rows[start:start + 1000])


def _row(run_id: UUID, ordinal: int, problem: dict[str, Any]) -> dict[str, Any]:
    return {"run_id": run_id, "ordinal": ordinal, "kind": problem["kind"],
            "provider_id": problem["id"], "payment_id": problem["payment_id"],
            "intent_id": problem["intent_id"], "ledger_amount": problem["ledger_amount"],
            "provider_amount": problem["provider_amount"], "currency": problem["currency"],
            "message": problem["message"]}


def fail(run_id: UUID, exc: BaseException) -> None:
    """Mark the run failed with the error (never raises)."""
    ROWS.fail(run_id, exc)


def get(run_id: UUID) -> Run | None:
    row = ROWS.row(run_id)
    return None if row is None else Run.of(row, datetime.now(UTC))


def page(session: Session, limit: int, before: tuple[datetime, UUID] | None) -> list[Run]:
    """Up to `limit` runs, latest first, started before `before` (a keyset)."""
    now = datetime.now(UTC)
    return [Run.of(row, now) for row in ROWS.page(session, limit, before)]


def problems_page(session: Session, run_id: UUID, after: int,
                  limit: int) -> list[dict[str, Any]]:
    """Up to `limit` of a run's problems in the order found, each after ordinal `after` (-1:
    from the first), with its `ordinal`."""
    rows = session.execute(
        select(problem_rows).where(problem_rows.c.run_id == run_id,
                                   problem_rows.c.ordinal > after)
        .order_by(problem_rows.c.ordinal).limit(limit))
    return [dict(r._mapping) for r in rows]
