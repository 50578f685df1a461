"""The suite's environment, the helpers every kind of test uses, and where the shared fixtures
are: the modules of tests/fixtures/, named in `pytest_plugins`."""

import base64
import os
import secrets
import tempfile
import uuid

import pytest

from core.db import reset_singletons
from core.settings import Settings, get_settings

# Any test asks for these by name, wherever it is: no conftest imports another's fixtures.
pytest_plugins = ["tests.fixtures.stores", "tests.fixtures.stacks", "tests.fixtures.api",
                  "tests.fixtures.ledgers", "tests.fixtures.receivers", "tests.fixtures.payments"]
# A test that asks for one of these, itself or through its fixtures, is a `postgres` test; the
# fixtures that choose a backend per parameter mark their PostgreSQL parameter themselves.
POSTGRES_FIXTURES = frozenset({"pg_settings", "distributed_stack"})
# A test that asks for this one is a `provider` test: it talks to a payment provider's local
# server (localstripe), which the quick tier, needing no server, leaves out.
PROVIDER_FIXTURES = frozenset({"local_stripe"})
# And this one a `redis` test: it talks to Redis alone (the quick tier starts no server).
REDIS_FIXTURES = frozenset({"redis_url"})
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# The test settings for anything that reads them without `configure` (a module building its
# app at import): a development start would make data/secret-key in the checkout. Tests of the
# default start set or remove ENVIRONMENT themselves.
os.environ.setdefault("ENVIRONMENT", "test")
# The run's own signing secret, for every process of it (this one, its API servers and workers:
# they share it, so tokens and sealed snapshots pass between them). The public placeholder
# serves only throwaway SQLite databases; PostgreSQL refuses it even in test.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
# Likewise the wrapping key of the persons' data keys: one for the run, so that the API servers
# and the workers it starts open what this process sealed.
os.environ.setdefault("PERSONAL_DATA_KEY", base64.b64encode(secrets.token_bytes(32)).decode())
# Each process keeps this many idle connections per pool (the ORM's and the store's; more open
# while busy): the suite's processes, two tests at a time, share the server's 100 slots.
os.environ.setdefault("DB_POOL_SIZE", "2")
# Messages to buyers that the apps and workers under test write (no SMTP host) go to a folder of
# the run's, never to the checkout's data/outbox/.
os.environ.setdefault("MAIL_OUTBOX_DIR", tempfile.mkdtemp(prefix="ledger-test-outbox-"))
# The environment as the session begins: what a stack kept for the whole session inherits,
# whichever test happens to start it. The variables a test sets for itself (its own SMTP server,
# outbox or intervals, through `monkeypatch`) end with it; a session's worker that inherited
# them sent every later test's mail to a server long gone.
SESSION_ENV: dict[str, str] = dict(os.environ)
PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")


def configure(monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    """Point the process at a given configuration and forget every cached singleton."""
    for key in ("DATABASE_URL", "CELERY_BROKER_URL", "ADMIN_EMAIL", "ADMIN_PASSWORD"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("ENVIRONMENT", "test")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    reset_singletons()
    return get_settings()


def unique_db_name(prefix: str = "ledger_test") -> str:
    """Each test run gets its own database name so runs cannot disturb each other."""
    return f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that need PostgreSQL, or a payment provider's local server, by the
    fixtures they ask for (`-m "not postgres and not provider"`)."""
    for item in items:
        asked = set(getattr(item, "fixturenames", ()))
        if POSTGRES_FIXTURES & asked:
            item.add_marker(pytest.mark.postgres)
        if PROVIDER_FIXTURES & asked:
            item.add_marker(pytest.mark.provider)
        if REDIS_FIXTURES & asked:
            item.add_marker(pytest.mark.redis)
