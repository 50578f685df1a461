"""An event with 200 paid bookings is cancelled on PostgreSQL + Redis + Celery: its organizer's
request only asks for the refunds; the refunds' process manager, run by a real webhooks worker,
gives each booking's money back at the provider (localstripe) exactly once, although that worker
is killed (kill -9) half-way and another takes over."""

import os
import secrets
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg
import pytest
import stripe
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import get_topic
from psycopg import sql

from commands.domain.payment import Payment
from core.db import libpq_url
from tests.fixtures.payments import PUBLISHABLE_KEY
from tests.reliability.harness import create_event, system
from tests.reliability.services import PrivatePostgres
from tests.stack import start_webhooks_worker
from tests.support.cards import card
from tests.support.verify_runs import verify_report
from tests.support.waiting import eventually

# A `scenario`: its API processes and workers would starve the timed tests beside it.
pytestmark = [pytest.mark.scenario, pytest.mark.postgres]
PAID = 200
PRICE, MINOR = "10.00", 1000
REFUND_SUCCEEDED = get_topic(Payment.RefundSucceeded)


def _refunds_recorded(database_url: str, table: str) -> int:
    with psycopg.connect(libpq_url(database_url), autocommit=True) as db:
        row = db.execute(sql.SQL("SELECT count(*) FROM {} WHERE topic = %s")
                         .format(sql.Identifier(table)), (REFUND_SUCCEEDED,)).fetchone()
    return int(row[0]) if row else 0


def test_an_event_cancelled_with_200_paid_bookings_refunds_each_once_though_its_worker_is_killed(
    private_pg: PrivatePostgres, tmp_path: Path, local_stripe: str,
    provider: stripe.StripeClient, monkeypatch: pytest.MonkeyPatch,
) -> None:
    keys = {"STRIPE_API_KEY": f"sk_test_{secrets.token_hex(8)}",
            "STRIPE_WEBHOOK_SECRET": f"whsec_{secrets.token_hex(16)}",
            "STRIPE_PUBLISHABLE_KEY": PUBLISHABLE_KEY, "STRIPE_API_BASE": local_stripe}
    with system(private_pg, tmp_path, **keys) as stack:
        stack.worker()
        with stack.ledger(monkeypatch) as ledger:
            recorder = ledger.recorder
            assert isinstance(recorder, PostgresApplicationRecorder)
            table = recorder.events_table_name

        def recorded() -> int:
            return _refunds_recorded(stack.database_url, table)

        _, url = stack.api(processes=2)
        admin = stack.admin(url)
        event_id = create_event(url, admin, total_seats=PAID, price=PRICE)
        buyers = [headers for _, headers in stack.customers(PAID)]

        def bought(headers: dict[str, str]) -> str:
            with httpx.Client(base_url=url, headers=headers, timeout=60) as http:
                held = http.post(f"/api/events/{event_id}/holds", json={"quantity": 1})
                assert held.status_code == 201, held.text
                paid = http.post(f"/api/holds/{held.json()['id']}/payment",
                                 json={"payment_method": card(provider)})
                assert paid.status_code == 201, paid.text
                assert paid.json()["status"] == "succeeded", paid.text
                return str(paid.json()["intent_id"])

        with ThreadPoolExecutor(8) as pool:
            intents = list(pool.map(bought, buyers))

        r = httpx.post(f"{url}/api/events/{event_id}/cancel", json={"reason": "Venue flooded"},
                       headers=admin, timeout=120)
        assert r.status_code == 200, r.text
        assert recorded() == 0  # asked for, left to the manager

        stack.beat()
        first = start_webhooks_worker(stack.env, stack.logs, "refunds-first")
        stack.processes.append(first)
        assert eventually(lambda: recorded() >= PAID // 4,
                          timeout=120, every=0.02), first.tail()
        os.killpg(first.proc.pid, signal.SIGKILL)  # kill -9, half-way through the refunds
        first.proc.wait(timeout=10)
        at_kill = recorded()
        assert at_kill < PAID, "the kill came after the last refund"

        second = start_webhooks_worker(stack.env, stack.logs, "refunds-second")
        stack.processes.append(second)
        assert eventually(lambda: recorded() >= PAID,
                          timeout=180), second.tail()

        for intent in intents:  # one refund of all of it at the provider, never two
            refunds = provider.v1.refunds.list(params={"payment_intent": intent})
            assert [x.amount for x in refunds.data] == [MINOR], intent
        assert recorded() == PAID  # and one recorded each
        print(f"\nrefunds recorded when the worker was killed: {at_kill} of {PAID}")
        with httpx.Client(base_url=url, timeout=30) as http:
            report = verify_report(http, admin)
        assert report["ok"] is True, report
