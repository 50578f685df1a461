"""Shared fixtures: a fresh embedded (SQLite) system per test, and PostgreSQL databases per run."""

import os
import secrets
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.db import reset_singletons
from core.settings import Settings, get_settings
from ops.migrate import migrate

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# The test settings for anything that reads them without `configure` (a module building its
# app at import): a development start would make data/secret-key in the checkout. Tests of the
# default start set or remove ENVIRONMENT themselves.
os.environ.setdefault("ENVIRONMENT", "test")
# The run's own signing secret, for every process of it (this one, its API servers and workers:
# they share it, so tokens and sealed snapshots pass between them). The public placeholder
# serves only throwaway SQLite databases; PostgreSQL refuses it even in test.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
# Each process keeps this many idle connections per pool (the ORM's and the store's; more open
# while busy): the suite's processes, two tests at a time, share the server's 100 slots.
os.environ.setdefault("DB_POOL_SIZE", "2")
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


@pytest.fixture
def sqlite_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """A fresh, migrated embedded system: SQLite file, Celery eager."""
    settings = configure(monkeypatch, DATABASE_URL=f"sqlite:///{tmp_path / 'ledger.db'}")
    migrate(settings)
    yield settings
    reset_singletons()


def unique_db_name(prefix: str = "ledger_test") -> str:
    """Each test run gets its own database name so runs cannot disturb each other."""
    return f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
