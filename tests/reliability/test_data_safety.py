"""Data safety: the app's role cannot change or remove stored events, yet the app works with it;
and a dump of the store alone rebuilds every read table."""

import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from commands.ledger import Ledger
from core.db import read_scope, reset_singletons
from core.migrate import migrate
from projections import rebuild, runner
from query_api.app import create_app
from tests.api.conftest import future
from tests.conftest import configure
from tests.reliability.services import PrivatePostgres
from tests.stack import ROOT

pytestmark = pytest.mark.postgres
SCRIPT = ROOT / "scripts" / "db" / "app_role.sql"
ADMIN = ("admin@safe.test", "admin-password-1")
STORE = ("ledger_events", "ledger_snapshots")


def _psql(pg: PrivatePostgres, database: str, *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - the cluster's own psql
        [str(pg.bin / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
         "-p", str(pg.port), "-U", "postgres", "-d", database, *args],
        capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _history(client: TestClient) -> None:
    """Accounts, events, bookings, a cancellation, a check-in: every projection has rows."""
    token = client.post("/api/auth/token", data={"username": ADMIN[0], "password": ADMIN[1]})
    admin = {"Authorization": f"Bearer {token.json()['access_token']}"}
    for name in ("ann", "ben"):
        body = {"email": f"{name}@safe.test", "password": "password-123", "name": name}
        assert client.post("/api/auth/signup", json=body).status_code == 201
    ann = {"Authorization": "Bearer " + client.post("/api/auth/token", data={
        "username": "ann@safe.test", "password": "password-123"}).json()["access_token"]}
    event = client.post("/api/events", headers=admin, json={
        "name": "Safe night", "starts_at": future(), "categories": [
            {"name": "A", "price": "12.50", "capacity": 10},
            {"name": "B", "price": "8.00", "capacity": 5}]}).json()
    booked = [client.post(f"/api/events/{event['id']}/book", headers=ann,
                          json={"category": c, "quantity": q}) for c, q in (("A", 2), ("B", 1))]
    assert [b.status_code for b in booked] == [201, 201], [b.text for b in booked]
    cancelled = client.delete(f"/api/bookings/{booked[1].json()['id']}", headers=ann)
    assert cancelled.status_code == 200, cancelled.text
    code = booked[0].json()["tickets"][0]["code"]
    checked = client.post(f"/api/tickets/{code}/check-in", headers=admin)
    assert checked.status_code == 200, checked.text
    shown = client.get(f"/api/events/{event['id']}").json()
    assert shown["available_seats"] == 13
    assert client.get("/api/audit/verify", headers=admin).json()["ok"] is True


@pytest.fixture
def app_role(private_pg: PrivatePostgres, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A migrated database and the role of scripts/db/app_role.sql; yields the role's URL."""
    database = f"safe_{uuid.uuid4().hex[:8]}"
    owner_url = private_pg.database(database)
    migrate(configure(monkeypatch, DATABASE_URL=owner_url))
    reset_singletons()
    role = f"ledger_app_{uuid.uuid4().hex[:6]}"
    _psql(private_pg, database, "-v", f"app_role={role}", "-v", "app_password=pw-not-used",
          "-f", str(SCRIPT))
    _psql(private_pg, database, "-v", f"app_role={role}", "-v", "app_password=pw-not-used",
          "-f", str(SCRIPT))  # running it again is harmless
    yield f"postgresql+psycopg://{role}@127.0.0.1:{private_pg.port}/{database}"
    reset_singletons()


def test_the_app_role_cannot_change_stored_events(app_role: str) -> None:
    url = app_role.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM ledger_events").fetchone() is not None
        conn.rollback()
        for statement in (
            "UPDATE ledger_events SET topic = topic",
            "DELETE FROM ledger_events",
            "TRUNCATE ledger_events",
            "UPDATE ledger_snapshots SET topic = topic",
            "DELETE FROM ledger_snapshots",
            "TRUNCATE ledger_snapshots",
            "LOCK TABLE ledger_events IN EXCLUSIVE MODE",
            "ALTER TABLE ledger_events DISABLE TRIGGER ALL",
            "DROP TABLE ledger_events",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
            conn.rollback()
        for table in STORE:
            for privilege in ("UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"):
                held = conn.execute("SELECT has_table_privilege(%s, %s)",
                                    (table, privilege)).fetchone()
                assert held == (False,), (table, privilege)
        for table in STORE:
            for privilege in ("UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"):
                held = conn.execute("SELECT has_table_privilege(%s, %s)",
                                    (table, privilege)).fetchone()
                assert held == (False,), (table, privilege)


def test_the_app_works_with_the_append_only_role(
    app_role: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, DATABASE_URL=app_role, ADMIN_EMAIL=ADMIN[0],
              ADMIN_PASSWORD=ADMIN[1], SECRET_KEY="safe-secret-key-of-at-least-32-bytes")
    with TestClient(create_app()) as client:
        # Book, cancel, check in, projected in-process (no broker): every append took the
        # store's lock through its function, as this role may not LOCK the table itself.
        _history(client)
    ledger = Ledger()
    try:
        assert rebuild.rebuild("bookings", ledger) > 0  # a rebuild swaps tables: still allowed
    finally:
        ledger.close()
    with psycopg.connect(app_role.replace("+psycopg", ""), autocommit=True) as conn:
        events = conn.execute("SELECT count(*) FROM ledger_events").fetchone()
    assert events is not None and events[0] >= 6


def _tables(settings_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    configure(monkeypatch, DATABASE_URL=settings_url)
    try:
        with read_scope() as session:
            return {name: runner.snapshot_tables(session, name) for name in runner.PROJECTIONS}
    finally:
        reset_singletons()


def test_a_dump_of_the_store_rebuilds_every_read_table(
    private_pg: PrivatePostgres, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = private_pg.database(f"src_{uuid.uuid4().hex[:8]}")
    migrate(configure(monkeypatch, DATABASE_URL=source, ADMIN_EMAIL=ADMIN[0],
                      ADMIN_PASSWORD=ADMIN[1], SECRET_KEY="safe-secret-key-of-at-least-32-bytes"))
    with TestClient(create_app()) as client:
        _history(client)
    reset_singletons()
    expected = _tables(source, monkeypatch)
    assert all(any(rows for rows in tables.values()) for tables in expected.values())
    # The backup of README's "Backups": the store's tables (and the accounts), nothing else.
    dump = tmp_path / "store.sql"
    done = subprocess.run(  # noqa: S603 - the cluster's own pg_dump
        [str(private_pg.bin / "pg_dump"), "-h", "127.0.0.1", "-p", str(private_pg.port),
         "-U", "postgres", "--data-only", "-t", "ledger_events", "-t", "ledger_snapshots",
         "-t", "ledger_events_notification_id_seq", "-t", "users", "-f", str(dump),
         source.rsplit("/", 1)[1]], capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    target_name = f"dst_{uuid.uuid4().hex[:8]}"
    target = private_pg.database(target_name)
    migrate(configure(monkeypatch, DATABASE_URL=target))
    _psql(private_pg, target_name, "-f", str(dump))
    ledger = Ledger()
    try:
        rebuild.rebuild_all(ledger)
        restored_head = runner.head(ledger)
        assert restored_head > 0
    finally:
        ledger.close()
    reset_singletons()
    assert _tables(target, monkeypatch) == expected
    # And the restored store takes new bookings after the old ones (its sequence came along).
    configure(monkeypatch, DATABASE_URL=target, ADMIN_EMAIL=ADMIN[0], ADMIN_PASSWORD=ADMIN[1],
              SECRET_KEY="safe-secret-key-of-at-least-32-bytes")
    with TestClient(create_app()) as client:
        token = client.post("/api/auth/token", data={"username": "ann@safe.test",
                                                     "password": "password-123"})
        assert token.status_code == 200  # the accounts came back too
        event_id = client.get("/api/events").json()["items"][0]["id"]
        booked = client.post(f"/api/events/{event_id}/book", json={"category": "A"},
                             headers={"Authorization": f"Bearer {token.json()['access_token']}"})
        assert booked.status_code == 201, booked.text
        assert booked.json()["position"] > restored_head
