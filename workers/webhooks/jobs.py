"""The webhooks' tick: fan the log out to the endpoints, then send what is due.

Beat sends `deliver_webhooks` every WEBHOOK_INTERVAL_SECONDS to the webhooks' own queue, which
workers of its own consume under time limits (`workers.celery_app`); the embedded default's
process runs `deliver_when_due` on a scheduler of its own, beside the other timed jobs
(`query_api.service.app`). Ticks overlapping (a slow receiver, two workers) are safe: the
fan-out's row lock and the endpoints' claims let each piece of work be done by one of them.
"""

import logging

from celery.exceptions import SoftTimeLimitExceeded

from core.event_store.global_log import EventLog, get_eventlog
from workers import subscribers
from workers.celery_app import app
from workers.webhooks import retention, sender

log = logging.getLogger(__name__)


def tick(eventlog: EventLog) -> int:
    """One pass: the delivery log pruned when due, the new events fanned out (with the buyers'
    messages: `workers.subscribers`), then the due deliveries sent (how many)."""
    retention.prune_when_due(eventlog.settings)
    subscribers.record_outbound(eventlog)
    return sender.send_due(eventlog.settings)


# Celery ships no type hints, so mypy sees its task decorator as untyped. Its queue and time
# limits are the app's configuration (`workers.celery_app`: WEBHOOKS_TASK).
@app.task(acks_late=True, ignore_result=True)  # type: ignore[untyped-decorator]
def deliver_webhooks() -> int:
    """Beat's: fan out and send; what fails, or runs past the soft time limit, is left to the
    next tick."""
    try:
        return tick(get_eventlog())
    except SoftTimeLimitExceeded:
        log.warning("webhook tick stopped at its time limit; the next tick goes on")
        return 0


def deliver_when_due(eventlog: EventLog) -> None:
    """The embedded default's tick (it runs no beat), on the API's log. Never raises."""
    try:
        tick(eventlog)
    except Exception:
        log.warning("webhooks not sent this time; the next tick tries again", exc_info=True)


