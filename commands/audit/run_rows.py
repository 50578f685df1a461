"""A long audit job's rows, the machinery verify runs and reconciliation runs share: one running
run at a time whichever process asks (a unique index holds at most one row whose status is
`running`, so two starts racing in two API processes cannot both insert one), a heartbeat, a run
gone silent read as failed and failed by the next start (`STALE_SECONDS`: a killed run never
blocks the next), a failure in words, the runs paged latest first. Each kind keeps its own table
of runs, with the counts it reports (`commands.audit.verify_runs`,
`commands.audit.reconciliation_runs`), and what carries a run out is `workers/`."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Table, and_, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from commands.audit.run_rate import require_within_rate
from core.db import read_scope, session_scope

RUNNING, FINISHED, FAILED = "running", "finished", "failed"
HEARTBEAT_SECONDS = 5.0  # how often a live run says so
STALE_SECONDS = 60.0  # a running run silent this long died with its process
ABANDONED = "the run stopped reporting progress: its process was stopped or died"


class Abandoned(Exception):
    """This run is no longer running as far as its row says (declared dead, or removed)."""


class AlreadyRunning(Exception):
    """A run of this kind is under way; `run_id` names it (None: it could not be read)."""

    kind = "a"

    def __init__(self, run_id: UUID | None) -> None:
        super().__init__(f"{self.kind} run {run_id} is running" if run_id
                         else f"a {self.kind} run is running")
        self.run_id = run_id


def is_stale(row: Any, now: datetime) -> bool:
    """Whether a running run's row has gone silent: read as failed (ABANDONED)."""
    return bool(row.status == RUNNING
                and now - row.heartbeat_at > timedelta(seconds=STALE_SECONDS))


def said(exc: BaseException) -> str:
    """Why a run failed, for people: the error's stable code (else its type), its message, and
    what caused it."""
    code = getattr(exc, "code", None)
    head = code if isinstance(code, str) and code else type(exc).__name__
    cause = exc.__cause__
    return f"{head}: {exc}" + (f" ({type(cause).__name__}: {cause})" if cause else "")


@dataclass(frozen=True)
class RunRows:
    """One kind of run's rows: `runs` its table, `running` what a start refuses with while
    another runs."""

    runs: Table
    running: type[AlreadyRunning]

    def claim(self, started_by: str, fields: dict[str, Any],
              per_hour: int | None = None) -> tuple[UUID, datetime]:
        """A new running run with its `fields`, unless one runs (`running`) or `started_by`
        started `per_hour` within the hour (`run_rate.TooManyRuns`); a silent one is failed
        first. Its id and when it started."""
        runs, now, run_id = self.runs, datetime.now(UTC), uuid.uuid4()
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
                    raise self.running(running)
                session.execute(insert(runs).values(
                    id=run_id, status=RUNNING, started_at=now, started_by=started_by,
                    heartbeat_at=now, finished_at=None, error=None, **fields))
        except IntegrityError:  # another process inserted its running run first
            raise self.running(self._first_in()) from None
        return run_id, now

    def _first_in(self) -> UUID | None:
        """The run another start inserted as this one tried: the one running, or, when it
        ended meanwhile (a short run, carried out at once), the latest started."""
        runs = self.runs
        with read_scope() as session:
            return session.scalar(select(runs.c.id)
                                  .order_by((runs.c.status == RUNNING).desc(),
                                            runs.c.started_at.desc(), runs.c.id.desc())
                                  .limit(1))

    def beat(self, run_id: UUID, values: dict[str, Any] | None = None) -> None:
        """The run is alive (and has `values` now); Abandoned if it is no longer running."""
        with session_scope() as session:
            self.update_running(session, run_id,
                                {"heartbeat_at": datetime.now(UTC), **(values or {})})

    def update_running(self, session: Session, run_id: UUID, values: dict[str, Any]) -> None:
        changed = session.execute(update(self.runs)
                                  .where(self.runs.c.id == run_id,
                                         self.runs.c.status == RUNNING).values(values))
        if changed.rowcount == 0:  # type: ignore[attr-defined]  # a CursorResult
            raise Abandoned(f"{self.running.kind} run {run_id} is no longer running")

    def fail(self, run_id: UUID, exc: BaseException) -> None:
        """Mark the run failed with the error (never raises: the error itself matters more)."""
        now = datetime.now(UTC)
        try:
            with session_scope() as session:
                session.execute(update(self.runs)
                                .where(self.runs.c.id == run_id,
                                       self.runs.c.status == RUNNING)
                                .values(status=FAILED, error=said(exc)[:4000],
                                        finished_at=now, heartbeat_at=now))
        except Exception:  # noqa: S110 - nothing more to do; the caller logs `exc`
            pass

    def row(self, run_id: UUID) -> Any:
        """The run's row; None when there is none."""
        with read_scope() as session:
            return session.execute(select(self.runs).where(self.runs.c.id == run_id)).first()

    def page(self, session: Session, limit: int,
             before: tuple[datetime, UUID] | None) -> list[Any]:
        """Up to `limit` runs' rows, latest first, started before `before` (a keyset)."""
        runs = self.runs
        query = select(runs).order_by(runs.c.started_at.desc(), runs.c.id.desc()).limit(limit)
        if before is not None:
            when, key = before
            query = query.where(or_(runs.c.started_at < when,
                                    and_(runs.c.started_at == when, runs.c.id < key)))
        return list(session.execute(query))
