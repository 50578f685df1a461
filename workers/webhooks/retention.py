"""The delivery log kept for WEBHOOK_DELIVERY_RETENTION_DAYS: delivered and failed deliveries
(and the replays' records) older than that are deleted; pending ones never are, however old,
since they are still owed to their receiver. A replay reaches back as far as the log is kept.

The webhooks' tick (`workers.webhooks.jobs`) calls `prune_when_due`, which prunes at most once
per PRUNE_EVERY_SECONDS in a process, in short transactions of PRUNE_BATCH rows (a large backlog
never holds a long lock).
"""

import logging
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Column, Select, delete, select

from core.db import session_scope
from core.settings import Settings
from workers.webhooks.tables import PENDING, deliveries, replays

log = logging.getLogger(__name__)
PRUNE_EVERY_SECONDS = 3600.0
PRUNE_BATCH = 5000
_due = {"at": 0.0}
_due_guard = threading.Lock()


def prune_when_due(settings: Settings) -> int:
    """Prune if this process has not for PRUNE_EVERY_SECONDS: rows deleted. Never raises: a
    pruning that fails (a role without DELETE, a busy table) must not stop the fan-out."""
    with _due_guard:
        if time.monotonic() < _due["at"]:
            return 0
        _due["at"] = time.monotonic() + PRUNE_EVERY_SECONDS
    try:
        return prune(settings, datetime.now(UTC))
    except Exception:
        log.warning("webhook delivery log not pruned this time; the next hour tries again",
                    exc_info=True)
        return 0


def prune(settings: Settings, now: datetime) -> int:
    """Delete the deliveries that are not pending and the replays' records made more than
    WEBHOOK_DELIVERY_RETENTION_DAYS before `now`: how many deliveries."""
    before = now - timedelta(days=settings.webhook_delivery_retention_days)
    pruned = _in_batches(select(deliveries.c.id).where(deliveries.c.status != PENDING,
                                                       deliveries.c.created_at < before),
                         deliveries.c.id)
    _in_batches(select(replays.c.id).where(replays.c.replayed_at < before), replays.c.id)
    return pruned


def _in_batches(old: Select[Any], key: Column[Any]) -> int:
    """DELETE the rows whose `key` is among those `old` selects, PRUNE_BATCH at a time."""
    deleted = 0
    while True:
        with session_scope() as session:
            ids = list(session.scalars(old.limit(PRUNE_BATCH)))
            if ids:
                session.execute(delete(key.table).where(key.in_(ids)))
        deleted += len(ids)
        if len(ids) < PRUNE_BATCH:
            return deleted
