"""The Celery app, configured from settings: Redis broker, or eager (in-process) without one."""

import importlib
import logging
import sys
from typing import Any

from celery import Celery
from celery.signals import beat_init, worker_init

from core.runtime import limit_arenas, tune
from core.settings import ROOT, Settings, get_settings
from projections.proofs import signing_keys
from workers import resilience
from workers.mail.sender import tick_seconds as mail_tick_seconds
from workers.schedule import beat_schedule
from workers.webhooks.sender import tick_seconds

log = logging.getLogger(__name__)
BEAT_STATE = ROOT / "data" / "celerybeat-schedule"  # data/ is git-ignored
# The main thread's heap and one shared by the pool's threads (`core.runtime.limit_arenas`).
WORKER_MALLOC_ARENAS = 2
# Webhook deliveries wait on other people's servers: they have a queue of their own, consumed
# by workers of their own (prefork: Celery enforces time limits there, not in a thread pool),
# so that no receiver holds up the holds' expiry, the waitlists' offers, projections or signing.
WEBHOOKS_TASK = "workers.webhooks.jobs.deliver_webhooks"
# Refunds wait on the payment provider's servers as deliveries wait on receivers: same queue.
REFUNDS_TASK = "workers.refunds.resume_due_refunds"
# And payments left half made, asked of the provider: same queue.
STALE_PAYMENTS_TASK = "workers.stale_payments.settle_stale"
# So does a reconciliation run, reading the provider's lists page after page: same queue, and a
# time limit of its own (a run past it is recorded failed, never left running).
RECONCILE_TASK = "workers.reconciliation.run_reconciliation"
RECONCILE_SOFT_LIMIT_SECONDS = 900.0
# Messages to buyers wait on an SMTP server as deliveries wait on receivers: same queue, and
# time limits of their own (a message cut off by the hard one is taken over by a later tick).
MAIL_TASK = "workers.mail.jobs.send_mail"
# The queue of the work that waits on outside servers: webhook deliveries, the buyers' mail,
# refunds, stale payments and reconciliation with the payment provider.
OUTBOUND_QUEUE_SUFFIX = ".outbound"
# A webhook tick's time besides sending (the fan-out's batches, the log's pruning), before its
# soft time limit; and the soft limit's grace before the hard one kills the pool's process.
FANOUT_SECONDS = 60.0
SOFT_LIMIT_GRACE_SECONDS = 30.0


def outbound_queue(namespace: str) -> str:
    """The queue of the work that waits on outside servers, beside a namespace's default."""
    return namespace + OUTBOUND_QUEUE_SUFFIX


def webhook_time_limits(settings: Settings) -> tuple[float, float]:
    """(soft, hard) time limits of a webhook tick: its sending is bounded by the deadline
    (`sender.tick_seconds`), the rest by FANOUT_SECONDS."""
    soft = tick_seconds(settings) + FANOUT_SECONDS
    return soft, soft + SOFT_LIMIT_GRACE_SECONDS


def mail_time_limits(settings: Settings) -> tuple[float, float]:
    """(soft, hard) time limits of a mail tick: its sending (`workers.mail.sender`), and
    FANOUT_SECONDS for reading the log."""
    soft = mail_tick_seconds(settings) + FANOUT_SECONDS
    return soft, soft + SOFT_LIMIT_GRACE_SECONDS


def create_app(settings: Settings) -> Celery:
    """A Celery app for these settings; `task_always_eager` when no broker is configured."""
    app = Celery("ledger", include=["workers.tasks", "workers.snapshots", "workers.proofs",
                                    "workers.audit", "workers.lifecycle", "workers.holds",
                                    "workers.webhooks.jobs", "workers.refunds",
                                    "workers.stale_payments", "workers.reconciliation",
                                    "workers.mail.jobs", "workers.invoices.process",
                                    "workers.retention"])
    soft, hard = webhook_time_limits(settings)
    mail_soft, mail_hard = mail_time_limits(settings)

    def route(name: str, *_: Any, **__: Any) -> dict[str, str] | None:
        """The webhooks' task to their own queue, beside the default queue as it is now."""
        if name in (WEBHOOKS_TASK, REFUNDS_TASK, STALE_PAYMENTS_TASK, RECONCILE_TASK,
                    MAIL_TASK):
            return {"queue": outbound_queue(app.conf.task_default_queue)}
        return None

    app.conf.update(
        broker_url=settings.celery_broker_url or "memory://",
        task_always_eager=settings.is_eager,
        # Each test stack or deployment on a shared Redis consumes its own queue.
        task_default_queue=settings.celery_namespace,
        task_routes=(route,),
        task_annotations={
            **{task: {"soft_time_limit": soft, "time_limit": hard}
               for task in (WEBHOOKS_TASK, REFUNDS_TASK, STALE_PAYMENTS_TASK)},
            RECONCILE_TASK: {"soft_time_limit": RECONCILE_SOFT_LIMIT_SECONDS,
                             "time_limit": RECONCILE_SOFT_LIMIT_SECONDS
                             + SOFT_LIMIT_GRACE_SECONDS},
            MAIL_TASK: {"soft_time_limit": mail_soft, "time_limit": mail_hard}},
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        result_backend=None,
        task_ignore_result=True,
        # A command must not hang on a dead broker: the wake-up is best effort.
        task_publish_retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2},
        broker_connection_timeout=2,
        broker_transport_options={"socket_connect_timeout": 2, "socket_timeout": 5},
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        beat_schedule_filename=str(BEAT_STATE),
        beat_schedule=beat_schedule(settings),  # every timed job, listed once
    )
    return app


@worker_init.connect  # type: ignore[untyped-decorator]  # celery ships no type hints
def _survive_broker_loss(**_: Any) -> None:
    resilience.tolerate_lost_broker()


@worker_init.connect  # type: ignore[untyped-decorator]  # celery ships no type hints
def _tune_runtime(**_: Any) -> None:
    tune()  # the worker's modules and app are loaded by now
    limit_arenas(WORKER_MALLOC_ARENAS)  # before the pool's threads start


def consumes_webhooks_only(worker: Any) -> bool:
    """Whether a worker was started for the outbound queues alone (`-Q <namespace>.outbound`)."""
    names = set(worker.app.amqp.queues.consume_from or ())
    return bool(names) and all(name.endswith(OUTBOUND_QUEUE_SUFFIX) for name in names)


@worker_init.connect  # type: ignore[untyped-decorator]  # celery ships no type hints
def _require_signing_key(sender: Any = None, **_: Any) -> None:
    """A worker is the signer: with no key it stops at once with the reason, rather than run
    a deployment whose heads are never signed. The webhooks' workers sign no head: they are
    not given the key."""
    if sender is not None and consumes_webhooks_only(sender):
        return
    try:
        signing_keys.signing_key(get_settings())
    except (signing_keys.KeyMissing, ValueError, OSError) as exc:
        log.critical("refusing to start: %s", exc)
        sys.exit(f"refusing to start the worker: {exc}")


@worker_init.connect  # type: ignore[untyped-decorator]  # celery ships no type hints
def _load_the_pdf_makers(sender: Any = None, **_: Any) -> None:
    """The webhooks' worker composes the buyers' confirmations and invoices: their PDF makers
    (fpdf2, fontTools, zxing-cpp, factur-x) are loaded once, before its pool forks, rather than
    by each pool process at its first confirmation, in the middle of an on-sale."""
    if sender is not None and consumes_webhooks_only(sender):
        importlib.import_module("workers.mail.pdf_tickets")
        importlib.import_module("workers.invoices.document")


@beat_init.connect  # type: ignore[untyped-decorator]  # celery ships no type hints
def _make_beat_state_dir(**_: Any) -> None:
    BEAT_STATE.parent.mkdir(parents=True, exist_ok=True)


app = create_app(get_settings())
