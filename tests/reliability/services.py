"""Private PostgreSQL and Redis servers that a test may stop, kill and restart at will.

The shared servers (5432, 6379) serve other test runs and CI: fault tests never touch them.
A missing binary fails the test in CI and skips it elsewhere.
"""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
import redis

from tests.conftest import IN_CI
from tests.stack import free_port


def _need(found: str | None, what: str) -> str:
    if found is None:
        message = f"{what} is needed for the fault tests"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return found


def _pg_bin() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                        key=lambda p: int(Path(p).parts[-3]))
    initdb = candidates[-1] if candidates else shutil.which("initdb")
    return Path(_need(initdb, "PostgreSQL's initdb")).parent


class PrivatePostgres:
    """A throwaway cluster in a temp dir on a port of its own; trust auth, user `postgres`."""

    def __init__(self) -> None:
        self.bin = _pg_bin()
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="ledger-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        self._as: list[str] = []
        if os.geteuid() == 0:  # initdb refuses root: run the server as the `postgres` user
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                _need(None, "a `postgres` system user (the tests run as root)")
            os.chown(self.dir, owner.pw_uid, owner.pw_gid)
            self._as = [_need(shutil.which("runuser"), "runuser"), "-u", "postgres", "--"]
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        self.admin_url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str, check: bool = True) -> None:
        done = subprocess.run([*self._as, str(self.bin / tool), *args],  # noqa: S603 - fixed tools
                              capture_output=True, text=True, check=False, timeout=120)
        if check and done.returncode != 0:
            raise RuntimeError(f"{tool} failed: {done.stdout}{done.stderr}\n{self.tail()}")

    def start(self) -> None:
        # fsync off: a killed server loses nothing the OS already has. synchronous_commit stays
        # on: with it off an acknowledged commit can vanish in a crash, which no test may allow.
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 "
                   f"-c unix_socket_directories={self.dir} -c max_connections=300 "
                   "-c fsync=off -c full_page_writes=off "
                   "-c shared_buffers=64MB")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options,
                  "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        """`immediate` is a crash: no checkpoint, recovery from the WAL at the next start."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop",
                  check=False)

    def database(self, name: str) -> str:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivateRedis:
    """A `redis-server` on a port of its own, without persistence."""

    def __init__(self, log_dir: Path) -> None:
        self.binary = _need(shutil.which("redis-server"), "redis-server")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = log_dir / f"redis-{self.port}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        # fsync off: a killed server loses nothing the OS already has. synchronous_commit stays
        # on: with it off an acknowledged commit can vanish in a crash, which no test may allow.
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--logfile", str(self.log)]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL,  # noqa: S603 - fixed binary
                                     stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping():
                    return
            except redis.RedisError:
                time.sleep(0.1)
        raise RuntimeError(f"redis-server did not start on {self.port}")

    def stop(self) -> None:
        """Kill it outright (as a crash would): queued messages are lost, no save."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc = None
