"""Data safety: the app's roles, set up as every deployment sets them up, cannot change or
remove stored events nor reach the server, yet the app works with them; only the workers'
role writes snapshots; and a dump of the store alone rebuilds every read table."""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from eventsourcing.persistence import ProgrammingError
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from bench.scenario import book, new_event
from commands.ledger import Ledger
from core.db import libpq_url, read_scope, reset_singletons
from ops import roles
from ops.migrate import migrate
from projections import catch_up, rebuild, registry
from query_api.service.app import create_app
from tests.conftest import configure
from tests.fixtures.api import future
from tests.reliability.services import PrivatePostgres
from tests.stack import ROOT, service_env
from tests.support.verify_runs import verified

pytestmark = pytest.mark.postgres
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
    held = client.post(f"/api/events/{event['id']}/holds", headers=ann,
                       json={"category": "A", "quantity": 1})
    assert held.status_code == 201, held.text  # the holds read model has a row too
    cancelled = client.delete(f"/api/bookings/{booked[1].json()['id']}", headers=ann)
    assert cancelled.status_code == 200, cancelled.text
    code = booked[0].json()["tickets"][0]["code"]
    checked = client.post(f"/api/tickets/{code}/check-in", headers=admin)
    assert checked.status_code == 200, checked.text
    # An invoice, of the booking paid at the door.
    assert client.put("/api/organizers/me/seller", headers=admin, json={
        "name": "Safe Events", "address": "1 Road", "country": "GB", "prefix": "SE-"},
                      ).status_code == 200
    paid = client.post(f"/api/bookings/{booked[0].json()['id']}/payment", headers=admin,
                       json={"method": "door"})
    assert paid.status_code == 201, paid.text
    invoiced = client.post(f"/api/bookings/{booked[0].json()['id']}/invoice", headers=ann,
                           json={"name": "Ann", "address": "2 Road", "country": "GB"})
    assert invoiced.json()["status"] == "issued", invoiced.text
    shown = client.get(f"/api/events/{event['id']}").json()
    assert shown["available_seats"] == 12  # 15 seats, 2 booked, 1 held
    assert verified(client, admin)["ok"] is True


@dataclass(frozen=True)
class Deployment:
    """A database set up as docker-compose.yml does it: its roles' URLs."""

    owner: str
    api: str
    worker: str


@pytest.fixture(scope="module")
def deployment(private_pg: PrivatePostgres) -> Deployment:
    """What compose does, on a fresh database: the superuser makes the owner (no superuser) with
    scripts/db/create_owner.sh, then `python -m ops.migrate` runs as that owner with the URLs
    of the API's and the workers' roles, twice (a second deployment changes nothing). Once per
    module: each test works on a copy (`deployed`)."""
    database = f"safe_{uuid.uuid4().hex[:8]}"
    private_pg.database(database)
    server = f"127.0.0.1:{private_pg.port}/{database}"
    urls = {kind: f"postgresql+psycopg://{database}_{kind}:{kind}-pw-{uuid.uuid4().hex}@{server}"
            for kind in ("owner", "api", "worker")}
    done = subprocess.run(  # noqa: S603 - our script, with the cluster's own psql
        [str(ROOT / "scripts" / "db" / "create_owner.sh")], capture_output=True, text=True,
        check=False, timeout=60, env=os.environ | {
            "PATH": f"{private_pg.bin}:{os.environ['PATH']}", "PGHOST": "127.0.0.1",
            "PGPORT": str(private_pg.port), "POSTGRES_USER": "postgres",
            "POSTGRES_DB": database, "DB_OWNER_PASSWORD": make_url(urls["owner"]).password or ""})
    assert done.returncode == 0, done.stderr
    env = service_env(urls["owner"], "unused", DATABASE_URL=urls["owner"],
                      API_DATABASE_URL=urls["api"], WORKER_DATABASE_URL=urls["worker"])
    for _ in range(2):
        migrated = subprocess.run([sys.executable, "-m", "ops.migrate"], env=env,  # noqa: S603
                                  capture_output=True, text=True, check=False, timeout=120)
        assert migrated.returncode == 0, migrated.stderr
    return Deployment(urls["owner"], urls["api"], urls["worker"])


@pytest.fixture
def deployed(private_pg: PrivatePostgres, deployment: Deployment) -> Iterator[Deployment]:
    """A copy of the deployed database for one test (`CREATE DATABASE … TEMPLATE`: its tables,
    rows, owners and grants, the same roles), the roles' database rights applied again as each
    deployment's `migrate` does (a database's own rights are not copied)."""
    template = make_url(deployment.owner)
    copy = f"safe_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(private_pg.admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{template.database}" '
                     f'OWNER "{template.username}"')
    urls = [make_url(url).set(database=copy).render_as_string(hide_password=False)
            for url in (deployment.owner, deployment.api, deployment.worker)]
    roles.apply(*urls)
    yield Deployment(*urls)
    reset_singletons()


def _refused(url: str, statement: str) -> bool:
    """Whether PostgreSQL refuses the statement to that role for want of a privilege."""
    with psycopg.connect(libpq_url(url)) as conn:
        try:
            conn.execute(statement)
        except psycopg.errors.InsufficientPrivilege:
            return True
        finally:
            conn.rollback()
    return False


TAMPERING = [
    *(f"UPDATE {t} SET topic = topic" for t in STORE),  # noqa: S608 - our table names
    *(f"DELETE FROM {t}" for t in STORE),  # noqa: S608 - as above
    *(f"TRUNCATE {t}" for t in STORE),
    "LOCK TABLE ledger_events IN EXCLUSIVE MODE",
    "ALTER TABLE ledger_events DISABLE TRIGGER ALL",
    "DROP TABLE ledger_events",
    "COPY (SELECT 1) TO PROGRAM 'cat > /dev/null'",  # harmless should it ever run
    "COPY ledger_events FROM PROGRAM 'true'",
    "SELECT pg_read_file('/etc/passwd')",
    "COPY ledger_events TO '/dev/null'",
]


@pytest.mark.parametrize("kind", ["api", "worker"])
def test_the_app_roles_cannot_change_the_store_nor_reach_the_server(
    deployed: Deployment, kind: str
) -> None:
    url = getattr(deployed, kind)
    refused = {statement: _refused(url, statement) for statement in TAMPERING}
    assert all(refused.values()), [s for s, ok in refused.items() if not ok]
    with psycopg.connect(libpq_url(url)) as conn:
        role = conn.execute("SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls "
                            "FROM pg_roles WHERE rolname = current_user").fetchone()
        assert role == (False, False, False, False)
        for table in STORE:
            for privilege in ("UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"):
                held = conn.execute("SELECT has_table_privilege(%s, %s)",
                                    (table, privilege)).fetchone()
                assert held == (False,), (table, privilege)
    with psycopg.connect(libpq_url(deployed.owner)) as conn:  # and the owner is no superuser
        assert conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
                            ).fetchone() == (False,)


def test_a_table_of_no_known_kind_or_a_role_that_could_reach_the_server_is_refused(
    deployed: Deployment,
) -> None:
    with psycopg.connect(libpq_url(deployed.owner), autocommit=True) as conn:
        conn.execute("CREATE TABLE notes (id int)")
    with pytest.raises(roles.RoleError, match="'notes' has no rule"):
        roles.apply(deployed.owner, deployed.api, deployed.worker)
    with psycopg.connect(libpq_url(deployed.owner), autocommit=True) as conn:
        conn.execute("DROP TABLE notes")
    # Roles made elsewhere with too much (applied as a superuser, as run_distributed.sh may be).
    superuser = make_url(deployed.owner).set(username="postgres", password=None)
    name = make_url(deployed.owner).database
    with psycopg.connect(libpq_url(superuser.render_as_string(hide_password=False)),
                         autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{name}_big" LOGIN SUPERUSER')
        conn.execute(f'CREATE ROLE "{name}_shell" LOGIN IN ROLE pg_execute_server_program')
    for role, why in (("big", "rolsuper"), ("shell", "pg_execute_server_program")):
        url = superuser.set(username=f"{name}_{role}").render_as_string(hide_password=False)
        with pytest.raises(roles.RoleError, match=why):
            roles.apply(superuser.render_as_string(hide_password=False), url, deployed.worker)


def test_only_the_workers_role_writes_snapshots_and_both_append_events(
    deployed: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    event_ids = {}
    for kind in ("api", "worker"):  # the write side as each role: real appends
        ledger = Ledger(configure(monkeypatch, DATABASE_URL=getattr(deployed, kind)))
        try:
            event_ids[kind] = new_event(ledger)
            assert book(ledger, event_ids[kind], quantity=2)["quantity"] == 2
        finally:
            ledger.close()
            reset_singletons()
    api = Ledger(configure(monkeypatch, DATABASE_URL=deployed.api))
    try:  # an API process never takes a snapshot: a worker does (workers.tasks.take_snapshot)
        with pytest.raises(ProgrammingError, match="permission denied"):
            api.snapshot_at(event_ids["api"], 2)
    finally:
        api.close()
        reset_singletons()
    worker = Ledger(configure(monkeypatch, DATABASE_URL=deployed.worker))
    try:
        assert worker.snapshot_at(event_ids["api"], 2) is True
        assert worker.event(event_ids["api"]).version == 2
    finally:
        worker.close()
        reset_singletons()
    assert _refused(deployed.api, "INSERT INTO ledger_snapshots SELECT * FROM ledger_snapshots")
    for table in ("events", "bookings", "projection_tracking"):  # projections: the workers'
        assert _refused(deployed.api, f"DELETE FROM {table}")  # noqa: S608 - our table names
        assert not _refused(deployed.worker, f"DELETE FROM {table}")  # noqa: S608 - as above


HEAD = ("INSERT INTO tree_heads (tree_size, root_hash, timestamp, key_id, signature) "
        "VALUES (1, 'aa', '2030-01-01T00:00:00.000Z', 'forged', 'c2ln')")
KEY = ("INSERT INTO tree_keys (key_id, public_key, first_used_at) "
       "VALUES ('forged', 'pem', '2030-01-01T00:00:00.000Z')")


def test_only_the_signers_role_adds_heads_and_no_app_role_changes_them(
    deployed: Deployment,
) -> None:
    for statement in (HEAD, KEY):  # the API holds no signing key: it adds no head nor key
        assert _refused(deployed.api, statement), statement
        assert not _refused(deployed.worker, statement), statement
    for kind in ("api", "worker"):
        for table in ("tree_heads", "tree_keys"):
            for statement in (f"UPDATE {table} SET key_id = key_id",  # noqa: S608 - ours
                              f"DELETE FROM {table}", f"TRUNCATE {table}"):  # noqa: S608
                assert _refused(getattr(deployed, kind), statement), (kind, statement)


def test_the_app_works_as_its_roles(deployed: Deployment, monkeypatch: pytest.MonkeyPatch) -> None:
    """No broker: one process does the API's and the workers' jobs, as the workers' role."""
    configure(monkeypatch, DATABASE_URL=deployed.worker, ADMIN_EMAIL=ADMIN[0],
              ADMIN_PASSWORD=ADMIN[1], SECRET_KEY="safe-secret-key-of-at-least-32-bytes")
    with TestClient(create_app()) as client:
        # Book, cancel, check in, projected in-process (no broker): appends with only INSERT,
        # projections reading up to the safe head with only USAGE on the store's sequence.
        _history(client)
    ledger = Ledger()
    try:
        # A rebuild swaps tables: still allowed.
        assert rebuild.rebuild("bookings", ledger.eventlog) > 0
    finally:
        ledger.close()
    reset_singletons()
    with psycopg.connect(libpq_url(deployed.api)) as conn:  # and the API reads the new tables
        booked = conn.execute("SELECT count(*) FROM bookings").fetchone()
    assert booked is not None and booked[0] == 2


def _tables(settings_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    configure(monkeypatch, DATABASE_URL=settings_url)
    try:
        with read_scope() as session:
            return {name: registry.snapshot_tables(session, name) for name in catch_up.PROJECTIONS}
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
    # The backup of docs/operations.md's "Backups": the store's tables, the accounts and the
    # persons' wrapped keys (without them every name reads "erased"), nothing else.
    dump = tmp_path / "store.sql"
    done = subprocess.run(  # noqa: S603 - the cluster's own pg_dump
        [str(private_pg.bin / "pg_dump"), "-h", "127.0.0.1", "-p", str(private_pg.port),
         "-U", "postgres", "--data-only", "-t", "ledger_events", "-t", "ledger_snapshots",
         "-t", "ledger_events_notification_id_seq", "-t", "users", "-t", "person_keys",
             "-f", str(dump),
         source.rsplit("/", 1)[1]], capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    target_name = f"dst_{uuid.uuid4().hex[:8]}"
    target = private_pg.database(target_name)
    migrate(configure(monkeypatch, DATABASE_URL=target))
    _psql(private_pg, target_name, "-f", str(dump))
    ledger = Ledger()
    try:
        rebuild.rebuild_all(ledger.eventlog)
        restored_head = ledger.eventlog.last()
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
