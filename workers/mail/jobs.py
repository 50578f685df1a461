"""The messages' tick: record the log's new messages, then send what is queued.

Beat sends `send_mail` every MAIL_INTERVAL_SECONDS to the outbound queue the webhooks' worker
consumes (an SMTP server is waited on as a receiver is: never on the threads that expire holds,
offer seats or project); the embedded default's process runs `send_when_due` on a scheduler
of its own (`query_api.service.app`). Ticks overlapping are safe: the subscriber's
row lock and each message's claim let each piece of work be done once.
"""

import logging

from celery.exceptions import SoftTimeLimitExceeded

from core.event_store.global_log import EventLog, get_eventlog
from workers import subscribers
from workers.celery_app import app
from workers.mail import sender

log = logging.getLogger(__name__)


def tick(eventlog: EventLog) -> int:
    """One pass: the log's new messages recorded (with the webhooks' deliveries:
    `workers.subscribers`), then the due ones sent (how many)."""
    subscribers.record_outbound(eventlog)
    return sender.send_due(eventlog.settings)


# Celery ships no type hints, so mypy sees its task decorator as untyped. Its queue and time
# limits are the app's configuration (`workers.celery_app`: MAIL_TASK).
@app.task(acks_late=True, ignore_result=True)  # type: ignore[untyped-decorator]
def send_mail() -> int:
    """Beat's: record and send; what fails, or runs past the soft time limit (the message cut
    off is taken over by a later tick), is left to the next tick."""
    try:
        return tick(get_eventlog())
    except SoftTimeLimitExceeded:
        log.warning("mail tick stopped at its time limit; the next tick goes on")
        return 0


def send_when_due(eventlog: EventLog) -> None:
    """The embedded default's tick (it runs no beat), on the API's log. Never raises."""
    try:
        tick(eventlog)
    except Exception:
        log.warning("mail not sent this time; the next tick tries again", exc_info=True)
