"""The worker's Ledger, built for the snapshots asked of it and the completion of events that
are over (projections read the log through `core.event_store.global_log`); it sends no
wake-ups: `workers.lifecycle` wakes the projections after its completions."""

import threading

from commands.ledger import Ledger
from core.db import singleton
from core.settings import get_settings

_lock = threading.Lock()


@singleton
def _ledger() -> Ledger:
    return Ledger(get_settings())


def get_ledger() -> Ledger:
    """One Ledger per process, built once even when pool threads ask at the same time."""
    with _lock:
        ledger: Ledger = _ledger()
        return ledger
