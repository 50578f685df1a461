"""A private PostgreSQL cluster and a private Redis that a run may stop, kill and restart.

The machine's shared servers (5432, 6379) serve other runs: neither the chaos soak nor the
fault tests (tests/reliability) touch them. Each server here lives on a free port of its own,
with its data in a temporary directory. A binary this machine lacks is a `MissingTool` (the
fault tests skip on it, or fail in CI).
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
import redis
from sqlalchemy.engine import make_url

from bench import stack, watchdog
from bench.stack import free_port


class MissingTool(RuntimeError):
    """A server binary, or the user to run it as, that this machine lacks."""


def need(found: str | None, what: str) -> str:
    if found is None:
        raise MissingTool(f"{what} is needed for the private servers")
    return found


def pg_bin() -> Path:
    """The newest installed PostgreSQL's bin directory."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]))
    initdb = found[-1] if found else shutil.which("initdb")
    return Path(need(initdb, "PostgreSQL's initdb")).parent


class PrivatePostgres:
    """A throwaway cluster in a temp dir on a port of its own; trust auth, user `postgres`."""

    def __init__(self, prefix: str = "chaos-pg-", shared_buffers: str = "128MB",
                 initdb: bool = True) -> None:
        self.bin = pg_bin()
        self.port = free_port()
        self.shared_buffers = shared_buffers
        self.dir = Path(tempfile.mkdtemp(prefix=prefix))
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        self._as: list[str] = []
        self._watchdog: watchdog.Watchdog | None = None
        if os.geteuid() == 0:  # initdb refuses root: the server runs as `postgres`
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise MissingTool("a `postgres` system user (run as root)") from None
            os.chown(self.dir, owner.pw_uid, owner.pw_gid)
            self._as = [need(shutil.which("runuser"), "runuser"), "-u", "postgres", "--"]
        if initdb:  # initdb's pg_hba.conf lets 127.0.0.1 replicate (trust), as replicas need
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
        # on: with it off an acknowledged commit can vanish in a crash, which no run may allow.
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 "
                   f"-c unix_socket_directories={self.dir} -c max_connections=300 "
                   f"-c fsync=off -c full_page_writes=off -c shared_buffers={self.shared_buffers}")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options,
                  "-w", "-t", "60", "start")
        # pg_ctl detaches the server: this stops it should this process die without `stop`.
        self._watchdog = watchdog.Watchdog([*self._as, str(self.bin / "pg_ctl"), "-D",
                                            str(self.data), "-m", "immediate", "stop"])

    def stop(self, mode: str = "fast") -> None:
        """`immediate` is a crash: no checkpoint, recovery from the WAL at the next start."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop",
                  check=False)
        if self._watchdog is not None:
            self._watchdog.dismiss()
            self._watchdog = None

    def pids(self) -> list[int]:
        """The postmaster and its backends (for the memory samples)."""
        try:
            postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return []
        return [postmaster, *stack.children(postmaster)]

    def database(self, name: str) -> str:
        """A new database on this server: its SQLAlchemy URL."""
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


class PrivateReplica(PrivatePostgres):
    """A streaming replica of a running private cluster (`pg_basebackup -R`: it follows the
    primary over its own replication connection), on a port of its own, read-only."""

    def __init__(self, primary: PrivatePostgres, prefix: str = "chaos-replica-") -> None:
        super().__init__(prefix, primary.shared_buffers, initdb=False)
        self._run("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
                  "-D", str(self.data), "-R", "-X", "stream", "-c", "fast", "--no-sync")

    def url(self, database_url: str) -> str:
        """`database_url` (a database of the primary, as any role) on this replica."""
        url = make_url(database_url).set(host="127.0.0.1", port=self.port)
        return url.render_as_string(hide_password=False)

    def delay_replay(self, seconds: float) -> None:
        """Replay each transaction `seconds` after the primary committed it (0: at once): a
        replica that trails, on purpose."""
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f"ALTER SYSTEM SET recovery_min_apply_delay = '{int(seconds * 1000)}ms'")
            conn.execute("SELECT pg_reload_conf()")


class PrivateRedis:
    """A `redis-server` on a port of its own, without persistence."""

    def __init__(self, log_dir: Path) -> None:
        self.binary = need(shutil.which("redis-server"), "redis-server")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}"
        self.log = log_dir / f"redis-{self.port}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self._watchdog: watchdog.Watchdog | None = None

    def start(self) -> None:
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--logfile", str(self.log)]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL,  # noqa: S603 - fixed binary
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        self._watchdog = watchdog.killing_group(self.proc.pid)  # dies with this process
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping():
                    return
            except redis.RedisError:
                time.sleep(0.1)
        raise RuntimeError(f"redis-server did not start on {self.port}")

    def stop(self) -> None:
        """Kill it outright, as a crash would: queued messages are lost, no save."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        if self._watchdog is not None:
            self._watchdog.dismiss()
            self._watchdog = None
        self.proc = None

    def pids(self) -> list[int]:
        return [self.proc.pid] if self.proc is not None and self.proc.poll() is None else []


def uvicorn_workers(supervisor: int) -> list[int]:
    """The API's worker processes (not the supervisor's resource tracker)."""
    found = []
    for pid in stack.children(supervisor):
        try:
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
        except OSError:  # gone meanwhile
            continue
    return found


def wait_for_postgres(admin_url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg.connect(admin_url, connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
