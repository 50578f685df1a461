"""Verify as a job: the `verify_runs` rows (who started a run, its state, progress and
verdict) and the `verify_problems` each run found.

One run at a time, whichever process asks: a unique index holds at most one row whose status is
`running`, so two starts racing in two API processes cannot both insert one. A run whose process
died stops beating its heart; the next start marks it failed (`STALE_SECONDS`), so a killed run
never blocks the next one. What runs a run (a worker, or a thread of the embedded API process)
is `workers/audit.py`; this module only keeps its rows.
"""

import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
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
    and_,
    case,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from commands.audit.run_rate import require_within_rate
from core.db import read_scope, session_scope
from core.models import Base, UTCDateTime

RUNNING, FINISHED, FAILED = "running", "finished", "failed"
HEARTBEAT_SECONDS = 5.0  # how often a live run says so
STALE_SECONDS = 60.0  # a running run silent this long died with its process
MAX_STORED_PROBLEMS = 100_000  # rows kept per run; `problems` counts every one found
REPORT_LIST_LIMIT = 100  # entries per list of the report kept with the run
ABANDONED = "the run stopped reporting progress: its process was stopped or died"


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


class VerifyRunning(Exception):
    """A run is under way; `run_id` names it (None: it ended in the meantime)."""

    def __init__(self, run_id: UUID | None) -> None:
        super().__init__(f"verify run {run_id} is running" if run_id else "a verify run is running")
        self.run_id = run_id


class Abandoned(Exception):
    """This run is no longer running as far as its row says (declared dead, or removed)."""


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


def is_stale(row: Any, now: datetime) -> bool:
    return bool(row.status == RUNNING
                and now - row.heartbeat_at > timedelta(seconds=STALE_SECONDS))


def claim(started_by: str, total: int, per_hour: int | None = None) -> Run:
    """A new running run, unless one runs (VerifyRunning) or `started_by` started `per_hour`
    within the hour (`run_rate.TooManyRuns`); a silent one is failed first."""
    now = datetime.now(UTC)
    run_id = uuid.uuid4()
    try:
        with session_scope() as session:
            if per_hour is not None:
                require_within_rate(session, runs, started_by, per_hour, now)
            session.execute(
                update(runs)
                .where(runs.c.status == RUNNING,
                       runs.c.heartbeat_at < now - timedelta(seconds=STALE_SECONDS))
                .values(status=FAILED, error=ABANDONED, finished_at=now))
            running = session.scalar(select(runs.c.id).where(runs.c.status == RUNNING))
            if running is not None:
                raise VerifyRunning(running)
            session.execute(insert(runs).values(
                id=run_id, status=RUNNING, started_at=now, started_by=started_by,
                heartbeat_at=now, finished_at=None, checked=0, total=total, problems=0,
                ok=None, error=None, report=None))
    except IntegrityError:  # another process inserted its running run first
        raise VerifyRunning(_running()) from None
    return Run(run_id, RUNNING, now, started_by, None, 0, total, 0, None, None, None)


def _running() -> UUID | None:
    with read_scope() as session:
        return session.scalar(select(runs.c.id).where(runs.c.status == RUNNING))


def beat(run_id: UUID, checked: int | None = None) -> None:
    """The run is alive (and reached position `checked`); Abandoned if no longer running."""
    values: dict[str, Any] = {"heartbeat_at": datetime.now(UTC)}
    if checked is not None:
        values |= {"checked": checked, "total": _greatest(runs.c.total, checked)}
    with session_scope() as session:
        _update_running(session, run_id, values)


def _greatest(column: Any, value: int) -> Any:
    """The larger of a column and a number, as both dialects write it."""
    return case((column < value, value), else_=column)


def _update_running(session: Session, run_id: UUID, values: dict[str, Any]) -> None:
    changed = session.execute(
        update(runs).where(runs.c.id == run_id, runs.c.status == RUNNING).values(values))
    if changed.rowcount == 0:  # type: ignore[attr-defined]  # a CursorResult
        raise Abandoned(f"verify run {run_id} is no longer running")


def finish(run_id: UUID, report: dict[str, Any], checked: int) -> None:
    """Record the verdict, the report kept with it and every problem, in one transaction
    (Abandoned, and nothing recorded, if the run was declared dead meanwhile)."""
    found = list(problems_of(report))
    now = datetime.now(UTC)
    with session_scope() as session:
        _update_running(session, run_id, {
            "status": FINISHED, "ok": bool(report["ok"]), "finished_at": now,
            "heartbeat_at": now, "checked": _greatest(runs.c.total, checked),
            "total": _greatest(runs.c.total, checked), "problems": len(found),
            "report": json.dumps(kept_report(report), default=str)})
        rows = [p | {"run_id": run_id, "ordinal": i}
                for i, p in enumerate(found[:MAX_STORED_PROBLEMS])]
        for start in range(0, len(rows), 1000):
            session.execute(insert(problem_rows), rows[start:start + 1000])


def fail(run_id: UUID, exc: BaseException) -> None:
    """Mark the run failed with the error (never raises: the error itself matters more)."""
    now = datetime.now(UTC)
    try:
        with session_scope() as session:
            session.execute(update(runs).where(runs.c.id == run_id, runs.c.status == RUNNING)
                            .values(status=FAILED, error=f"{type(exc).__name__}: {exc}"[:4000],
                                    finished_at=now, heartbeat_at=now))
    except Exception:  # noqa: S110 - nothing more to do; the caller logs `exc`
        pass


def get(run_id: UUID) -> Run | None:
    with read_scope() as session:
        row = session.execute(select(runs).where(runs.c.id == run_id)).first()
    return None if row is None else Run.of(row, datetime.now(UTC))


def page(session: Session, limit: int, before: tuple[datetime, UUID] | None) -> list[Run]:
    """Up to `limit` runs, latest first, started before `before` (a keyset)."""
    query = select(runs).order_by(runs.c.started_at.desc(), runs.c.id.desc()).limit(limit)
    if before is not None:
        when, key = before
        query = query.where(or_(runs.c.started_at < when,
                                and_(runs.c.started_at == when, runs.c.id < key)))
    now = datetime.now(UTC)
    return [Run.of(row, now) for row in session.execute(query)]


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
