"""Thin Celery tasks: projection names and positions in, the runner does the work."""

import logging

from celery import Task

from core import changes
from core.settings import get_settings
from projections import rebuild, runner
from workers.celery_app import app
from workers.ledger import get_ledger

log = logging.getLogger(__name__)
WAKE_EXPIRES_SECONDS = 60  # beat catches up anyway; a stale wake-up is only noise


# Celery ships no type hints, so mypy sees its task decorator as untyped.
@app.task(bind=True, max_retries=5, acks_late=True, ignore_result=True)  # type: ignore[misc]
def advance_projection(self: Task, name: str, position: int | None = None) -> int:
    """Advance one projection; skipped when it already reached `position`."""
    if name not in runner.PROJECTIONS:
        raise ValueError(f"unknown projection {name!r}")
    if position is not None and _reached(name, position):
        return 0
    try:
        applied = runner.advance(name, get_ledger())
    except Exception as exc:
        countdown = min(30.0, 0.5 * 2**self.request.retries)
        raise self.retry(exc=exc, countdown=countdown) from exc
    if applied and name == "availability":  # committed: tell live readers (SSE) to look again
        changes.publish(runner.current_positions().get(name, 0))
    return applied


@app.task(acks_late=True, ignore_result=True)  # type: ignore[misc]  # untyped, as above
def advance_all_projections() -> None:
    """Fan out one task per projection, so different projections advance in parallel."""
    for name in runner.PROJECTIONS:
        advance_projection.apply_async((name,), expires=WAKE_EXPIRES_SECONDS)


# Acked at start, never redelivered: a long rebuild outlives the broker's visibility timeout,
# and a second delivery would write the same shadow tables. A dead run shows as failed.
@app.task(acks_late=False, ignore_result=True)  # type: ignore[misc]  # untyped, as above
def rebuild_projection(name: str, run_id: str | None = None) -> int:
    """Rebuild one projection into fresh tables and swap them in (claimed by `run_id`)."""
    if name not in runner.PROJECTIONS:
        raise ValueError(f"unknown projection {name!r}")
    if run_id is None:
        return rebuild.rebuild(name, get_ledger())
    return rebuild.run(get_ledger(), [name], run_id)[name]


def wake(position: int) -> None:
    """The Ledger's on_commit: ask every projection to catch up; never raises."""
    for name in runner.PROJECTIONS:
        try:
            _send(name, position)
        except Exception:  # a lost wake-up only delays the projection until beat
            log.warning("could not send the wake-up for %s at %s", name, position, exc_info=True)
            return


def _send(name: str, position: int) -> None:
    if get_settings().is_eager:  # embedded mode: run here and now, whatever the app was built with
        advance_projection.apply((name, position))
    else:
        advance_projection.apply_async((name, position), expires=WAKE_EXPIRES_SECONDS)


def _reached(name: str, position: int) -> bool:
    # Cheap check first: after a burst of commands most wake-ups find the work already done.
    return runner.current_positions().get(name, 0) >= position
