"""The signer: signed tree heads on beat's schedule and on an admin's request.

Only processes that run these tasks hold the private key (the workers; the embedded process
runs them itself). The tree itself advances with the read models (`workers.tasks`).
"""

import logging

from core.settings import get_settings
from projections.proofs import checkpoints
from workers.celery_app import app

log = logging.getLogger(__name__)


# Celery ships no type hints, so mypy sees its task decorator as untyped.
@app.task(acks_late=True, ignore_result=True)  # type: ignore[untyped-decorator]
def sign_checkpoint(force: bool = False) -> bool:
    """A signed head when the tree grew since the last one (or now, when `force`d)."""
    return checkpoints.sign(get_settings(), force=force) is not None


def request_head() -> None:
    """Ask the signer for a head now (an admin's request): run here when embedded."""
    sign_checkpoint.apply_async(kwargs={"force": True}, expires=60)


def sign_when_due() -> None:
    """The embedded default's scheduled head (it runs no beat). Never raises."""
    try:
        checkpoints.sign(get_settings())
    except Exception:
        log.warning("no signed head this time; the next tick tries again", exc_info=True)
