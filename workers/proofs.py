"""The Merkle tree's signed heads (`projections.checkpoints`); the tree itself advances with
the read models (`workers.tasks`)."""

import logging

from core.settings import get_settings
from projections import checkpoints
from workers.celery_app import app

log = logging.getLogger(__name__)


# Celery ships no type hints, so mypy sees its task decorator as untyped.
@app.task(acks_late=True, ignore_result=True)  # type: ignore[misc]
def sign_checkpoint() -> bool:
    """Beat's signed head: one when the tree grew and the last is older than the interval."""
    return checkpoints.sign_if_due(get_settings()) is not None


def sign_when_due() -> None:
    """The embedded default's heads (it runs no beat): one when due. Never raises."""
    try:
        checkpoints.sign_if_due(get_settings())
    except Exception:
        log.warning("no signed head this time; the next command tries again", exc_info=True)
