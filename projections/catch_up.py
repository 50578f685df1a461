"""Catch projections up with the global log, in batches, exactly once (`projections.batch_loop`).

Projections are the read models (`projections.registry`) and the Merkle tree
(`projections.proofs.tree`), a follower of the whole log. Several advanced together share each
batch's transaction, log read and decoding. Read models in partitions
(`projections.partitions`) advance partition by partition, each partition's batches apart.
"""

import random
from collections.abc import Callable, Iterable
from functools import partial

from sqlalchemy.exc import OperationalError

from core.event_store.global_log import EventLog
from core.settings import get_settings
from projections import partitions, registry, tracking
from projections.batch_loop import Follower, run_batches
from projections.model import ReadModel
from projections.partitions import Part
from projections.proofs import tree
from projections.registry import PROJECTIONS
from projections.tracking import record_error

__all__ = ["ALL", "PROJECTIONS", "advance", "advance_all", "advance_together"]

FOLLOWERS: dict[str, Follower] = {tree.NAME: tree.TREE}
ALL = (*PROJECTIONS, *FOLLOWERS)  # what a commit's wake-up brings up to date


def advance(
    name: str, log: EventLog, batch_size: int | None = None, max_batches: int | None = None
) -> int:
    """Apply every new event to projection `name` (each of its partitions in turn); returns
    how many were applied."""
    models, followers = _parts([name])
    if followers:
        return _guarded(name, lambda: run_batches(models, followers, log, batch_size,
                                                  max_batches)[name])
    applied = 0
    for part in _partitions(name):
        applied += _guarded(partitions.unit(name, part), partial(
            _advance_part, models, log, (batch_size, max_batches), part))
    return applied


def _advance_part(models: list[ReadModel], log: EventLog, sizes: tuple[int | None, int | None],
                  part: Part) -> int:
    return sum(run_batches(models, [], log, *sizes, part).values())


def advance_together(
    names: Iterable[str], log: EventLog, batch_size: int | None = None,
    woken_at: int | None = None,
) -> dict[str, int]:
    """Advance several projections in one transaction per batch; how many each applied.

    The log is read once per batch for all of them and each event decoded once. Any failure
    rolls the whole batch back; the caller then advances them one by one, so a failing
    projection cannot hold the others back.

    Read models in partitions advance together partition by partition, the Merkle tree on its
    own. A partition another worker is advancing is passed over at first (a lock taken without
    waiting), then waited for once the others are done, so several workers share the
    partitions and none returns before what it was woken for is applied. `woken_at`: the
    position the caller was woken for; a partition whose rows already reached it is left
    alone, without a transaction.
    """
    models, followers = _parts(sorted(set(names)))
    count = partitions_of([m.name for m in models])
    if count == 1:
        return _by_projection(run_batches(models, followers, log, batch_size))
    applied: dict[str, int] = {}
    if followers:
        applied |= run_batches([], followers, log, batch_size)
    # Workers woken together start at different partitions (not a secret: S311 is moot).
    start = random.randrange(count)  # noqa: S311
    busy = []
    for k in _behind(models, [*range(start, count), *range(start)], count, woken_at):
        try:
            applied |= run_batches(models, [], log, batch_size, part=Part(k, count),
                                   nowait=True)
        except OperationalError as exc:
            if not tracking.is_busy(exc):
                raise
            busy.append(k)
    for k in _behind(models, busy, count, woken_at):  # their runner may have done it all
        applied |= run_batches(models, [], log, batch_size, part=Part(k, count))
    return _by_projection(applied)


def _behind(models: list[ReadModel], parts: list[int], count: int,
            woken_at: int | None) -> list[int]:
    """The partitions of `parts` whose rows have not all reached `woken_at` (all if None)."""
    if woken_at is None or not parts:
        return parts
    reached = tracking.current_positions()
    return [k for k in parts
            if any(reached.get(partitions.unit(m.name, Part(k, count)), 0) < woken_at
                   for m in models)]


def advance_all(log: EventLog) -> dict[str, int]:
    """Advance every read model in turn; returns how many events each applied."""
    return {name: advance(name, log) for name in PROJECTIONS}


def partitions_of(names: Iterable[str]) -> int:
    """The partition count these read models are recorded in (the configured one for a read
    model that never ran). Raises `LayoutMoved` if they differ: a repartition is running."""
    recorded = tracking.recorded_layouts()
    configured = get_settings().projection_partitions
    counts = {recorded.get(name, configured) for name in names} or {1}
    if len(counts) > 1:
        raise tracking.LayoutMoved(f"read models in different partition counts: {counts}")
    return counts.pop()


def _partitions(name: str) -> list[Part]:
    count = partitions_of([name])
    return [Part(k, count) for k in range(count)]


def _guarded(row: str, run: Callable[[], int]) -> int:
    """`run`, its error kept on tracking row `row` (but a layout changed meanwhile: not the
    row's fault)."""
    try:
        return run()
    except tracking.LayoutMoved:
        raise
    except Exception as exc:
        record_error(row, exc)
        raise


def _by_projection(applied: dict[str, int]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for row, n in applied.items():
        name = partitions.parse(row)[0]
        totals[name] = totals.get(name, 0) + n
    return totals


def _parts(names: Iterable[str]) -> tuple[list[ReadModel], list[Follower]]:
    models: list[ReadModel] = []
    followers: list[Follower] = []
    for name in names:
        if name in FOLLOWERS:
            followers.append(FOLLOWERS[name])
        else:
            models.append(registry.get(name))
    return models, followers
