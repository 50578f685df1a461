"""The `projection_rebuilds` rows: who runs a rebuild, its state and progress."""

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core.db import session_scope
from projections.status import RUNNING, is_stale, rebuilds


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
