"""scripts/run_distributed.sh for real: book through it, SIGKILL a worker, read models converge."""

import os
import signal
import stat
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psycopg
import pytest
from sqlalchemy.engine import make_url

from bench import watchdog
from bench.stack import free_port
from commands.ledger import Ledger
from core.db import reset_singletons, session_scope
from projections import rebuild, registry, tracking
from projections.catch_up import PROJECTIONS
from tests.conftest import PG_ADMIN_URL, configure, unique_db_name
from tests.stack import ROOT, drop_database, require_services, role_urls, service_env

pytestmark = [pytest.mark.serial, pytest.mark.postgres]
ADMIN = ("admin@topology.test", "admin-password-topology")
SEATS, BOOKINGS = 60, 30


@pytest.fixture(scope="module")
def topology(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """The script running on a fresh database and queue; (base URL, database URL, run dir)."""
    require_services()
    tmp_path = tmp_path_factory.mktemp("topology")
    name, port, run_dir = unique_db_name("ledger_topology"), free_port(), tmp_path / "run"
    database_url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    database_url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    # As a developer runs it (not the test settings, which keep a key of their own): no key
    # is given, so the script has to make the signer's.
    env = service_env(database_url, f"topo{uuid.uuid4().hex[:8]}", PORT=str(port),
                      RUN_DIR=str(run_dir), API_PROCESSES="2", WORKERS="2",
                      ADMIN_EMAIL=ADMIN[0], ADMIN_PASSWORD=ADMIN[1], ENVIRONMENT="development",
                      # beat's schedule, short: the proof test waits for a head, not a minute
                      CHECKPOINT_INTERVAL_SECONDS="5")
    log = (tmp_path / "script.log").open("wb")
    script = subprocess.Popen(["bash", str(ROOT / "scripts" / "run_distributed.sh")],  # noqa: S603, S607
                              env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    guard = watchdog.killing_group(script.pid)  # its services die with this process, however
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, script, tmp_path / "script.log")
        yield url, database_url, run_dir
    finally:
        os.killpg(script.pid, signal.SIGTERM)
        script.wait(timeout=30)
        guard.dismiss()
        log.close()
        drop_database(PG_ADMIN_URL, name)


def wait_until_up(url: str, script: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert script.poll() is None, f"run_distributed.sh exited:\n{log.read_text()[-4000:]}"
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"the topology did not come up:\n{log.read_text()[-4000:]}")


def signed_in(client: httpx.Client, email: str, password: str) -> dict[str, str]:
    r = client.post("/api/auth/token", data={"username": email, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def customers(client: httpx.Client, n: int) -> list[dict[str, str]]:
    out = []
    for i in range(n):
        email = f"c{i}-{uuid.uuid4().hex[:8]}@topology.test"
        body = {"email": email, "password": "password-123", "name": f"Customer {i}"}
        assert client.post("/api/auth/signup", json=body).status_code == 201
        out.append(signed_in(client, email, "password-123"))
    return out


def book(url: str, event_id: str, headers: dict[str, str]) -> int:
    """One booking of one seat; its command position."""
    r = httpx.post(f"{url}/api/events/{event_id}/book", json={"quantity": 1}, timeout=30,
                   headers=headers | {"Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 201, r.text
    return int(r.json()["position"])


def test_keep_alive_requests_do_not_stall(topology: tuple[str, str, Path]) -> None:
    url, _, _ = topology
    with httpx.Client(base_url=url) as client:
        client.get("/api/events")
        times = []
        for _ in range(10):
            started = time.perf_counter()
            assert client.get("/api/events").status_code == 200
            times.append(time.perf_counter() - started)
    assert statistics.median(times) < 0.03, times  # Nagle + delayed ACK would cost ~40 ms


def test_bookings_survive_a_killed_worker_and_read_models_converge(
    topology: tuple[str, str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, database_url, run_dir = topology
    with httpx.Client(base_url=url, timeout=30) as client:
        admin = signed_in(client, *ADMIN)
        starts = (datetime.now(UTC) + timedelta(days=20)).isoformat()
        r = client.post("/api/events", headers=admin, json={
            "name": "Topology night", "starts_at": starts, "total_seats": SEATS, "price": "10.00"})
        assert r.status_code == 201, r.text
        event_id, people = r.json()["id"], customers(client, 3)

    positions = []
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = [pool.submit(book, url, event_id, people[i % 3]) for i in range(BOOKINGS)]
        for done, future in enumerate(as_completed(futures), start=1):
            positions.append(future.result())
            if done == BOOKINGS // 3:  # mid-run: no goodbye, no ack of what it was doing
                os.kill(int((run_dir / "worker1.pid").read_text()), signal.SIGKILL)

    last = max(positions)
    with httpx.Client(base_url=url, timeout=30) as client:
        event = client.get(f"/api/events/{event_id}", params={"min_position": last})
        assert event.status_code == 200
        assert int(event.headers["X-Projection-Position"]) >= last
        assert event.json()["available_seats"] == SEATS - BOOKINGS
        stats = client.get("/api/admin/stats", headers=admin,
                           params={"event_id": event_id, "min_position": last}).json()
        assert stats["totals"]["tickets_sold"] == BOOKINGS

    # The API and the workers connected as their own roles, never as the tables' owner.
    api, worker = (make_url(role).username for role in role_urls(database_url))
    with psycopg.connect(PG_ADMIN_URL) as conn:
        users = {row[0] for row in conn.execute(
            "SELECT usename FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (make_url(database_url).database,))}
    assert users == {api, worker}, users

    configure(monkeypatch, DATABASE_URL=role_urls(database_url)[1])  # a rebuild: the workers' job
    ledger = Ledger()
    try:
        assert tracking.wait_for(ledger.eventlog.last(), timeout=30)
        with session_scope() as session:
            live = {name: registry.snapshot_tables(session, name) for name in PROJECTIONS}
        for name in PROJECTIONS:
            rebuild.rebuild(name, ledger.eventlog)
        with session_scope() as session:
            rebuilt = {name: registry.snapshot_tables(session, name) for name in PROJECTIONS}
        assert live == rebuilt
    finally:
        ledger.close()
        reset_singletons()


def environ(pid_file: Path) -> dict[str, str]:
    """The environment a process of the topology was started with."""
    raw = Path(f"/proc/{int(pid_file.read_text())}/environ").read_bytes()
    return dict(item.split("=", 1) for item in raw.decode().split("\0") if "=" in item)


def test_the_workers_alone_sign_and_a_proof_verifies_with_the_public_key_alone(
    topology: tuple[str, str, Path], tmp_path: Path
) -> None:
    url, _, run_dir = topology
    key_file = run_dir / "checkpoint-key.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600  # made by the script, given by no one
    # (worker2: the test before killed worker1)
    assert environ(run_dir / "worker2.pid")["CHECKPOINT_KEY_FILE"] == str(key_file)
    for process in ("api", "beat", "webhooks"):  # the webhooks' worker signs nothing
        held = {k for k in environ(run_dir / f"{process}.pid") if k.startswith("CHECKPOINT_KEY")}
        assert held == set(), (process, held)
    with httpx.Client(base_url=url, timeout=30) as client:
        admin = signed_in(client, *ADMIN)
        starts = (datetime.now(UTC) + timedelta(days=20)).isoformat()
        event = client.post("/api/events", headers=admin, json={
            "name": "Proof night", "starts_at": starts, "total_seats": 5, "price": "10.00"})
        assert event.status_code == 201, event.text
        person = customers(client, 1)[0]
        booked = client.post(f"/api/events/{event.json()['id']}/book", json={"quantity": 1},
                             headers=person)
        assert booked.status_code == 201, booked.text
        started = time.monotonic()
        while True:  # as a client does: again after Retry-After
            proof = client.get(f"/api/audit/proofs/bookings/{booked.json()['id']}",
                               headers=person)
            if proof.status_code != 409 or time.monotonic() - started > 90:
                break
            time.sleep(min(float(proof.headers.get("Retry-After", "1")), 5.0))
        assert proof.status_code == 200, proof.text
        assert time.monotonic() - started < 90
    public = subprocess.run([sys.executable, "-m", "ops.signing_key", str(key_file)],  # noqa: S603
                            cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout
    (tmp_path / "key.txt").write_text(public, encoding="ascii")
    (tmp_path / "proof.json").write_text(proof.text, encoding="utf-8")
    checked = subprocess.run([sys.executable, "-I", str(ROOT / "tools" / "verify_export.py"),  # noqa: S603
                              "--proof", str(tmp_path / "proof.json"),
                              "--key", str(tmp_path / "key.txt")],
                             capture_output=True, text=True, check=False, timeout=60)
    assert checked.returncode == 0 and "is leaf" in checked.stdout, checked.stdout


def test_each_role_gets_a_url_with_a_fresh_password() -> None:
    """What run_distributed.sh hands `migrate` when it is given no role URLs."""
    env = {"DATABASE_URL": "postgresql+psycopg://owner:secret@db.example:6543/shop",
           "ENVIRONMENT": "development", "PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT)}
    urls = [make_url(subprocess.run([sys.executable, "-m", "ops.roles", kind],  # noqa: S603
                                    env=env, cwd=ROOT, capture_output=True, text=True,
                                    check=True).stdout.strip())
            for kind in ("api", "api", "worker")]
    assert [u.username for u in urls] == ["shop_api", "shop_api", "shop_worker"]
    assert {(u.host, u.port, u.database) for u in urls} == {("db.example", 6543, "shop")}
    passwords = {u.password for u in urls}
    assert len(passwords) == 3 and all(p and len(p) >= 32 and p.isalnum() for p in passwords)
