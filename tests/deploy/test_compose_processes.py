"""docker-compose.yml's services as local processes, each with the environment compose would
give it: the secrets made by scripts/compose-secrets.sh, the app settings of .env.example and
ledger.env, the worker alone holding the signing key. Docker is not needed: only the hosts
(postgres, redis), the heads volume and the published port are mapped to this machine."""

import json
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import yaml

from bench.stack import free_port
from tests.conftest import PG_ADMIN_URL, unique_db_name
from tests.stack import BIN, ROOT, Process, drop_database, require_services

pytestmark = [pytest.mark.scenario, pytest.mark.postgres]
SERVICES: dict[str, dict[str, Any]] = yaml.safe_load(
    (ROOT / "docker-compose.yml").read_text())["services"]
PROGRAMS = {"python": sys.executable, "celery": str(BIN / "celery"),
            "uvicorn": str(BIN / "uvicorn")}
_VARIABLE = re.compile(r"\$\{([A-Z0-9_]+)(?:(:-|:\?)([^}]*))?\}")


def dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as compose reads them (quotes around a value dropped)."""
    found = {}
    for line in path.read_text().splitlines():
        if re.match(r"^[A-Z][A-Z0-9_]*=", line):
            key, value = line.split("=", 1)
            found[key] = value[1:-1] if value[:1] == value[-1:] == '"' and len(value) > 1 else value
    return found


def interpolate(value: str, known: dict[str, str]) -> str:
    """`${VAR}`, `${VAR:-default}`, `${VAR:?error}` as compose substitutes them."""
    def one(match: re.Match[str]) -> str:
        name, operator, argument = match.groups()
        if known.get(name):
            return known[name]
        assert operator == ":-", f"compose would refuse to start: {name} ({argument})"
        return argument
    return _VARIABLE.sub(one, value)


def on_this_machine(value: str, heads: Path) -> str:
    return (value.replace("@postgres:5432/", "@127.0.0.1:5432/")
            .replace("redis://redis:6379", "redis://127.0.0.1:6379")
            .replace("/app/data/heads", str(heads)))


class Compose:
    """The compose project's variables (.env), its run folder, and its services' processes."""

    def __init__(self, run: Path) -> None:
        self.run = run
        self.heads = run / "heads"
        self.heads.mkdir()
        self.env_file = run / ".env"
        self.processes: list[Process] = []
        self.port = free_port()

    @property
    def variables(self) -> dict[str, str]:
        return dotenv(self.env_file)

    def environment(self, service: str) -> dict[str, str]:
        """What the container would get: env_file entries, then `environment`."""
        env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(self.run)}
        for entry in SERVICES[service].get("env_file", []):
            path = ROOT / (entry["path"] if isinstance(entry, dict) else entry)
            path = self.run / path.name if path.name == "ledger.env" else path
            if path.exists():
                env |= dotenv(path)
        for key, value in SERVICES[service].get("environment", {}).items():
            env[key] = on_this_machine(interpolate(str(value), self.variables), self.heads)
        return env

    def command(self, service: str) -> list[str]:
        args = [interpolate(str(a), self.variables) for a in SERVICES[service]["command"]]
        args[0] = PROGRAMS[args[0]]
        for flag, value in (("--port", str(self.port)), ("--workers", "2"),
                            ("--schedule", str(self.run / "celerybeat-schedule")),
                            ("-n", f"worker-{uuid.uuid4().hex[:8]}@%h")):
            if flag in args:
                args[args.index(flag) + 1] = value
        return args

    def start(self, service: str) -> Process:
        process = Process(self.command(service), self.environment(service),
                          self.run / f"{service}.log")
        self.processes.append(process)
        return process


@pytest.fixture(scope="module")
def compose(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Compose]:
    require_services()
    project = Compose(tmp_path_factory.mktemp("compose"))
    name = unique_db_name("ledger_compose")
    project.env_file.write_text(f"POSTGRES_DB={name}\n")
    # The one set-up step compose documents, then the app overrides compose reads from
    # ledger.env: a queue of this test's own, and heads every few seconds.
    step = subprocess.run(["bash", str(ROOT / "scripts" / "compose-secrets.sh")],  # noqa: S603, S607
                          env={"PATH": "/usr/bin:/bin", "ENV_FILE": str(project.env_file)},
                          capture_output=True, text=True, check=True)
    assert "ADMIN_PASSWORD=" in step.stdout
    (project.run / "ledger.env").write_text(
        f"CELERY_NAMESPACE=compose{uuid.uuid4().hex[:8]}\nCHECKPOINT_INTERVAL_SECONDS=3\n")
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        owner = subprocess.run(  # noqa: S603 - the postgres image's first start, as its superuser
            ["sh", str(ROOT / "scripts" / "db" / "create_owner.sh")],  # noqa: S607
            env={"PATH": "/usr/bin:/bin", "PGHOST": "127.0.0.1", "POSTGRES_USER": "postgres",
                 "POSTGRES_DB": name, "DB_OWNER_PASSWORD": project.variables["DB_OWNER_PASSWORD"]},
            capture_output=True, text=True, check=False)
        assert owner.returncode == 0, owner.stderr
        migrate = project.start("migrate")
        assert migrate.proc.wait(timeout=180) == 0, migrate.tail()
        for service in ("worker", "webhooks", "beat", "api"):
            project.start(service)
        wait_up(project)
        yield project
    finally:
        for process in project.processes:
            process.stop()
        drop_database(PG_ADMIN_URL, name)
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP ROLE IF EXISTS "{name}_owner"')


def wait_up(project: Compose) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        for process in project.processes[1:]:
            assert process.proc.poll() is None, f"{process.name} exited:\n{process.tail()}"
        try:
            if httpx.get(f"http://127.0.0.1:{project.port}/api/health", timeout=2).is_success:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail("the compose services did not come up:\n" +
                "\n".join(p.tail() for p in project.processes))


def test_a_proof_from_the_compose_services_verifies_with_the_secrets_steps_public_key(
    compose: Compose, tmp_path: Path,
) -> None:
    known = compose.variables
    worker = compose.environment("worker")
    assert worker["CHECKPOINT_KEY"] == known["CHECKPOINT_KEY"]
    for service in ("api", "beat"):  # .env.example leaves it empty; only the worker gets one
        assert not compose.environment(service)["CHECKPOINT_KEY"], service
    with httpx.Client(base_url=f"http://127.0.0.1:{compose.port}", timeout=30) as client:
        token = client.post("/api/auth/token", data={"username": known["ADMIN_EMAIL"],
                                                     "password": known["ADMIN_PASSWORD"]})
        assert token.status_code == 200, token.text  # the first admin, from the secrets step
        admin = {"Authorization": f"Bearer {token.json()['access_token']}"}
        starts = (datetime.now(UTC) + timedelta(days=9)).isoformat()
        event = client.post("/api/events", headers=admin, json={
            "name": "Compose night", "starts_at": starts, "total_seats": 3, "price": "5.00"})
        assert event.status_code == 201, event.text
        booked = client.post(f"/api/events/{event.json()['id']}/book", headers=admin,
                             json={"quantity": 1})
        assert booked.status_code == 201, booked.text
        started = time.monotonic()
        while (proof := client.get(f"/api/audit/proofs/bookings/{booked.json()['id']}",
                                   headers=admin)).status_code == 409:
            assert time.monotonic() - started < 90, proof.text
            time.sleep(min(float(proof.headers.get("Retry-After", "1")), 3.0))
        assert proof.status_code == 200, proof.text
        advertised = client.get("/api/audit/public-key").json()
    public = json.loads(known["CHECKPOINT_PUBLIC_KEYS"])[0]
    assert [k["key_id"] for k in advertised["keys"]] == [proof.json()["head"]["key_id"]]
    (tmp_path / "key.txt").write_text(public, encoding="ascii")
    (tmp_path / "proof.json").write_text(proof.text, encoding="utf-8")
    checked = subprocess.run([sys.executable, "-I", str(ROOT / "tools" / "verify_export.py"),  # noqa: S603
                              "--proof", str(tmp_path / "proof.json"),
                              "--key", str(tmp_path / "key.txt")],
                             capture_output=True, text=True, check=False, timeout=60)
    assert checked.returncode == 0 and "is leaf" in checked.stdout, checked.stdout
    assert (compose.heads / "checkpoints.jsonl").exists()  # shipped by the worker
