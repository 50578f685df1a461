"""Webhook deliveries have a queue of their own with time limits, which the webhooks' worker
consumes alone in a prefork pool: no receiver can take a thread the other tasks need."""

import os
import subprocess
import sys
import textwrap

from core.settings import ROOT, get_settings
from workers.celery_app import WEBHOOKS_TASK, app, webhook_time_limits
from workers.webhooks import jobs, sender
from workers.webhooks.worker import worker_argv


def queue_of(task: str) -> str:
    return str(app.amqp.router.route({}, task)["queue"].name)


def test_deliveries_go_to_their_own_queue_and_everything_else_to_the_default_one() -> None:
    default = app.conf.task_default_queue
    assert queue_of(WEBHOOKS_TASK) == f"{default}.outbound"
    for task in ("workers.tasks.advance_projections", "workers.holds.expire_due_holds",
                 "workers.holds.offer_to_waitlists", "workers.proofs.sign_checkpoint",
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
    assert argv[:5] == ["worker", "-Q", f"{get_settings().celery_namespace}.outbound",
                        "--pool", "prefork"]
    assert argv[5:] == ["--concurrency", "2"]


def test_the_webhooks_worker_loads_the_pdf_makers_before_its_pool_forks() -> None:
    """It composes the buyers' confirmations and invoices: loaded at its start, not in the
    middle of an on-sale by each pool process; any other worker never loads them."""
    probe = textwrap.dedent("""
        import sys
        from types import SimpleNamespace
        from celery.signals import worker_init
        from workers import celery_app

        class Worker:
            def __init__(self, queue):
                queues = SimpleNamespace(consume_from={queue: None})
                self.app = SimpleNamespace(amqp=SimpleNamespace(queues=queues))

        celery_app._load_the_pdf_makers(sender=Worker("ledger"))
        print("fpdf" in sys.modules, "zxingcpp" in sys.modules, "facturx" in sys.modules)
        worker_init.send(sender=Worker("ledger.outbound"))  # as the worker starts
        print("fpdf" in sys.modules, "zxingcpp" in sys.modules, "facturx" in sys.modules)
    """)
    env = {**os.environ, "SECRET_KEY": "test-secret-key-of-at-least-32-bytes"}
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env,  # noqa: S603
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.stdout.split("\n")[:2] == ["False False False", "True True True"], (
        done.stdout + done.stderr)


def test_the_outbound_worker_yields_the_cores_to_the_bookings_and_its_pool_inherits_it() -> None:
    """OUTBOUND_NICENESS lowers its priority at its start, before Celery forks its pool: a
    child of it runs as low. A process started beside it keeps its own."""
    probe = textwrap.dedent("""
        import os
        from workers.webhooks.worker import yield_to_buyers
        before = os.nice(0)
        after = yield_to_buyers(7)
        child = os.fork()
        if child == 0:
            os.write(1, f"{os.nice(0) - before} ".encode())
            os._exit(0)
        os.waitpid(child, 0)
        print(after - before, yield_to_buyers(0) - before)
    """)
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT,  # noqa: S603 - our own code
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                          text=True, timeout=60, check=True)
    assert done.stdout.split() == ["7", "7", "7"]  # the child, the process, and 0 changes none
    assert get_settings().outbound_niceness == 10
