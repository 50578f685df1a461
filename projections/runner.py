"""Catch read models up with the global log, in batches, exactly once.

Each batch is one transaction: lock the projections' tracking rows (`projections.tracking`),
read the log after their positions, fold and write the rows, move the positions to the
batch's highest one. A second runner of the same projection waits on the row lock, then
starts from the new position, so a duplicate or concurrent run changes nothing. Each batch
reads only up to the log's safe head, taken before the batch locks anything: below it a gap
in positions is permanent (a failed insert burns one), so nobody waits for it.
"""

from collections.abc import Iterable

from core.db import session_scope
from core.eventlog import EventLog
from core.metrics import PROJECTION_EVENTS, PROJECTION_LAG
from projections import registry
from projections.apply import apply
from projections.model import ReadModel
from projections.registry import PROJECTIONS
from projections.tracking import lock_all, record_error, set_tracking

__all__ = ["PROJECTIONS", "advance", "advance_all", "advance_together"]


def advance(
    name: str, log: EventLog, batch_size: int | None = None, max_batches: int | None = None
) -> int:
    """Apply every new event to projection `name`; returns how many were applied."""
    model = registry.get(name)
    try:
        return _catch_up([model], log, batch_size, max_batches)[name]
    except Exception as exc:
        record_error(name, exc)
        raise


def advance_together(
    names: Iterable[str], log: EventLog, batch_size: int | None = None
) -> dict[str, int]:
    """Advance several projections in one transaction per batch; how many each applied.

    The log is read once per batch for all of them and each event decoded once. Any failure
    rolls the whole batch back; the caller then advances them one by one, so a failing
    projection cannot hold the others back.
    """
    return _catch_up([registry.get(name) for name in sorted(set(names))], log, batch_size)


def advance_all(log: EventLog) -> dict[str, int]:
    """Advance every projection in turn; returns how many events each applied."""
    return {name: advance(name, log) for name in PROJECTIONS}


def _catch_up(
    models: list[ReadModel], log: EventLog, batch_size: int | None,
    max_batches: int | None = None,
) -> dict[str, int]:
    size = batch_size or log.settings.projection_batch_size
    applied = dict.fromkeys((m.name for m in models), 0)
    batches = reached = 0
    # Before any batch locks a row (see `core.eventlog`). SQLite's one writer commits in
    # order, so the embedded default, which catches up after every command, reads unbounded.
    upto = log.head() if log.settings.is_postgres else None
    while models and (max_batches is None or batches < max_batches):
        n, reached = _apply_batch(models, log, (size, upto), applied)
        batches += 1
        if n < size:  # the log's end, as of this batch: the next wake-up brings the rest
            break
    for name, n in applied.items():
        if n:
            PROJECTION_LAG.labels(name).set(max(0, log.last() - reached))
    return applied


def _apply_batch(
    models: list[ReadModel], log: EventLog, bounds: tuple[int, int | None],
    applied: dict[str, int],
) -> tuple[int, int]:
    """One transaction for these models: how many events it read, and up to where.

    `bounds` is (batch size, safe head or None): at most that many, none past the head. The
    log is read once from the lowest of their positions, and each model gets only what is
    past its own; `applied` counts what each got.
    """
    with session_scope() as session:
        positions = lock_all(session, [m.name for m in models])
        notifications = log.read(min(positions), *bounds)
        # Core execution on the session's connection: no ORM work per row.
        apply(session.connection(), [(m, m.live) for m in models], notifications, log.decode,
              after=positions)
        got = {m.name: sum(1 for n in notifications if n.id > position)
               for m, position in zip(models, positions, strict=True)}
        if any(got.values()):
            set_tracking(session, *(name for name, n in got.items() if n),
                         position=notifications[-1].id, last_error=None)
    for name, n in got.items():
        applied[name] += n
        PROJECTION_EVENTS.labels(name).inc(n)
    return len(notifications), notifications[-1].id if notifications else min(positions)
