"""PostgreSQL for the tests: reachable or not, and the tables' owner (the `pg_settings` fixture
is in tests/fixtures/stores.py)."""

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from core.db import session_scope
from core.settings import Settings, get_settings
from tests.conftest import IN_CI, PG_ADMIN_URL
from tests.stack import as_owner


def require_postgres() -> None:
    """Fail in CI, skip elsewhere, when PostgreSQL is not reachable."""
    try:
        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except psycopg.Error as exc:
        message = f"PostgreSQL at {PG_ADMIN_URL} is not reachable: {exc}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


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
