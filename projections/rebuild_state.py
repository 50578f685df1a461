"""The `projection_rebuilds` rows: who runs a rebuild, its state and progress."""

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, String, Text, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.db import session_scope
from core.models import Base, UTCDateTime
from projections.model import table_of

RUNNING = ("rebuilding", "swapping")
STALE_SECONDS = 120.0  # a running rebuild without progress this long died with its worker


class ProjectionRebuild(Base):
    """The latest rebuild of each projection: its state and progress."""

    __tablename__ = "projection_rebuilds"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    run_id: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16))  # rebuilding | swapping | idle | failed
    position: Mapped[int] = mapped_column(BigInteger)  # reached in the shadow tables
    done: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the heartbeat
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)


rebuilds = table_of(ProjectionRebuild)


def is_stale(run: Any, now: datetime) -> bool:
    """A rebuild that says it runs but stopped reporting (its worker died)."""
    return bool(run.state in RUNNING
                and (now - run.updated_at).total_seconds() > STALE_SECONDS)


class RebuildRunning(Exception):
    """A rebuild of this projection is already under way."""


class Superseded(Exception):
    """Another rebuild of the projection took over (this one was considered dead)."""


def claim(names: Iterable[str], total: int) -> str:
    """Mark the projections as rebuilding under a new run id, unless one already is."""
    run_id, now = uuid.uuid4().hex, datetime.now(UTC)
    with session_scope() as session:
        for name in names:
            _ensure(session, name, now)
            row = session.execute(select(rebuilds).where(rebuilds.c.name == name)
                                  .with_for_update()).one()
            if row.state in RUNNING and not is_stale(row, now):
                raise RebuildRunning(f"projection {name!r} is already being rebuilt")
            session.execute(update(rebuilds).where(rebuilds.c.name == name).values(
                run_id=run_id, state="rebuilding", position=0, done=0, total=total,
                started_at=now, updated_at=now, finished_at=None, error=None))
    return run_id


def record(session: Session, names: Iterable[str], run_id: str, **values: Any) -> None:
    """Progress of this run, in the transaction that made it (Superseded if taken over)."""
    for name in names:
        changed = session.execute(
            update(rebuilds).where(rebuilds.c.name == name, rebuilds.c.run_id == run_id)
            .values(updated_at=datetime.now(UTC), **values))
        if changed.rowcount == 0:  # type: ignore[attr-defined]  # a CursorResult
            raise Superseded(f"another rebuild of {name!r} took over")


def finish(session: Session, name: str, run_id: str, **values: Any) -> None:
    record(session, [name], run_id, state="idle", finished_at=datetime.now(UTC), **values)


def fail(names: Iterable[str], run_id: str, exc: Exception) -> None:
    """Mark this run failed (never raises: the original error matters more)."""
    try:
        with session_scope() as session:
            session.execute(
                update(rebuilds).where(rebuilds.c.name.in_(list(names)),
                                       rebuilds.c.run_id == run_id)
                .values(state="failed", error=f"{type(exc).__name__}: {exc}"[:4000],
                        updated_at=datetime.now(UTC), finished_at=datetime.now(UTC)))
    except Exception:  # noqa: S110 - nothing more to do; the caller re-raises `exc`
        pass


def _ensure(session: Session, name: str, now: datetime) -> None:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(rebuilds).values(
        name=name, run_id="", state="idle", position=0, done=0, total=0, started_at=now,
        updated_at=now).on_conflict_do_nothing())
