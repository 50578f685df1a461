"""The embedded default's data folder holds password hashes, ticket codes, personal data and
the signing keys: only its owner may read it, from the first byte written, with run.sh or not."""

import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from bench import watchdog
from core.db import reset_singletons
from core.settings import ROOT, get_settings
from ops.migrate import migrate
from query_api.service.app import create_app

ADMIN = ("first-admin@example.com", "first-admin-password")
BIN = Path(sys.executable).parent
# Set by the operator or not at all on a default start: none may leak in from the test run.
FOREIGN = ("ENVIRONMENT", "SECRET_KEY", "CELERY_", "DATABASE_", "ADMIN_", "CHECKPOINT_")


def modes(folder: Path) -> dict[str, int]:
    """The permission bits of the folder ("."), and of each file in it."""
    found = {".": stat.S_IMODE(folder.stat().st_mode)}
    found |= {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}
    return found


def assert_private(folder: Path, expected: set[str]) -> None:
    found = modes(folder)
    assert expected <= set(found), sorted(found)
    assert {name: oct(mode) for name, mode in found.items()} == {
        name: oct(0o700 if name == "." else 0o600) for name in found}


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The umask of most shells (022): files are readable by everyone unless made otherwise."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def sign_a_head(client: httpx.Client | TestClient, email: str, password: str) -> None:
    """Sign in and have the embedded signer sign a tree head (it makes its key on first use)."""
    response = client.post("/api/auth/token", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
    assert client.post("/api/audit/checkpoints", headers=headers).status_code == 201


def test_a_default_start_without_run_sh_keeps_its_data_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, usual_umask: None
) -> None:
    """`uvicorn query_api.main:app` on a fresh folder, no ENVIRONMENT and no SECRET_KEY."""
    for key in list(os.environ):
        if key.startswith(FOREIGN):
            monkeypatch.delenv(key)
    data = tmp_path / "fresh" / "data"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{data / 'ledger.db'}")
    monkeypatch.setenv("ADMIN_EMAIL", ADMIN[0])
    monkeypatch.setenv("ADMIN_PASSWORD", ADMIN[1])
    reset_singletons()
    assert get_settings().environment == "development"
    migrate(get_settings())
    with TestClient(create_app()) as client:
        sign_a_head(client, *ADMIN)
    reset_singletons()
    assert_private(data, {"ledger.db", "secret-key", "checkpoint-key.pem"})


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def checkout_of_run_sh(tmp_path: Path) -> Path:
    """A checkout of run.sh alone: setup done, this test run's Python and uvicorn."""
    checkout = tmp_path / "checkout"
    (checkout / "scripts").mkdir(parents=True)
    (checkout / ".venv" / "bin").mkdir(parents=True)
    run_sh = checkout / "scripts" / "run.sh"
    run_sh.write_text((ROOT / "scripts" / "run.sh").read_text())
    (checkout / "scripts" / "setup.sh").write_text("#!/bin/sh\nexit 0\n")
    for name, target in (("python", sys.executable), ("uvicorn", BIN / "uvicorn")):
        (checkout / ".venv" / "bin" / name).write_text(f'#!/bin/sh\nexec "{target}" "$@"\n')
    for script in (*(checkout / "scripts").iterdir(), *(checkout / ".venv" / "bin").iterdir()):
        script.chmod(0o755)
    return checkout


def wait_until_serving(client: httpx.Client, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while True:
        assert server.poll() is None and time.monotonic() < deadline, log.read_text()
        try:
            client.get("/api/health")
            return
        except httpx.HTTPError:
            time.sleep(0.2)


def test_run_sh_keeps_its_data_private_from_the_first_byte(tmp_path: Path) -> None:
    checkout, port = checkout_of_run_sh(tmp_path), free_port()
    data = checkout / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith(FOREIGN)}
    env |= {"DATABASE_URL": f"sqlite:///{data / 'ledger.db'}", "HOST": "127.0.0.1",
            "PORT": str(port), "PYTHONPATH": str(ROOT)}
    log = tmp_path / "run.log"
    with log.open("w") as out:
        server = subprocess.Popen(["/bin/bash", "-c", "umask 022 && exec scripts/run.sh"],
                                  cwd=checkout, env=env, stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    guard = watchdog.killing_group(server.pid)  # the server dies with this process, however
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            wait_until_serving(client, server, log)
            email, password = (data / "admin-credentials").read_text().split()
            sign_a_head(client, email, password)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        guard.dismiss()
    assert_private(data, {"ledger.db", "secret-key", "checkpoint-key.pem", "admin-credentials"})


def test_the_run_scripts_close_data_before_writing_in_it() -> None:
    run_sh = (ROOT / "scripts" / "run.sh").read_text()
    assert run_sh.index("umask 077") < run_sh.index("mkdir -p data") < run_sh.index(
        "> data/admin-credentials")
    run_ps1 = (ROOT / "scripts" / "run.ps1").read_text()
    assert run_ps1.index("chmod -R go-rwx data") < run_ps1.index("chmod 600 data/admin-cred") < (
        run_ps1.index("Set-Content -NoNewline data/admin-credentials"))
