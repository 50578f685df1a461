"""The worker's Ledger: for the snapshots asked of it, the completion of events that are over,
the holds that expire and the seats offered to waitlists. Its commits wake the projections as
an API process's do (`workers.tasks.wake`), so a task that writes needs no wake-up of its own."""

import threading

from commands.ledger import Ledger
from core.db import singleton
from core.settings import get_settings
from workers import tasks
from workers.wake_slots import wake_slot

_lock = threading.Lock()


@singleton
def _ledger() -> Ledger:
    settings = get_settings()
    return Ledger(settings, on_commit=tasks.wake, wake_slot=wake_slot(settings))


def get_ledger() -> Ledger:
    """One Ledger per process, built once even when pool threads ask at the same time."""
    with _lock:
        ledger: Ledger = _ledger()
        return ledger
