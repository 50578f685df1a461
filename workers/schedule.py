"""The timed jobs, listed once: Celery beat sends each as its task when the system runs with
workers (`beat_schedule`), and the embedded default's API process runs each itself, on one of
its schedulers (`embedded_lanes`), in place of beat.

A job's embedded work is named as `module:function` and imported when the embedded schedulers
start: the worker modules import this one's Celery app, so importing them here would go round
in a circle. Each is called with what it works on (`needs`: the ledger, its log, or nothing)
and never raises (it logs its failures, and the next tick tries again).
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from core.settings import Settings

if TYPE_CHECKING:
    from commands.ledger import Ledger

# The embedded schedulers. Each runs its jobs one at a time, so a job waiting on an outside
# server holds up only its lane: the webhooks' receivers and the payment provider on one, the
# mail server on another, and neither the heads, the holds' expiry, the waitlists' offers nor
# the events' completion.
CORE, OUTBOUND, MAIL = "core", "outbound", "mail"
LANES = (CORE, OUTBOUND, MAIL)


@dataclass(frozen=True)
class TimedJob:
    name: str  # its entry in beat's schedule
    task: str  # the Celery task beat sends
    every: str  # the setting that says how often, in seconds
    embedded: str | None  # `module:function` the embedded process runs; None: nothing to do there
    needs: Literal["ledger", "log", "nothing"] = "ledger"
    lane: str = CORE


JOBS = (
    # The embedded default folds the log into the read models right after each command.
    TimedJob("advance-all-projections", "workers.tasks.advance_all_projections",
             "beat_interval_seconds", None),
    TimedJob("sign-checkpoint", "workers.proofs.sign_checkpoint",  # when the tree grew
             "checkpoint_interval_seconds", "workers.proofs:sign_when_due", needs="nothing"),
    TimedJob("expire-due-holds", "workers.holds.expire_due_holds", "hold_interval_seconds",
             "workers.holds:expire_when_due"),
    # Seats back on sale, offered to the waitlists.
    TimedJob("offer-to-waitlists", "workers.holds.offer_to_waitlists",
             "hold_interval_seconds", "workers.holds:offer_when_due"),
    # Paid bookings' invoices issued, changed ones invoiced anew.
    TimedJob("settle-invoices", "workers.invoices.process.settle_due_invoices",
             "hold_interval_seconds", "workers.invoices.process:settle_when_due"),
    TimedJob("complete-due-events", "workers.lifecycle.complete_due_events",
             "completion_interval_seconds", "workers.lifecycle:complete_when_due"),
    TimedJob("publish-due-events", "workers.lifecycle.publish_due_events",  # drafts due
             "completion_interval_seconds", "workers.lifecycle:publish_when_due"),
    TimedJob("deliver-webhooks", "workers.webhooks.jobs.deliver_webhooks",
             "webhook_interval_seconds", "workers.webhooks.jobs:deliver_when_due", needs="log",
             lane=OUTBOUND),
    TimedJob("resume-refunds", "workers.refunds.resume_due_refunds",  # undone, or failed
             "webhook_interval_seconds", "workers.refunds:resume_refunds_when_due",
             lane=OUTBOUND),
    TimedJob("settle-stale-payments", "workers.stale_payments.settle_stale",
             "stale_payment_interval_seconds", "workers.stale_payments:settle_stale_when_due",
             lane=OUTBOUND),
    # Buyers forgotten once their events are past their organizers' retention; then erased
    # buyers' invoice details, once their invoices are past the law's.
    TimedJob("forget-past-buyers", "workers.retention.forget_due_buyers",
             "retention_interval_seconds", "workers.retention:forget_when_due"),
    TimedJob("send-mail", "workers.mail.jobs.send_mail", "mail_interval_seconds",
             "workers.mail.jobs:send_when_due", needs="log", lane=MAIL),
)


def beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    """Beat's entries: each job's task every its interval, dropped when not taken by then
    (the next tick sends it again)."""
    entries = {}
    for job in JOBS:
        every = float(getattr(settings, job.every))
        entries[job.name] = {"task": job.task, "schedule": every,
                             "options": {"expires": max(every, 1.0)}}
    return entries


Work = Callable[[], None]


def embedded_lanes(settings: Settings, ledger: "Ledger") -> dict[str, list[tuple[float, Work]]]:
    """Each embedded scheduler's jobs: (every, the work), for the process's `ledger`."""
    lanes: dict[str, list[tuple[float, Work]]] = {lane: [] for lane in LANES}
    for job in JOBS:
        if job.embedded is None:
            continue
        module, name = job.embedded.split(":")
        work = getattr(importlib.import_module(module), name)
        given = {"ledger": (ledger,), "log": (ledger.eventlog,), "nothing": ()}[job.needs]
        lanes[job.lane].append((float(getattr(settings, job.every)), partial(work, *given)))
    return lanes
