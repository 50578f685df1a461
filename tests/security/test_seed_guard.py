"""The sample data makes admin@example.com with a password published in seed/data.json: its
loaders refuse a production environment, before anything is written."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from core.db import reset_singletons
from core.settings import ROOT, Settings
from ops.migrate import migrate
from seed import load
from tests.conftest import configure

SAMPLE_ADMIN = "admin@example.com"


def _users(database: Path) -> list[str]:
    with sqlite3.connect(database) as conn:
        return [email for (email,) in conn.execute("SELECT email FROM users")]


def test_python_m_seed_load_refuses_production(tmp_path: Path) -> None:
    database = tmp_path / "ledger.db"
    migrate(Settings(environment="test", database_url=f"sqlite:///{database}"))
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "CELERY_BROKER_URL")}
    env |= {"ENVIRONMENT": "production", "DATABASE_URL": f"sqlite:///{database}"}
    done = subprocess.run([sys.executable, "-m", "seed.load"], cwd=ROOT, env=env,  # noqa: S603
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode != 0, done.stdout + done.stderr
    assert "ENVIRONMENT=production" in done.stderr and "sample" in done.stderr, done.stderr
    assert SAMPLE_ADMIN not in _users(database)  # nothing written


def test_load_refuses_production_whoever_calls_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = configure(monkeypatch, DATABASE_URL=f"sqlite:///{tmp_path / 'ledger.db'}",
                         ENVIRONMENT="production")
    assert settings.environment == "production"
    with pytest.raises(load.SeedRefused, match="ENVIRONMENT=production"):
        load.main()
    reset_singletons()


def test_the_run_scripts_stop_when_the_seed_is_refused() -> None:
    run_sh = (ROOT / "scripts" / "run.sh").read_text()
    assert run_sh.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in run_sh
    run_ps1 = (ROOT / "scripts" / "run.ps1").read_text()
    after_seed = run_ps1.split("-m seed.load", 1)[1].splitlines()[1]
    assert "$LASTEXITCODE -ne 0" in after_seed, after_seed
