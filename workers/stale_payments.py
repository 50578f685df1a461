"""Payments never left half made: one still being made long after it began is settled.

A payment is `started` from its attempt's record until the provider's answer, or its webhook,
settles it. When neither comes (the buyer closed the page at 3-D Secure, the request stopped,
the webhook was lost), this task asks the provider (`PaymentCommands.settle_stale`): a success is
booked, or refunded in full when its hold has ended; a failure is recorded; one still waiting on
its buyer once its hold has ended is abandoned, its intent cancelled at the provider so it can
take no money later. The payments looked at are those the read model shows started for longer
than `stale_payment_seconds` (a hold kept for its payment lasts one hold length from then):
what the read model misses one run, a later run finds.

Payments wait on the provider's servers: beat sends this task to the outbound queue (the
work that waits on outside servers, `workers.celery_app`), and the embedded process runs it
beside its webhook deliveries and refunds (`workers.schedule`).
"""

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from commands.domain.payment import OFFLINE, STARTED
from commands.ledger import Ledger
from core.db import session_scope
from projections.bookings import PaymentRow
from workers.celery_app import app
from workers.ledger import get_ledger

log = logging.getLogger(__name__)
BATCH = 100  # payments looked at in one run: the next run takes the rest


def settle_stale_payments(ledger: Ledger, *, now: datetime | None = None,
                          older_than: timedelta | None = None) -> dict[str, int]:
    """Settle the payments started before `older_than` ago and not settled since: how many
    ended in each status (none when no provider is set up)."""
    if ledger.payment_provider() is None:
        return {}
    age = older_than if older_than is not None else timedelta(
        seconds=ledger.settings.stale_payment_seconds)
    cutoff = (now or datetime.now(UTC)) - age
    with session_scope() as session:
        stale = session.scalars(
            select(PaymentRow.id)
            .where(PaymentRow.status == STARTED, PaymentRow.provider != OFFLINE,
                   PaymentRow.updated_at < cutoff)
            .order_by(PaymentRow.updated_at).limit(BATCH)).all()
    ended: dict[str, int] = {}
    for payment_id in stale:
        try:
            status = ledger.settle_stale_payment(payment_id)
        except Exception:  # the next run asks again
            log.warning("payment %s was not settled this time", payment_id, exc_info=True)
            continue
        if status is not None:
            ended[status] = ended.get(status, 0) + 1
    return ended


@app.task(acks_late=True, ignore_result=True)  # type: ignore[untyped-decorator]  # Celery is untyped
def settle_stale() -> dict[str, int]:
    """Beat's, on the webhooks' (outbound) queue."""
    return settle_stale_payments(get_ledger())


def settle_stale_when_due(ledger: Ledger) -> None:
    """The embedded default's tick. Never raises."""
    try:
        settle_stale_payments(ledger)
    except Exception:
        log.warning("no stale payment settled this time; the next tick tries again",
                    exc_info=True)
