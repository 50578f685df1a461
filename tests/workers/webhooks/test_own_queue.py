"""Webhook deliveries have a queue of their own with time limits, which the webhooks' worker
consumes alone in a prefork pool: no receiver can take a thread the other tasks need."""

from core.settings import get_settings
from workers.celery_app import WEBHOOKS_TASK, app, webhook_time_limits
from workers.webhooks import jobs, sender
from workers.webhooks.worker import worker_argv


def queue_of(task: str) -> str:
    return str(app.amqp.router.route({}, task)["queue"].name)


def test_deliveries_go_to_their_own_queue_and_everything_else_to_the_default_one() -> None:
    default = app.conf.task_default_queue
    assert queue_of(WEBHOOKS_TASK) == f"{default}.webhooks"
    for task in ("workers.tasks.advance_projections", "workers.holds.expire_due_holds",
                 "workers.holds.offer_to_lines", "workers.proofs.sign_checkpoint",
                 "workers.lifecycle.complete_due_events"):
        assert queue_of(task) == default, task


def test_a_tick_s_time_limits_follow_the_deadline() -> None:
    settings = get_settings().model_copy(update={"webhook_deadline_seconds": 10.0})
    soft, hard = webhook_time_limits(settings)
    assert sender.tick_seconds(settings) == 20.0
    assert sender.tick_seconds(settings) < soft < hard
    assert (jobs.deliver_webhooks.soft_time_limit, jobs.deliver_webhooks.time_limit) == (
        webhook_time_limits(get_settings()))


def test_the_webhooks_worker_consumes_their_queue_alone_in_a_prefork_pool() -> None:
    argv = worker_argv(["--concurrency", "2"])
    assert argv[:5] == ["worker", "-Q", f"{get_settings().celery_namespace}.webhooks",
                        "--pool", "prefork"]
    assert argv[5:] == ["--concurrency", "2"]
