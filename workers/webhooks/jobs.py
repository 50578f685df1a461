"""The webhooks' tick: fan the log out to the endpoints, then send what is due.

Beat runs `deliver_webhooks` every WEBHOOK_INTERVAL_SECONDS with workers; the embedded
default's process runs `deliver_when_due` on its own scheduler (`query_api.service.app`).
Ticks overlapping (a slow receiver, two workers) are safe: the fan-out's row lock and the
endpoints' locks let each piece of work be done by one of them.
"""

import logging

from core.event_store.global_log import EventLog, get_eventlog
from workers.celery_app import app
from workers.webhooks import fanout, sender

log = logging.getLogger(__name__)


def tick(eventlog: EventLog) -> int:
    """One pass: the new events fanned out, then the due deliveries sent (how many)."""
    fanout.advance(eventlog)
    return sender.send_due(eventlog.settings)


# Celery ships no type hints, so mypy sees its task decorator as untyped.
@app.task(acks_late=True, ignore_result=True)  # type: ignore[misc]
def deliver_webhooks() -> int:
    """Beat's: fan out and send; what fails is left to the next tick."""
    return tick(get_eventlog())


def deliver_when_due(eventlog: EventLog) -> None:
    """The embedded default's tick (it runs no beat), on the API's log. Never raises."""
    try:
        tick(eventlog)
    except Exception:
        log.warning("webhooks not sent this time; the next tick tries again", exc_info=True)


