"""The delivery log is kept WEBHOOK_DELIVERY_RETENTION_DAYS: older delivered and failed rows
are pruned, pending ones never (they are still owed to their receiver)."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from bench.scenario import book, new_event
from commands.ledger import Ledger
from core.db import read_scope, session_scope
from core.settings import Settings
from workers.webhooks import fanout, retention
from workers.webhooks.tables import DELIVERED, FAILED, PENDING, deliveries


def test_pruning_removes_old_delivered_and_failed_rows_and_keeps_pending_ones(
    writer: Ledger, hook_settings: Settings, register: Callable[..., dict[str, Any]],
) -> None:
    endpoint = register(event_types=["booking.created"])
    event_id = new_event(writer)
    for _ in range(5):
        book(writer, event_id)
    fanout.advance(writer.eventlog)
    with read_scope() as session:
        ids = list(session.scalars(select(deliveries.c.id).where(
            deliveries.c.endpoint_id == endpoint["id"]).order_by(deliveries.c.position)))
    now = datetime.now(UTC)
    kept_days = hook_settings.webhook_delivery_retention_days
    old = now - timedelta(days=kept_days + 1)
    young = now - timedelta(days=kept_days - 1)
    ages = [(DELIVERED, old), (FAILED, old), (PENDING, old), (DELIVERED, young),
            (PENDING, young)]
    with session_scope() as session:
        for delivery_id, (status, created_at) in zip(ids, ages, strict=True):
            session.execute(update(deliveries).where(deliveries.c.id == delivery_id)
                            .values(status=status, created_at=created_at))

    pruned = retention.prune(hook_settings, now)

    with read_scope() as session:
        left = list(session.scalars(select(deliveries.c.id).where(
            deliveries.c.endpoint_id == endpoint["id"]).order_by(deliveries.c.position)))
    assert pruned == 2
    assert left == ids[2:]
