"""The servers a test process starts die with it, even when it is killed outright (SIGKILL, a
native crash): a Celery worker or a private PostgreSQL left running would serve and hold ports
after the test command exits."""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.chaos import services
from tests.reliability.services import needed
from tests.stack import ROOT

# Starts one server the way the fixtures do, says its pid, then waits to be killed.
SERVER_STARTER = """
import sys, time
from pathlib import Path
from tests.stack import Process
server = Process([sys.executable, "-c", "import time; time.sleep(600)"], {}, Path(sys.argv[1]))
print(server.proc.pid, flush=True)
time.sleep(600)
"""
POSTGRES_STARTER = """
import time
from bench.chaos.services import PrivatePostgres
pg = PrivatePostgres(prefix="orphan-pg-", shared_buffers="16MB")
pg.start()
print(pg.pids()[0], pg.dir, flush=True)
time.sleep(600)
"""


def running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's zombie waits for an init that may never reap it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while running(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@contextmanager
def starter(script: str, *args: str) -> Iterator[tuple[subprocess.Popen[str], list[str]]]:
    """A process that starts a server and prints what it started; killed after the test."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", script, *args], cwd=ROOT, env=env,  # noqa: S603 - our script
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        yield proc, proc.stdout.readline().split()
    finally:
        proc.kill()
        proc.wait()


def test_a_server_dies_when_the_test_process_that_started_it_is_killed(tmp_path: Path) -> None:
    with starter(SERVER_STARTER, str(tmp_path / "server.log")) as (proc, said):
        server = int(said[0])
        try:
            assert running(server)
            proc.send_signal(signal.SIGKILL)  # no cleanup runs in the starter
            proc.wait()
            assert gone_within(server, 10)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server, signal.SIGKILL)


def test_a_private_postgres_stops_when_the_test_process_that_started_it_is_killed() -> None:
    with needed():
        services.pg_bin()
    with starter(POSTGRES_STARTER) as (proc, said):
        postmaster, data = int(said[0]), Path(said[1])
        try:
            assert running(postmaster)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            assert gone_within(postmaster, 20)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.kill(postmaster, signal.SIGKILL)
            shutil.rmtree(data, ignore_errors=True)
