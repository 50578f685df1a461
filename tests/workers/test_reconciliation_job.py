"""A reconciliation run carried out (workers/reconciliation.py) against localstripe, on SQLite and
PostgreSQL: its counts and problems recorded; a run declared dead meanwhile records nothing; a
process with no provider fails it saying so. Its task goes to the outbound queue, with a time
limit of its own."""

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import stripe
from sqlalchemy import update

from commands.audit import reconciliation_runs as runs
from commands.audit.verify_runs import ABANDONED
from commands.ledger import Ledger
from core.db import read_scope, session_scope
from core.settings import Settings
from tests.support.cards import charged_elsewhere
from workers import reconciliation
from workers.celery_app import RECONCILE_SOFT_LIMIT_SECONDS, RECONCILE_TASK, app


@pytest.fixture
def paid_ledger(any_settings: Settings, local_stripe: str) -> Iterator[Ledger]:
    """A write side whose payment provider is localstripe."""
    ledger = Ledger(any_settings.model_copy(update={
        "stripe_api_key": "sk_test_jobs", "stripe_webhook_secret": "whsec_jobs",
        "stripe_publishable_key": "pk_test_jobs", "stripe_api_base": local_stripe}))
    yield ledger
    ledger.close()


def _since_now() -> datetime:
    """The next whole second, once come: the provider dates its records to the second."""
    now = datetime.now(UTC)
    start = now.replace(microsecond=0) + timedelta(seconds=1)
    time.sleep((start - now).total_seconds())
    return start


def test_the_run_goes_to_the_outbound_queue_with_a_time_limit_of_its_own() -> None:
    route: Any = app.amqp.router.route({}, RECONCILE_TASK)
    assert route["queue"].name == f"{app.conf.task_default_queue}.outbound"
    task = reconciliation.run_reconciliation
    assert task.name == RECONCILE_TASK
    assert (task.soft_time_limit, task.time_limit) == (
        RECONCILE_SOFT_LIMIT_SECONDS, RECONCILE_SOFT_LIMIT_SECONDS + 30.0)


def test_a_run_records_its_counts_and_the_money_only_at_the_provider(
    paid_ledger: Ledger, provider: stripe.StripeClient,
) -> None:
    since = _since_now()
    elsewhere = charged_elsewhere(provider, "a-hold-the-ledger-never-had", 700)
    run = runs.claim("audra@example.com", since, datetime.now(UTC) + timedelta(seconds=1))

    reconciliation.execute(run.id, paid_ledger)

    done = runs.get(run.id)
    assert done is not None and (done.status, done.error) == ("finished", None)
    assert (done.ledger_payments, done.provider_payments, done.matched, done.problems) == (
        0, 1, 0, 1)
    with read_scope() as session:
        [problem] = runs.problems_page(session, run.id, -1, 10)
    assert (problem["kind"], problem["provider_id"], problem["provider_amount"],
            problem["currency"], problem["payment_id"]) == (
        "payment_only_at_provider", elsewhere, 700, "EUR", None)


def test_a_run_declared_dead_while_it_runs_records_nothing(paid_ledger: Ledger) -> None:
    now = datetime.now(UTC)
    run = runs.claim("audra@example.com", now - timedelta(days=1), now)
    with session_scope() as session:  # another start found it silent and failed it
        session.execute(update(runs.runs).where(runs.runs.c.id == run.id)
                        .values(status="failed", error=ABANDONED))

    reconciliation.execute(run.id, paid_ledger)

    after = runs.get(run.id)
    assert after is not None and (after.status, after.error, after.provider_payments) == (
        "failed", ABANDONED, 0)
    with read_scope() as session:
        assert runs.problems_page(session, run.id, -1, 10) == []


def test_a_process_with_no_provider_fails_the_run_saying_so(any_ledger: Ledger) -> None:
    now = datetime.now(UTC)
    run = runs.claim("audra@example.com", now - timedelta(days=1), now)

    reconciliation.execute(run.id, any_ledger)

    failed = runs.get(run.id)
    assert failed is not None and failed.status == "failed"
    assert failed.error == ("NoProvider: no payment provider is set up in the process that ran "
                            "it (STRIPE_API_KEY)")
