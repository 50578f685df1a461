"""The API process's one Ledger, composed with the workers it hands work to."""

import threading

from commands.ledger import Ledger
from core.db import singleton
from core.settings import get_settings
from workers.snapshots import request_snapshot
from workers.tasks import wake
from workers.wake_slots import wake_slot

_lock = threading.Lock()


@singleton
def _ledger() -> Ledger:
    settings = get_settings()
    # With workers, they take the snapshots; embedded, this process's snapshot thread does.
    elsewhere = None if settings.is_eager else request_snapshot
    return Ledger(settings, on_commit=wake, wake_slot=wake_slot(settings),
                  snapshot_elsewhere=elsewhere)


def get_ledger() -> Ledger:
    """The process-wide write side, waking the projections' workers after each commit (built
    once, even when threads ask together)."""
    with _lock:
        ledger: Ledger = _ledger()
        return ledger


def close_ledger() -> None:
    """At shutdown: the Ledger's threads stop and its store closes; the next ask builds anew."""
    with _lock:
        if _ledger.cache_info().currsize:
            _ledger().close()
        _ledger.cache_clear()
