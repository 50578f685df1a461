"""No public secret by default: the placeholder signs nothing outside the test settings."""

import os
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from core import secretfile
from core.db import reset_singletons
from core.settings import DEV_SECRET, ROOT, Settings, get_settings
from ops.migrate import migrate
from query_api.service.app import create_app

ADMIN = ("first-admin@example.com", "first-admin-password")
PG_URL = "postgresql+psycopg://ledger@db.invalid:5432/ledger"


def default_start(monkeypatch: pytest.MonkeyPatch, database_url: str, **env: str) -> None:
    """The process environment of a start without run.sh: no ENVIRONMENT, no SECRET_KEY."""
    for key in ("ENVIRONMENT", "SECRET_KEY", "CELERY_BROKER_URL", "API_DOCS", "METRICS",
                "METRICS_TOKEN", "TRUSTED_PROXIES"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("DATABASE_URL", database_url)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    reset_singletons()


@pytest.fixture
def embedded_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """`uvicorn query_api.main:app` on the embedded default, with a first admin."""
    default_start(monkeypatch, f"sqlite:///{tmp_path / 'data' / 'ledger.db'}",
                  ADMIN_EMAIL=ADMIN[0], ADMIN_PASSWORD=ADMIN[1])
    assert get_settings().environment == "development"
    migrate(get_settings())
    with TestClient(create_app()) as client:
        yield client
    reset_singletons()


def test_a_token_forged_with_the_placeholder_is_refused_on_a_default_start(
    embedded_start: TestClient, tmp_path: Path
) -> None:
    response = embedded_start.post("/api/auth/token",
                                   data={"username": ADMIN[0], "password": ADMIN[1]})
    assert response.status_code == 200, response.text
    token = response.json()["access_token"]
    real = {"Authorization": f"Bearer {token}"}
    assert embedded_start.get("/api/users", headers=real).status_code == 200
    # The attacker knows the public placeholder and the admin's id: same claims, their key.
    claims = jwt.decode(token, options={"verify_signature": False})
    forged = jwt.encode(claims, DEV_SECRET, algorithm="HS256")
    answer = embedded_start.get("/api/users", headers={"Authorization": f"Bearer {forged}"})
    assert answer.status_code == 401, answer.text
    # The secret actually used: random, made once beside the database, readable by its owner only.
    secret_file = tmp_path / "data" / "secret-key"
    assert get_settings().secret_key_file == secret_file
    assert get_settings().secret_key == secret_file.read_text().strip() != DEV_SECRET
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600


@pytest.mark.parametrize("environment", ["development", "production"])
def test_the_placeholder_is_refused_outside_the_test_settings(
    environment: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database_url = f"sqlite:///{tmp_path / 'ledger.db'}"
    with pytest.raises(ValidationError, match="placeholder"):
        Settings(environment=environment, secret_key=DEV_SECRET, database_url=database_url)
    default_start(monkeypatch, database_url, ENVIRONMENT=environment, SECRET_KEY=DEV_SECRET)
    with pytest.raises(ValidationError, match="placeholder"):
        create_app()
    assert Settings(environment="test", secret_key=DEV_SECRET).secret_key == DEV_SECRET


def test_a_short_secret_is_refused_outside_the_test_settings() -> None:
    with pytest.raises(ValidationError, match="at least 32 characters"):
        Settings(environment="development", secret_key="short-but-not-empty")
    with pytest.raises(ValidationError) as refused:
        Settings(environment="production", secret_key="hunter2-hunter2")
    assert "hunter2" not in str(refused.value)  # the input is never echoed into logs


@pytest.mark.parametrize(("environment", "database"), [
    ("production", "sqlite"), ("development", "postgresql"), ("production", "postgresql"),
])
def test_without_secret_key_the_api_refuses_to_start_outside_the_embedded_default(
    environment: str, database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}" if database == "sqlite" else PG_URL
    default_start(monkeypatch, url, ENVIRONMENT=environment)
    # Workers, migrations and the CLI sign nothing: they run without the secret...
    assert get_settings().secret_key == "" and get_settings().secret_key_file is None
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app()  # ... the API does not
    assert not (tmp_path / "secret-key").exists()


def test_processes_starting_together_make_one_secret_and_agree(tmp_path: Path) -> None:
    path, starters = tmp_path / "data" / "secret-key", 16
    barrier, seen = threading.Barrier(starters), []

    def start() -> None:
        barrier.wait()
        seen.append(secretfile.read_or_create(path))

    threads = [threading.Thread(target=start) for _ in range(starters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == starters and len(set(seen)) == 1 and len(seen[0]) >= 32
    assert os.listdir(path.parent) == ["secret-key"]  # no temporary file left behind
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_run_sh_makes_the_secret_file_the_api_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for script in ("run.sh", "run.ps1"):
        assert "-m ops.secret" in (ROOT / "scripts" / script).read_text(), script
    database_url = f"sqlite:///{tmp_path / 'data' / 'ledger.db'}"
    env = {k: v for k, v in os.environ.items() if k not in ("ENVIRONMENT", "SECRET_KEY")}
    done = subprocess.run([sys.executable, "-m", "ops.secret"], cwd=ROOT,  # noqa: S603
                          env=env | {"DATABASE_URL": database_url}, capture_output=True,
                          text=True, timeout=60, check=True)
    secret_file = tmp_path / "data" / "secret-key"
    assert str(secret_file) in done.stdout and secret_file.read_text().strip() not in done.stdout
    default_start(monkeypatch, database_url)
    assert get_settings().secret_key == secret_file.read_text().strip()


def test_an_unusable_secret_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)  # the suite's own (tests/conftest.py)
    (tmp_path / "secret-key").write_text("too short\n")
    with pytest.raises(ValidationError, match="fewer than 32 characters"):
        Settings(environment="development", database_url=f"sqlite:///{tmp_path / 'l.db'}")
