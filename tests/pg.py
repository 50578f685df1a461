"""A fresh, migrated PostgreSQL database per test: the `pg_settings` fixture.

Use it from a conftest.py: `from tests.pg import pg_settings  # noqa: F401`.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from core.db import reset_singletons, session_scope
from core.settings import Settings, get_settings
from ops import roles
from ops.migrate import migrate
from tests.conftest import IN_CI, PG_ADMIN_URL, configure
from tests.stack import as_owner, pg_database, role_urls


def require_postgres() -> None:
    """Fail in CI, skip elsewhere, when PostgreSQL is not reachable."""
    try:
        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except psycopg.Error as exc:
        message = f"PostgreSQL at {PG_ADMIN_URL} is not reachable: {exc}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def pg_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """A fresh database migrated by its owner; this process connects as the workers' role (no
    broker: Celery stays eager, so it is API and worker in one, as a deployment would be)."""
    require_postgres()
    with pg_database() as database_url:
        migrate(configure(monkeypatch, DATABASE_URL=database_url))
        roles.apply(database_url, *role_urls(database_url))
        settings = configure(monkeypatch, DATABASE_URL=role_urls(database_url)[1])
        try:
            yield settings
        finally:
            reset_singletons()  # dispose the engine before the database is dropped


def owner_settings(settings: Settings) -> Settings:
    """The same settings as the tables' owner, who alone migrates (SQLite: unchanged)."""
    if not settings.is_postgres:
        return settings
    return settings.model_copy(update={"database_url": as_owner(settings.database_url)})


@contextmanager
def owner_scope() -> Iterator[Session]:
    """One transaction as the tables' owner, as an operator's edit would be (on PostgreSQL the
    app's roles may not, e.g., delete an account); the app's own session on SQLite."""
    settings = get_settings()
    if not settings.is_postgres:
        with session_scope() as session:
            yield session
        return
    engine = create_engine(as_owner(settings.database_url))
    try:
        with Session(engine) as session, session.begin():
            yield session
    finally:
        engine.dispose()
