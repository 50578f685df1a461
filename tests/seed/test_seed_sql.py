"""seed/seed_data*.sql load the seed's history into an empty store; projections rebuild alike."""

import sqlite3
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import select

from commands.ledger import Ledger
from core.db import libpq_url, reset_singletons, session_scope
from ops.migrate import migrate
from projections import catch_up, registry
from projections.catch_up import PROJECTIONS
from query_api.auth.credentials import verify_password
from query_api.auth.user_accounts import User
from seed.export_sql import FILES, deterministic, export, seed_run
from tests.conftest import configure
from tests.pg import require_postgres
from tests.stack import pg_database

Tables = dict[str, dict[str, list[tuple[Any, ...]]]]


def projected() -> Tables:
    """Run every projection to the head of the configured store; all their rows."""
    ledger = Ledger()
    try:
        catch_up.advance_all(ledger.eventlog)
        with session_scope() as session:
            return {name: registry.snapshot_tables(session, name) for name in PROJECTIONS}
    finally:
        ledger.close()


def seed_run_tables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Tables:
    """The read tables of a (deterministic) seed run through the commands."""
    migrate(configure(monkeypatch, DATABASE_URL=f"sqlite:///{tmp_path / 'run.db'}"))
    with deterministic() as clock:
        assert len(seed_run(clock)) == 6
    tables = projected()
    reset_singletons()
    return tables


def assert_logins_work() -> None:
    with session_scope() as session:
        users = {u.email: u for u in session.scalars(select(User))}
    assert verify_password("alice-password", users["alice@example.com"].password_hash)
    assert users["admin@example.com"].role == "admin"
    assert users["olivia@example.com"].role == users["oscar@example.com"].role == "organizer"


def test_the_sql_files_are_what_the_exporter_makes_today() -> None:
    for path, content in export().items():
        assert path.read_text() == content, f"{path.name} is stale: python -m seed.export_sql"


def test_the_sqlite_file_rebuilds_the_seed_runs_read_tables(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    expected = seed_run_tables(monkeypatch, tmp_path)
    db = tmp_path / "loaded.db"
    migrate(configure(monkeypatch, DATABASE_URL=f"sqlite:///{db}"))
    with sqlite3.connect(db) as conn:
        conn.executescript(FILES["sqlite"].read_text())
    assert projected() == expected
    assert_logins_work()
    reset_singletons()


@pytest.mark.postgres
def test_the_postgres_file_rebuilds_the_seed_runs_read_tables(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    require_postgres()
    expected = seed_run_tables(monkeypatch, tmp_path)
    with pg_database("ledger_seed") as database_url:
        migrate(configure(monkeypatch, DATABASE_URL=database_url))
        dsn = libpq_url(database_url)
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(FILES["postgresql"].read_text().encode())
        try:
            assert projected() == expected
            assert_logins_work()
        finally:
            reset_singletons()
