"""Metrics across processes, and the rebuild benchmark's smoke run."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pg import require_postgres

ROOT = Path(__file__).resolve().parents[2]
COUNT_ONE_BOOKING = """
from core.metrics import COMMANDS, exposition
COMMANDS.labels("book", "ok").inc()
print(exposition().decode())
"""


def run(code: list[str], **env: str) -> str:
    done = subprocess.run([sys.executable, *code], cwd=ROOT, env={**os.environ, **env},  # noqa: S603
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_multiprocess_mode_adds_up_every_process(tmp_path: Path) -> None:
    for _ in range(2):  # two processes, as two uvicorn workers would be
        run(["-c", COUNT_ONE_BOOKING], PROMETHEUS_MULTIPROC_DIR=str(tmp_path))
    assert list(tmp_path.glob("counter_*.db"))
    text = run(["-c", "from core.metrics import exposition; print(exposition().decode())"],
               PROMETHEUS_MULTIPROC_DIR=str(tmp_path))
    assert 'ledger_commands_total{command="book",outcome="ok"} 2.0' in text


# Benchmarks' smoke runs: their numbers are printed, never asserted, so they run beside the
# other scenarios rather than alone.
@pytest.mark.scenario
def test_the_rebuild_benchmark_runs_and_prints_its_numbers() -> None:
    require_postgres()
    out = run(["-m", "bench.rebuild", "--events", "2000"])
    assert "filled 2,0" in out and "rebuild_all (5 projections together" in out
    assert "memory growth" in out and "bookings      alone" in out


@pytest.mark.scenario
def test_the_time_travel_benchmark_runs_and_prints_its_numbers() -> None:
    require_postgres()
    out = run(["-m", "bench.timetravel", "--events", "600", "--queries", "8"])
    assert "stream of 600 events written" in out
    for line in ("cold: state_at(version), no cache", "state_at(at=random time)",
                 "GET …/state?version=random"):
        assert line in out


def test_the_generated_first_admin_is_none_of_the_sample_users() -> None:
    """`SEED=1 ./scripts/run.sh` loads the sample users unless the first one exists: a first
    admin generated with a sample user's email would make seeding a silent no-op and print a
    password that is not that account's."""
    import json  # noqa: PLC0415
    import re  # noqa: PLC0415

    samples = {u["email"] for u in json.loads((ROOT / "seed" / "data.json").read_text())["users"]}
    for script in ("run.sh", "run.ps1"):
        text = (ROOT / "scripts" / script).read_text()
        generated = re.findall(r"([\w.+-]+@[\w.-]+) ", text)
        assert generated, f"{script}: no generated admin email found"
        assert not set(generated) & samples, (script, generated)
