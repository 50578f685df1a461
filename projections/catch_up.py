"""Catch projections up with the global log, in batches, exactly once (`projections.batch_loop`).

Projections are the read models (`projections.registry`) and the Merkle tree
(`projections.proofs.tree`), a follower of the whole log. Several advanced together share each
batch's transaction, log read and decoding.
"""

from collections.abc import Iterable

from core.event_store.global_log import EventLog
from projections import registry
from projections.batch_loop import Follower, run_batches
from projections.model import ReadModel
from projections.proofs import tree
from projections.registry import PROJECTIONS
from projections.tracking import record_error

__all__ = ["ALL", "PROJECTIONS", "advance", "advance_all", "advance_together"]

FOLLOWERS: dict[str, Follower] = {tree.NAME: tree.TREE}
ALL = (*PROJECTIONS, *FOLLOWERS)  # what a commit's wake-up brings up to date


def advance(
    name: str, log: EventLog, batch_size: int | None = None, max_batches: int | None = None
) -> int:
    """Apply every new event to projection `name`; returns how many were applied."""
    models, followers = _parts([name])
    try:
        return run_batches(models, followers, log, batch_size, max_batches)[name]
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
    return run_batches(*_parts(sorted(set(names))), log, batch_size)


def advance_all(log: EventLog) -> dict[str, int]:
    """Advance every read model in turn; returns how many events each applied."""
    return {name: advance(name, log) for name in PROJECTIONS}


def _parts(names: Iterable[str]) -> tuple[list[ReadModel], list[Follower]]:
    models: list[ReadModel] = []
    followers: list[Follower] = []
    for name in names:
        if name in FOLLOWERS:
            followers.append(FOLLOWERS[name])
        else:
            models.append(registry.get(name))
    return models, followers
