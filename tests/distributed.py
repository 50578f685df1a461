"""One PostgreSQL database and real `celery worker`s (one for the outbound queue) per test
session, emptied per test."""

import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

from core.db import reset_singletons
from core.settings import Settings
from projections import tracking
from projections.proofs import signing_keys
from tests.conftest import REDIS_URL, configure
from tests.stack import (
    Process,
    empty_database,
    role_urls,
)
from workers.celery_app import app as celery_app
from workers.tasks import wake

HEAD_INTERVAL_SECONDS = 1
# Seal endpoint secrets in this process (the API under test) and open them in the stack's
# workers: the same key for both, as a deployment gives them.
WEBHOOK_SECRET_KEYS = json.dumps([secrets.token_urlsafe(32)])
# The stack's webhooks worker's deadline per attempt: a stalled receiver fails within a test's
# patience (tests/reliability/test_slow_webhook_receiver.py gives the embedded app the same).
WEBHOOK_DEADLINE_SECONDS = 4


def shipped_heads(database_url: str) -> Path:
    """The signed heads' file of the stack's processes (test settings on PostgreSQL)."""
    return signing_keys.log_path(Settings(environment="test", database_url=database_url))


class DistributedStack:
    """A migrated PostgreSQL database, a Redis queue of its own and a worker consuming it, and
    a webhooks worker consuming the outbound queue beside it."""

    def __init__(self, database_url: str, namespace: str, worker: Process,
                 webhooks: Process) -> None:
        self.database_url = database_url  # the owner's: the tests' set-up
        self.api_url = role_urls(database_url)[0]  # the app under test, as the API's role
        self.namespace = namespace
        self.worker = worker
        self.webhooks = webhooks

    @contextmanager
    def isolated(self, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
        """Empty every table, point this process (an API process) at the stack as the API's
        role; let the worker finish after."""
        self._empty()
        self._forget_limits()
        settings = configure(monkeypatch, DATABASE_URL=self.api_url,
                             CELERY_BROKER_URL=f"{REDIS_URL}/0",
                             CELERY_NAMESPACE=self.namespace,
                             WEBHOOK_SECRET_KEYS=WEBHOOK_SECRET_KEYS)
        celery_app.conf.update(broker_url=settings.celery_broker_url, task_always_eager=False,
                               task_default_queue=self.namespace)
        try:
            yield settings
            self._settle()
        finally:
            celery_app.conf.update(task_always_eager=True)
            reset_singletons()

    def _settle(self) -> None:
        """Wait until the worker projected everything, so no task outlives the test."""
        from query_api.service.write_side import get_ledger  # noqa: PLC0415 - the app's own ledger

        head = get_ledger().eventlog.last()
        wake(head)  # a test may have silenced the wake-ups; the worker still has to catch up
        caught_up = tracking.wait_for(head, timeout=20)
        assert caught_up, f"worker did not catch up:\n{self.worker.tail()}"

    def _forget_limits(self) -> None:
        """Each test a fresh system: its sign-ins start with no failures or rates counted."""
        client = redis.Redis.from_url(f"{REDIS_URL}/0")
        try:
            keys = list(client.scan_iter(f"{self.namespace}:auth-limits*", count=1000))
            if keys:
                client.delete(*keys)
        finally:
            client.close()

    def _empty(self) -> None:
        empty_database(self.database_url)
        shipped_heads(self.api_url).unlink(missing_ok=True)  # with the heads table
