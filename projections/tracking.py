"""Where each projection stands: its tracking row, written in the transaction of its rows.

A batch locks the rows of the projections it advances (in name order, so two runs never
deadlock), and moves their positions with the rows it wrote: applying is exactly once.
"""

import logging
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, String, Text, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.db import get_engine, session_scope, singleton
from core.models import Base, UTCDateTime
from core.settings import get_settings
from projections import partitions
from projections.model import table_of
from projections.registry import PROJECTIONS

log = logging.getLogger(__name__)
POLL_SECONDS = 0.02
# The waitlists' process manager (`workers.holds`): a subscriber of the log tracked here
# beside the projections, though it writes commands, not rows.
WAITLIST_OFFERS = "waitlist_offers"  # its tracking row's name
INVOICES = "invoice_settlements"  # the invoices' process manager's (`workers.invoices.process`)
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE for a NOWAIT lock on a busy row


class ProjectionTracking(Base):
    """How far each projection has applied the global log (written with its rows)."""

    __tablename__ = "projection_tracking"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)


tracking = table_of(ProjectionTracking)


class LayoutMoved(Exception):
    """A projection's rows record another partition count than the caller's (repartitioned
    meanwhile): read the layout again."""


def lock(session: Session, name: str) -> int:
    """Lock the tracking row (creating it at 0 if new) and return its position."""
    return lock_all(session, [name])[0]


def lock_all(session: Session, names: list[str], nowait: bool = False) -> list[int]:
    """Lock these tracking rows in one statement, in name order (two runs never deadlock),
    creating any missing at 0; their positions, in the order of `names`.

    A missing partition's row is made only for a projection with no row at all (with every
    partition of its layout); one whose rows record another layout raises `LayoutMoved`.
    `nowait`: raise the database's lock error rather than wait for a busy row (PostgreSQL).
    """
    locked = (select(tracking.c.name, tracking.c.position).where(tracking.c.name.in_(names))
              .order_by(tracking.c.name).with_for_update(nowait=nowait))
    found = dict(session.execute(locked).tuples().all())
    missing = [name for name in names if name not in found]
    if missing:
        _create(session, missing)
        found = dict(session.execute(locked).tuples().all())
    return [int(found[name]) for name in names]


def _create(session: Session, missing: list[str]) -> None:
    rows: set[str] = set()
    for row in missing:
        name, part = partitions.parse(row)
        # Another layout's rows (a repartition committed since the caller read the layout):
        # never a row at 0 beside them, which would apply the whole log again.
        layout = partitions.units(name, part.n)
        recorded = set(session.scalars(select(tracking.c.name).where(rows_of(name))))
        if recorded - set(layout):  # the same layout's rows: another run made them meanwhile
            forget_layouts()
            raise LayoutMoved(f"projection {name} is recorded as {sorted(recorded)}")
        rows.update(layout)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(tracking).values([{"name": n, "position": 0}
                                                     for n in sorted(rows)])
                    .on_conflict_do_nothing())


@singleton
def _layouts() -> dict[str, int]:
    # The partition counts on record, read once per process (and database): a count changes
    # only by `repartition`, after which a stale count meets `LayoutMoved` and is read again.
    return {}


def recorded_layouts() -> dict[str, int]:
    """Each projection's partition count as its tracking rows record it (cached)."""
    cached: dict[str, int] = _layouts()
    if not cached:
        cached.update(partitions.layouts(current_positions()) or {"": 1})
    return cached


def forget_layouts() -> None:
    """Read the partition counts on record again at the next use (they changed)."""
    _layouts().clear()


def rows_of(name: str) -> Any:
    """Every tracking row of projection `name`, whatever its layout."""
    return or_(tracking.c.name == name,
               tracking.c.name.startswith(f"{name}{partitions.SEPARATOR}", autoescape=True))


def lock_projection(session: Session, name: str) -> dict[str, int]:
    """Lock every tracking row of projection `name`, whatever its layout (made in the
    configured one if it has none); their positions by row."""
    locked = (select(tracking.c.name, tracking.c.position).where(rows_of(name))
              .order_by(tracking.c.name))
    rows = {str(n): int(p) for n, p in session.execute(locked.with_for_update()).tuples()}
    if rows:
        return rows
    configured = partitions.units(name, get_settings().projection_partitions)
    return dict(zip(configured, lock_all(session, configured), strict=True))


def model_position(session: Session, name: str) -> int:
    """How far read model `name` has applied the log: its lowest partition's position (0
    before its first batch)."""
    found = session.scalar(select(func.min(tracking.c.position)).where(rows_of(name)))
    return int(found or 0)


def is_busy(exc: OperationalError) -> bool:
    """Whether `exc` is PostgreSQL refusing a lock taken without waiting (NOWAIT)."""
    return getattr(exc.orig, "sqlstate", None) == LOCK_NOT_AVAILABLE


def set_tracking(session: Session, *names: str, **values: Any) -> None:
    """Set these tracking rows' values (their rows locked by this session)."""
    values["updated_at"] = datetime.now(UTC)
    session.execute(update(tracking).where(tracking.c.name.in_(names)).values(values))


def record_error(name: str, exc: Exception) -> None:
    """Keep a projection's last error on its row (never raises: the error matters more)."""
    try:
        with session_scope() as session:
            lock(session, name)
            session.execute(update(tracking).where(tracking.c.name == name)
                            .values(last_error=f"{type(exc).__name__}: {exc}"[:4000]))
    except Exception:
        log.exception("could not record the error of projection %s", name)


def positions(session: Session) -> dict[str, int]:
    """Each projection's position (0 for one that never ran), and each partition's."""
    found = dict(session.execute(select(tracking.c.name, tracking.c.position)).tuples().all())
    rows = partitions.folded({name: int(position) for name, position in found.items()})
    return {name: rows.get(name, 0) for name in (*PROJECTIONS, *rows)}


def current_positions() -> dict[str, int]:
    """Each projection's position, and each partition's, read without taking any lock."""
    # A plain DBAPI read: the engine's sessions BEGIN IMMEDIATE on SQLite, and a poll this
    # frequent must not take the write lock away from commands and projections.
    raw = get_engine().raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("SELECT name, position FROM projection_tracking")
        found = {str(name): int(pos) for name, pos in cursor.fetchall()}
        cursor.close()
        raw.rollback()
    finally:
        raw.close()
    return partitions.folded(found)


def wait_for(
    position: int, names: Iterable[str] = PROJECTIONS, timeout: float | None = None
) -> bool:
    """Poll until every named projection reached `position`; False on timeout."""
    names = tuple(names)
    wait = get_settings().read_wait_max_seconds if timeout is None else timeout
    deadline = time.monotonic() + wait
    while True:
        reached = current_positions()
        if all(reached.get(name, 0) >= position for name in names):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL_SECONDS)
