"""The API process's one Ledger, composed with the workers it hands work to."""

import threading

from commands.ledger import Ledger
from core.db import singleton
from core.settings import Settings, get_settings
from workers.tasks import request_snapshot, wake


def compose_ledger(settings: Settings) -> Ledger:
    """A Ledger that wakes the projections' workers after each commit.

    With workers, they take the snapshots; embedded, this process's snapshot thread does.
    """
    return Ledger(settings, on_commit=wake,
                  snapshot_elsewhere=None if settings.is_eager else request_snapshot)


_lock = threading.Lock()


@singleton
def _ledger() -> Ledger:
    return compose_ledger(get_settings())


def get_ledger() -> Ledger:
    """The process-wide write side (built once, even when threads ask together)."""
    with _lock:
        ledger: Ledger = _ledger()
        return ledger
