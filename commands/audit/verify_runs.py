"""Verify as a job: the `verify_runs` rows (who started a run, its state, progress and
verdict) and the `verify_problems` each run found.

One run at a time, a heartbeat, a silent run failed by the next start: the machinery every
audit job's rows share (`commands.audit.run_rows`). What runs a run (a worker, or a thread of
the embedded API process) is `workers/audit.py`; this module only keeps its rows.
"""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    case,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from commands.audit.run_rows import (
    ABANDONED,
    FAILED,
    FINISHED,
    HEARTBEAT_SECONDS,
    RUNNING,
    STALE_SECONDS,
    Abandoned,
    AlreadyRunning,
    RunRows,
    is_stale,
)
from core.db import session_scope
from core.models import Base, UTCDateTime

MAX_STORED_PROBLEMS = 100_000  # rows kept per run; `problems` counts every one found
REPORT_LIST_LIMIT = 100  # entries per list of the report kept with the run


class VerifyRun(Base):
    """One run of verify: who started it, its state, progress and verdict."""

    __tablename__ = "verify_runs"
    __table_args__ = (
        # At most one running run, in every process: the second insert of one fails.
        Index("uq_verify_runs_running", "status", unique=True,
              postgresql_where=text("status = 'running'"),
              sqlite_where=text("status = 'running'")),
        Index("ix_verify_runs_started_at_id", "started_at", "id"),
    )
    id: Mapped[UUID] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16))  # running | finished | failed
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_by: Mapped[str] = mapped_column(String(320))  # the caller's email
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked: Mapped[int] = mapped_column(BigInteger)  # the log's position reached
    total: Mapped[int] = mapped_column(BigInteger)  # the log's last position (grows)
    problems: Mapped[int] = mapped_column(Integer)
    ok: Mapped[bool | None] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(Text)
    report: Mapped[str | None] = mapped_column(Text)  # JSON: the report, its lists cut short


class VerifyProblem(Base):
    """One problem a run found, in the order found."""

    __tablename__ = "verify_problems"
    run_id: Mapped[UUID] = mapped_column(ForeignKey("verify_runs.id"), primary_key=True)
    ordinal: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    stream: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int | None] = mapped_column(BigInteger)
    position: Mapped[int | None] = mapped_column(BigInteger)
    message: Mapped[str] = mapped_column(Text)


runs: Table = VerifyRun.__table__  # type: ignore[assignment]  # a mapped class's is a Table
problem_rows: Table = VerifyProblem.__table__  # type: ignore[assignment]  # as above


class VerifyRunning(AlreadyRunning):
    """A verify run is under way; `run_id` names it (None: it ended in the meantime)."""

    kind = "verify"


ROWS = RunRows(runs, VerifyRunning)
__all__ = ["ABANDONED", "FAILED", "FINISHED", "HEARTBEAT_SECONDS", "RUNNING", "STALE_SECONDS",
           "Abandoned", "Run", "VerifyRunning", "beat", "claim", "fail", "finish", "get",
           "page", "problems_page"]


@dataclass(frozen=True)
class Run:
    """A run as readers see it; a running run gone silent reads as failed."""

    id: UUID
    status: str
    started_at: datetime
    started_by: str
    finished_at: datetime | None
    checked: int
    total: int
    problems: int
    ok: bool | None
    error: str | None
    report: dict[str, Any] | None

    @classmethod
    def of(cls, row: Any, now: datetime) -> "Run":
        status, error, finished = row.status, row.error, row.finished_at
        if is_stale(row, now):
            status, error, finished = FAILED, ABANDONED, row.heartbeat_at
        return cls(row.id, status, row.started_at, row.started_by, finished, row.checked,
                   row.total, row.problems, row.ok, error,
                   json.loads(row.report) if row.report else None)


def claim(started_by: str, total: int, per_hour: int | None = None) -> Run:
    """A new running run, unless one runs (VerifyRunning) or `started_by` started `per_hour`
    within the hour (`run_rate.TooManyRuns`); a silent one is failed first."""
    run_id, now = ROWS.claim(started_by, {"checked": 0, "total": total, "problems": 0,
                                          "ok": None, "report": None}, per_hour)
    return Run(run_id, RUNNING, now, started_by, None, 0, total, 0, None, None, None)


def beat(run_id: UUID, checked: int | None = None) -> None:
    """The run is alive (and reached position `checked`); Abandoned if no longer running."""
    values = None
    if checked is not None:
        values = {"checked": checked, "total": _greatest(runs.c.total, checked)}
    ROWS.beat(run_id, values)


def _greatest(column: Any, value: int) -> Any:
    """The larger of a column and a number, as both dialects write it."""
    return case((column < value, value), else_=column)


def finish(run_id: UUID, report: dict[str, Any], checked: int) -> None:
    """Record the verdict, the report kept with it and every problem, in one transaction
    (Abandoned, and nothing recorded, if the run was declared dead meanwhile)."""
    found = list(problems_of(report))
    now = datetime.now(UTC)
    with session_scope() as session:
        ROWS.update_running(session, run_id, {
            "status": FINISHED, "ok": bool(report["ok"]), "finished_at": now,
            "heartbeat_at": now, "checked": _greatest(runs.c.total, checked),
            "total": _greatest(runs.c.total, checked), "problems": len(found),
            "report": json.dumps(kept_report(report), default=str)})
        rows = [p | {"run_id": run_id, "ordinal": i}
                for i, p in enumerate(found[:MAX_STORED_PROBLEMS])]
        for start in range(0, len(rows), 1000):
            session.execute(insert(problem_rows), rows[start:start + 1000])


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


def problems_page(session: Session, run_id: UUID, offset: int,
                  limit: int) -> tuple[list[dict[str, Any]], int]:
    """A page of a run's stored problems in the order found, and how many are stored."""
    where = problem_rows.c.run_id == run_id
    total = session.scalar(select(func.count()).select_from(problem_rows).where(where))
    rows = session.execute(
        select(problem_rows.c.kind, problem_rows.c.stream, problem_rows.c.version,
               problem_rows.c.position, problem_rows.c.message)
        .where(where, problem_rows.c.ordinal >= offset)
        .order_by(problem_rows.c.ordinal).limit(limit))
    return [dict(r._mapping) for r in rows], int(total or 0)


def problems_of(report: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every problem of a verify report (`projections.verify.verify_ledger`), one shape:
    kind, stream, version, position, message."""
    for link in report["chain"]["broken"]:
        yield _problem("chain", link["stream"], link["version"], link["position"],
                       link["reason"])
    for event in report["events"]:
        for p in event["problems"]:
            if p["rule"] != "chain":  # the chain's are the broken links above
                yield _problem(p["rule"], event["event_id"], p["version"], p["position"],
                               p["message"])
    for p in report.get("invoices", {}).get("problems", []):
        yield _problem("invoice", p["organizer_id"], None, p["position"],
                       f"invoice {p['number']}: {p['message']}")
    for bad in report.get("snapshots", {}).get("bad", []):
        yield _problem("snapshot", bad["event_id"], bad["version"], None, bad["problem"])
    for name, check in report.get("projections", {}).items():
        yield from _differences(name, check)
    for p in report.get("proofs", {}).get("problems", []):
        yield _problem("proof", None, None, None, f"{p['kind']}: {p['message']}")


def _differences(name: str, check: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for d in check["differences"]:
        if d["expected"] is None:
            what = f"a row the replay does not have: {_shown(d['found'])}"
        elif d["found"] is None:
            what = f"missing, the replay has {_shown(d['expected'])}"
        else:
            what = f"expected {_shown(d['expected'])}, found {_shown(d['found'])}"
        yield _problem("projection", None, None, None,
                       f"{name}: {d['table']} {_shown(d['key'])}: {what}")
    unlisted = check["difference_count"] - len(check["differences"])
    if unlisted > 0:
        yield _problem("projection", None, None, None,
                       f"{name}: {unlisted} more differences, not listed")


def _shown(values: dict[str, Any]) -> str:
    return json.dumps(values, default=str, sort_keys=True)


def _problem(kind: str, stream: Any, version: int | None, position: int | None,
             message: str) -> dict[str, Any]:
    return {"kind": kind[:32], "stream": None if stream is None else str(stream),
            "version": version, "position": position, "message": message}


def kept_report(report: dict[str, Any]) -> dict[str, Any]:
    """The report as kept with its run: every verdict and count, each list cut to its first
    REPORT_LIST_LIMIT entries and the events to those with problems (the run's problems
    hold them all)."""
    cut = REPORT_LIST_LIMIT
    kept = dict(report)
    kept["events"] = [e | {"problems": e["problems"][:cut]}
                      for e in report["events"] if not e["ok"]][:cut]
    kept["chain"] = report["chain"] | {"broken": report["chain"]["broken"][:cut]}
    if "snapshots" in report:
        kept["snapshots"] = report["snapshots"] | {"bad": report["snapshots"]["bad"][:cut]}
    if "projections" in report:
        kept["projections"] = {name: check | {"differences": check["differences"][:cut]}
                               for name, check in report["projections"].items()}
    if "proofs" in report:
        kept["proofs"] = report["proofs"] | {"problems": report["proofs"]["problems"][:cut]}
    return kept
