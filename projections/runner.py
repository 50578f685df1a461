"""Catch projections up with the store's notification log, in batches, exactly once.

Each batch is one transaction: lock the projection's tracking row (several projections'
rows, in name order, when they advance together), read the notifications after its position,
write the rows, move the position to the batch's highest id. A second runner of the same
projection waits on the row lock, then starts from the new position, so a duplicate or
concurrent run changes nothing. Each batch reads only up to the store's safe head, taken
before the batch locks anything: below it a gap in notification ids is permanent (a failed
insert burns an id), so nobody waits for it.
"""

import logging
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from commands.ledger import Ledger
from core.db import get_engine, session_scope
from core.metrics import PROJECTION_EVENTS, PROJECTION_LAG
from core.settings import get_settings
from projections import feed, registry
from projections.apply import apply
from projections.projectors import LIVE, table_of
from projections.registry import Projection
from projections.tables import ProjectionTracking

log = logging.getLogger(__name__)
PROJECTIONS = tuple(registry.REGISTRY)
POLL_SECONDS = 0.02
tracking = table_of(ProjectionTracking)


def advance(
    name: str, ledger: Ledger, batch_size: int | None = None, max_batches: int | None = None
) -> int:
    """Apply every new notification to projection `name`; returns how many were applied."""
    projection = registry.get(name)
    try:
        return _catch_up([projection], ledger, batch_size, max_batches)[name]
    except Exception as exc:
        _record_error(name, exc)
        raise


def advance_together(
    names: Iterable[str], ledger: Ledger, batch_size: int | None = None
) -> dict[str, int]:
    """Advance several projections in one transaction per batch; how many each applied.

    The log is read once per batch for all of them and each event decoded once, where
    `advance` per projection reads and decodes it once each: on a busy event a wake-up costs
    the workers one transaction instead of one per projection. Any failure rolls the whole
    batch back; the caller then advances them one by one, so a failing projection cannot hold
    the others back.
    """
    return _catch_up([registry.get(name) for name in sorted(set(names))], ledger, batch_size)


def _catch_up(
    projections: list[Projection], ledger: Ledger, batch_size: int | None,
    max_batches: int | None = None,
) -> dict[str, int]:
    size = batch_size or ledger.settings.projection_batch_size
    applied = dict.fromkeys((p.name for p in projections), 0)
    batches = reached = 0
    # Before any batch locks a row (see `feed`). SQLite's one writer commits ids in order, so
    # the embedded default, which catches up after every command, reads without a bound.
    upto = feed.head(ledger) if ledger.settings.is_postgres else None
    while projections and (max_batches is None or batches < max_batches):
        n, reached = _apply_batch(projections, ledger, (size, upto), applied)
        batches += 1
        if n < size:  # the log's end, as of this batch: the next wake-up brings the rest
            break
    for name, n in applied.items():
        if n:
            PROJECTION_LAG.labels(name).set(max(0, head(ledger) - reached))
    return applied


def advance_all(ledger: Ledger) -> dict[str, int]:
    """Advance every projection in turn; returns how many notifications each applied."""
    return {name: advance(name, ledger) for name in PROJECTIONS}


def _apply_batch(
    projections: list[Projection], ledger: Ledger, bounds: tuple[int, int | None],
    applied: dict[str, int],
) -> tuple[int, int]:
    """One transaction for these projections: how many notifications it read, and up to where.

    `bounds` is (batch size, safe head or None): at most that many, none past the head.

    Their tracking rows are locked in name order (so two runs never deadlock), the log is read
    once from the lowest of their positions, and each projection gets only what is past its
    own (`fold` decodes each event once for all of them); `applied` counts what each got.
    """
    with session_scope() as session:
        positions = lock_all(session, [p.name for p in projections])
        notifications = feed.read(ledger, min(positions), *bounds)
        # Core execution on the session's connection: no ORM work per row.
        apply(session.connection(), [(p, LIVE) for p in projections], notifications,
              ledger.mapper, after=positions)
        got = {p.name: sum(1 for n in notifications if n.id > position)
               for p, position in zip(projections, positions, strict=True)}
        if any(got.values()):
            set_tracking(session, *(name for name, n in got.items() if n),
                         position=notifications[-1].id, last_error=None)
    for name, n in got.items():
        applied[name] += n
        PROJECTION_EVENTS.labels(name).inc(n)
    return len(notifications), notifications[-1].id if notifications else min(positions)


def lock(session: Session, name: str) -> int:
    """Lock the tracking row (creating it at 0 if new) and return its position."""
    return lock_all(session, [name])[0]


def lock_all(session: Session, names: list[str]) -> list[int]:
    """Lock these tracking rows in one statement, in name order (two runs never deadlock),
    creating any missing at 0; their positions, in the order of `names`."""
    locked = (select(tracking.c.name, tracking.c.position).where(tracking.c.name.in_(names))
              .order_by(tracking.c.name).with_for_update())
    found = dict(session.execute(locked).tuples().all())
    missing = [name for name in names if name not in found]
    if missing:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        session.execute(dialect.insert(tracking).values([{"name": n, "position": 0}
                                                         for n in sorted(missing)])
                        .on_conflict_do_nothing())
        found = dict(session.execute(locked).tuples().all())
    return [int(found[name]) for name in names]


def set_tracking(session: Session, *names: str, **values: Any) -> None:
    """Set these tracking rows' values (their rows locked by this session)."""
    values["updated_at"] = datetime.now(UTC)
    session.execute(update(tracking).where(tracking.c.name.in_(names)).values(values))


def _record_error(name: str, exc: Exception) -> None:
    try:
        with session_scope() as session:
            lock(session, name)
            session.execute(update(tracking).where(tracking.c.name == name)
                            .values(last_error=f"{type(exc).__name__}: {exc}"[:4000]))
    except Exception:  # the original error matters more than failing to record it
        log.exception("could not record the error of projection %s", name)


def head(ledger: Ledger) -> int:
    """The highest committed notification id (0 when empty): what commands answered, which
    a position still in flight below it may yet precede. Readers stop at `feed.head`."""
    return int(ledger.recorder.max_notification_id() or 0)


def positions(session: Session) -> dict[str, int]:
    """Each projection's position (0 for one that never ran)."""
    found = dict(session.execute(select(tracking.c.name, tracking.c.position)).tuples().all())
    return {name: int(found.get(name, 0)) for name in (*PROJECTIONS, *found)}


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


def current_positions() -> dict[str, int]:
    """Each projection's position, read without taking any lock."""
    # A plain DBAPI read: the engine's sessions BEGIN IMMEDIATE on SQLite, and polling every
    # 20 ms must not take the write lock away from commands and projections.
    raw = get_engine().raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("SELECT name, position FROM projection_tracking")
        found = {str(name): int(pos) for name, pos in cursor.fetchall()}
        cursor.close()
        raw.rollback()
    finally:
        raw.close()
    return found


def snapshot_tables(session: Session, name: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the projection's tables in primary-key order, to compare two states."""
    return {
        table.name: [tuple(row) for row in
                     session.execute(select(table).order_by(*table.primary_key.columns))]
        for table in registry.get(name).tables
    }


def rebuild(name: str, ledger: Ledger) -> int:
    """Rebuild one projection into fresh tables and swap them in (`projections.rebuild`)."""
    from projections.rebuild import rebuild as rebuild_one  # noqa: PLC0415 - it imports us

    return rebuild_one(name, ledger)
