"""Thin Celery tasks: projection names and positions in, projections.catch_up does the work."""

import logging

from celery import Task

from core import changes
from core.event_store.global_log import get_eventlog
from core.settings import get_settings
from projections import catch_up, rebuild, tracking
from workers.celery_app import app

log = logging.getLogger(__name__)
WAKE_EXPIRES_SECONDS = 60  # beat catches up anyway; a stale wake-up is only noise


# Celery ships no type hints, so mypy sees its task decorator as untyped.
@app.task(bind=True, max_retries=5, acks_late=True, ignore_result=True)  # type: ignore[untyped-decorator]
def advance_projection(self: Task, name: str, position: int | None = None) -> int:
    """Advance one projection; skipped when it already reached `position`."""
    if name not in catch_up.ALL:
        raise ValueError(f"unknown projection {name!r}")
    try:
        return _advance(name, position)
    except Exception as exc:
        countdown = min(30.0, 0.5 * 2**self.request.retries)
        raise self.retry(exc=exc, countdown=countdown) from exc


@app.task(acks_late=True, ignore_result=True)  # type: ignore[untyped-decorator]  # untyped, as above
def advance_projections(position: int) -> int:
    """A commit's wake-up: every projection (the Merkle tree too) not yet at `position`
    catches up.

    One message per wake-up rather than one per projection: sending is most of what a
    wake-up costs the API. The projections behind advance together, in one transaction per
    batch (the log read and each event decoded once for all: `catch_up.advance_together`). If
    that fails they go one by one, starting at a different one for consecutive positions, and
    one that fails alone is retried on its own (`advance_projection`).
    """
    return _advance_behind(position)


def _advance_behind(position: int) -> int:
    reached = tracking.current_positions()
    behind = [name for name in catch_up.ALL if reached.get(name, 0) < position]
    if not behind:
        return 0
    try:
        applied = catch_up.advance_together(behind, get_eventlog(), woken_at=position)
    except Exception:
        log.warning("projections %s failed together at %s; advancing them one by one",
                    ", ".join(behind), position, exc_info=True)
    else:
        _published(applied)
        return sum(applied.values())
    start = position % len(behind)
    total = 0
    for name in behind[start:] + behind[:start]:
        try:
            total += _advance(name, position)
        except Exception:
            log.warning("projection %s failed at %s; retrying on its own", name, position,
                        exc_info=True)
            advance_projection.apply_async((name, position), countdown=0.5,
                                           expires=WAKE_EXPIRES_SECONDS)
    return total


def _advance(name: str, position: int | None) -> int:
    if position is not None and _reached(name, position):
        return 0
    applied = catch_up.advance(name, get_eventlog())
    _published({name: applied})
    return applied


def _published(applied: dict[str, int]) -> None:
    """Once availability rows are committed: tell live readers (SSE) to look again."""
    if applied.get("availability"):
        changes.publish(tracking.current_positions().get("availability", 0))


@app.task(acks_late=True, ignore_result=True)  # type: ignore[untyped-decorator]  # untyped, as above
def advance_all_projections() -> int:
    """Beat's catch-up, the safety net of lost or expired wake-ups: every projection behind the
    log's head catches up as a wake-up brings it (together, one by one if that fails).

    Not a task per projection: under load those ran beside the wake-ups' batches, each reading
    and decoding the same events again for its one projection."""
    return _advance_behind(get_eventlog().last())


# Acked at start, never redelivered: a long rebuild outlives the broker's visibility timeout,
# and a second delivery would write the same shadow tables. A dead run shows as failed.
@app.task(acks_late=False, ignore_result=True)  # type: ignore[untyped-decorator]  # untyped, as above
def rebuild_projection(name: str, run_id: str | None = None) -> int:
    """Rebuild one projection into fresh tables and swap them in (claimed by `run_id`)."""
    if name not in catch_up.PROJECTIONS:
        raise ValueError(f"unknown projection {name!r}")
    if run_id is None:
        return rebuild.rebuild(name, get_eventlog())
    return rebuild.run(get_eventlog(), [name], run_id)[name]


def wake(position: int) -> None:
    """The Ledger's on_commit: ask every projection to catch up; never raises."""
    try:
        _send(position)
    except Exception:  # a lost wake-up only delays the projections until beat
        log.warning("could not send the wake-up at %s", position, exc_info=True)


def _send(position: int) -> None:
    if get_settings().is_eager:  # embedded mode: run here and now, whatever the app was built with
        advance_projections.apply((position,))
    else:
        advance_projections.apply_async((position,), expires=WAKE_EXPIRES_SECONDS)


def _reached(name: str, position: int) -> bool:
    # Cheap check first: after a burst of commands most wake-ups find the work already done.
    return tracking.current_positions().get(name, 0) >= position
