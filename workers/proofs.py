"""Thin Celery tasks of the Merkle tree and its signed heads (`projections.merkle`,
`projections.checkpoints`)."""

import logging

from core.eventlog import get_eventlog
from core.settings import get_settings
from projections import checkpoints, merkle
from workers.celery_app import app

log = logging.getLogger(__name__)


# Celery ships no type hints, so mypy sees its task decorator as untyped.
@app.task(acks_late=True, ignore_result=True)  # type: ignore[misc]
def advance_tree() -> int:
    """Beat's catch-up of the tree: every event not yet a leaf becomes one."""
    return merkle.advance(get_eventlog())


@app.task(acks_late=True, ignore_result=True)  # type: ignore[misc]  # untyped, as above
def sign_checkpoint() -> bool:
    """Beat's signed head: one when the tree grew and the last is older than the interval."""
    return checkpoints.sign_if_due(get_settings()) is not None


def after_wake() -> None:
    """After the read models caught up: grow the tree; on the embedded default (no beat) also
    sign a head when one is due. Never raises: beat catches up."""
    try:
        merkle.advance(get_eventlog())
        if get_settings().is_eager:
            checkpoints.sign_if_due(get_settings())
    except Exception:
        log.warning("the Merkle tree did not advance; beat will", exc_info=True)
