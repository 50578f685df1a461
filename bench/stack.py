"""The benchmarked system as local processes: its own PostgreSQL database, Celery workers and
beat on Redis, the API (several uvicorn processes on uvloop + httptools: TCP_NODELAY stays on)
and the CRUD baseline served the same way."""

import base64
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
from sqlalchemy.engine import make_url

from bench import watchdog
from ops import roles
from projections.proofs import signing_keys

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_ADMIN_URL = os.environ.get("PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379")
# How long a server started here (an API, a worker, localstripe) may take to answer first: against
# a hang, never a measure. Beside the end-to-end runs on two busy cores, each process's import of
# the app is many times slower than on a quiet machine.
STARTUP_SECONDS = 180.0


class Process:
    """A child process logging to a file, in its own process group, stopped on exit."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], logs: Path) -> None:
        self.name = name
        self.log = logs / f"{name}.log"
        self._out = self.log.open("ab")  # a restarted process appends
        self.proc = subprocess.Popen(  # noqa: S603 - our own binaries, fixed arguments
            args, env=env, cwd=ROOT, stdout=self._out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        # Its group dies with this process even if it is killed and runs no `stop`.
        self._watchdog = watchdog.killing_group(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait()
        self._watchdog.dismiss()
        self._out.close()

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def pids(self) -> list[int]:
        """The process and its children (uvicorn's workers; celery's pool)."""
        return [self.proc.pid, *children(self.proc.pid)]

    def rss_mb(self) -> list[float]:
        """Resident memory of each child (uvicorn's workers; celery's pool) or of itself; a
        child gone between the listing and the reading (a short-lived helper) is left out."""
        pids = children(self.proc.pid) or [self.proc.pid]
        found = []
        for pid in pids:
            try:
                found.append(rss_mb(pid))
            except FileNotFoundError:
                continue
        return found


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return sorted(found)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def create_database(prefix: str = "bench", admin_url: str = PG_ADMIN_URL) -> tuple[str, str]:
    """A fresh database: (its name, its SQLAlchemy URL)."""
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return name, f"{base}/{name}"


def drop_database(name: str, admin_url: str = PG_ADMIN_URL) -> None:
    """Drop it, and the roles `migrate` made for it (ops/roles.py: `<database>_api|worker`)."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'DROP ROLE IF EXISTS "{name}_worker", "{name}_api"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def local_stripe(logs: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """localstripe (`ops.local_stripe`) on a free port of 127.0.0.1 until the block ends; its
    address, once it answers."""
    port = free_port()
    server = Process("localstripe", [sys.executable, "-m", "ops.local_stripe", "--port",
                                     str(port)], env if env is not None else dict(os.environ),
                     logs)
    base = f"http://127.0.0.1:{port}"
    try:
        local_stripe_answers(base, server)
        yield base
    finally:
        server.stop()


def local_stripe_answers(base: str, server: "Process", wait: float = STARTUP_SECONDS) -> None:
    """Back once the localstripe `server` started at `base` answers (its Stripe.js served);
    RuntimeError with its log's tail when it stops or does not answer within `wait`."""
    deadline = time.monotonic() + wait
    while True:
        try:
            if httpx.get(f"{base}/js.stripe.com/v3/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if server.proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"localstripe did not start:\n{server.tail()}")
        time.sleep(0.05)


def system_env(database_url: str, metrics_dir: Path, admin: tuple[str, str],
               redis_url: str = REDIS_URL) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "CELERY_"))}
    password = secrets.token_hex(16)
    key_file = metrics_dir.parent / "checkpoint-key.pem"
    env.update(
        DATABASE_URL=database_url,  # the owner's: `migrate` and the CRUD baseline
        # `migrate` sets these roles up; the API and the workers connect as them (`role_env`).
        API_DATABASE_URL=roles.role_url(database_url, "api", password),
        WORKER_DATABASE_URL=roles.role_url(database_url, "worker", password),
        CELERY_BROKER_URL=f"{redis_url}/0",
        CELERY_NAMESPACE=f"bench{secrets.token_hex(4)}",
        ENVIRONMENT="development",
        SECRET_KEY=secrets.token_urlsafe(32),
        # As a deployment gives the API, the workers and `migrate` (where the workers have no
        # SECRET_KEY to derive it from).
        WEBHOOK_SECRET_KEYS=json.dumps([secrets.token_urlsafe(32)]),
        PERSONAL_DATA_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
        ADMIN_EMAIL=admin[0],
        ADMIN_PASSWORD=admin[1],
        PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
        # The workers sign the tree heads; the API trusts the key's public half.
        CHECKPOINT_KEY_FILE=str(key_file),
        CHECKPOINT_PUBLIC_KEYS=json.dumps([signing_keys.public_text(
            signing_keys.from_file(key_file).public_key())]),
        CHECKPOINT_LOG_FILE=str(metrics_dir.parent / "checkpoints.jsonl"),
        # The buyers' messages (no SMTP server here) beside the run's logs, not in the repo's
        # data/ of the embedded default.
        MAIL_OUTBOX_DIR=str(metrics_dir.parent / "outbox"),
        # The repo first; a caller's own entries after it (e.g. bench/chaos/heapwatch).
        PYTHONPATH=os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
        SQL_ECHO="false",
        # The load's clients sign up and in from one address within a minute: the auth
        # limits guard a real deployment, not a benchmark's setup.
        AUTH_RATE_PER_IP="100000/minute",
        SIGNUP_RATE_PER_IP="100000/hour",
        # Both systems, per process and pool: the local server allows 100 connections in all.
        DB_POOL_SIZE=os.environ.get("DB_POOL_SIZE", "4"),
        DB_MAX_OVERFLOW=os.environ.get("DB_MAX_OVERFLOW", "4"),
    )
    return env


def migrate(env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "ops.migrate"], env=env, cwd=ROOT,  # noqa: S603
                   check=True, capture_output=True)


def role_env(env: dict[str, str], kind: str) -> dict[str, str]:
    """`env` for the API or a worker: its own role's URL and no other."""
    out = {k: v for k, v in env.items() if k not in roles.ENV}
    out["DATABASE_URL"] = env[f"{kind.upper()}_DATABASE_URL"]
    if kind != "worker":  # the signer's key is the workers' alone
        out.pop("CHECKPOINT_KEY_FILE", None)
    return out


def start_worker(env: dict[str, str], logs: Path, i: int) -> Process:
    """Celery worker number `i`, as the workers' role (`worker{i}`, its log appended to)."""
    args = [str(BIN / "celery"), "-A", "workers.celery_app", "worker", "--pool", "threads",
            "--concurrency", "4", "--loglevel", "WARNING", "--without-gossip",
            "--without-mingle", "-n", f"bench{i}-{env['CELERY_NAMESPACE']}@%h"]
    return Process(f"worker{i}", args, role_env(env, "worker"), logs)


def start_webhooks_worker(env: dict[str, str], logs: Path) -> Process:
    """The webhooks' worker (their queue alone, prefork: `workers.webhooks.worker`), as the
    workers' role without the signer's key (it signs nothing)."""
    args = [str(BIN / "python"), "-m", "workers.webhooks.worker", "--concurrency", "1",
            "--loglevel", "WARNING", "--without-gossip", "--without-mingle",
            "-n", f"benchwebhooks-{env['CELERY_NAMESPACE']}@%h"]
    own = role_env(env, "worker")
    own.pop("CHECKPOINT_KEY_FILE", None)
    return Process("webhooks", args, own, logs)


def start_workers(env: dict[str, str], logs: Path, count: int) -> list[Process]:
    """`count` Celery workers, the webhooks' worker and beat, as the workers' role."""
    procs = [start_worker(env, logs, i) for i in range(1, count + 1)]
    procs.append(start_webhooks_worker(env, logs))
    env = role_env(env, "worker")
    beat = [str(BIN / "celery"), "-A", "workers.celery_app", "beat", "--loglevel", "WARNING",
            "--schedule", str(logs / "celerybeat-schedule")]
    procs.append(Process("beat", beat, env, logs))
    return procs


@dataclass
class Served:
    """An app behind uvicorn: one process whose `--workers` share its socket (the kernel hands
    each new connection to whichever worker accepts first), or one process per port, whose
    `urls` a load generator deals its clients over, as a balancer would."""

    procs: list[Process]
    urls: list[str]

    def pids(self) -> list[int]:
        return [pid for proc in self.procs for pid in proc.pids()]

    def rss_mb(self) -> list[float]:
        return [mb for proc in self.procs for mb in proc.rss_mb()]

    def stop(self) -> None:
        for proc in self.procs:
            proc.stop()


def serve(  # noqa: PLR0913 - where and how it runs
    name: str, app: str, env: dict[str, str], logs: Path, processes: int, *,
    apart: bool = False,
) -> tuple[Served, str]:
    """`app` behind uvicorn in `processes` workers sharing a port, or each on a port of its own
    (`apart`); returns them and the (first) base URL once each answers."""
    if not apart:
        proc, url = _serve(name, app, env, logs, processes)
        return Served([proc], [url]), url
    procs, urls = [], []
    try:
        for i in range(processes):
            proc, url = _serve(f"{name}-{i}", app, env, logs, 1)
            procs.append(proc)
            urls.append(url)
    except BaseException:
        for proc in procs:
            proc.stop()
        raise
    return Served(procs, urls), urls[0]


def _serve(name: str, app: str, env: dict[str, str], logs: Path,
           processes: int) -> tuple[Process, str]:
    port = free_port()
    workers = ["--workers", str(processes)] if processes > 1 else []
    args = [str(BIN / "uvicorn"), app, "--host", "127.0.0.1", "--port", str(port), *workers,
            "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning"]
    proc = Process(name, args, env, logs)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.proc.poll() is not None:
            raise RuntimeError(f"{name} exited early:\n{proc.tail()}")
        try:
            if httpx.get(f"{url}/api/health", params={"checks": "false"}, timeout=2).is_success:
                time.sleep(0.5 * processes)  # the other workers finish starting
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.stop()
    raise RuntimeError(f"{name} did not start:\n{proc.tail()}")


@dataclass
class System:
    """The started system: its database, environment, logs, processes and the API's URL."""

    db_name: str
    env: dict[str, str]
    logs: Path
    api: Served
    url: str
    procs: list[Process] = field(default_factory=list)  # stopped, last first, at the end

    def workers(self) -> list[int]:
        """The pids of the Celery workers (the webhooks' too) and beat, with their pools."""
        return self.pids_of("worker", "webhooks", "beat")

    def pids_of(self, *names: str) -> list[int]:
        """The pids of the processes started under these names (or names starting so)."""
        return [pid for p in self.procs if p.name.startswith(names) for pid in p.pids()]


@contextmanager
def system(prefix: str, admin: tuple[str, str], *, workers: int, api_processes: int,  # noqa: PLR0913 - where it runs
           admin_url: str = PG_ADMIN_URL, redis_url: str = REDIS_URL,
           extra_env: dict[str, str] | None = None,
           replica_ports: Sequence[int] = (), apart: bool = False) -> Iterator[System]:
    """A database of its own, migrated; Celery workers and beat, then the API, each as its
    role (`extra_env` added to every one's environment; the API reads on the streaming
    replicas of `admin_url`'s server listening on `replica_ports`, if any; `apart`: its
    processes each on a port of its own, see `serve`). On exit every
    process started (also those added to `procs`) stops and the database is dropped."""
    db_name, database_url = create_database(prefix, admin_url)
    logs = Path(tempfile.mkdtemp(prefix=f"{prefix}-logs-"))
    (logs / "metrics").mkdir()
    env = system_env(database_url, logs / "metrics", admin, redis_url) | (extra_env or {})
    api_env = role_env(env, "api")
    if replica_ports:
        api_env["READ_DATABASE_URLS"] = json.dumps([
            make_url(api_env["DATABASE_URL"]).set(port=port).render_as_string(
                hide_password=False) for port in replica_ports])
    procs: list[Process] = []
    try:
        migrate(env)
        procs += start_workers(env, logs, workers)
        api, url = serve("api", "query_api.main:app", api_env, logs, api_processes, apart=apart)
        procs += api.procs
        yield System(db_name, env, logs, api, url, procs)
    finally:
        for proc in reversed(procs):
            proc.stop()
        drop_database(db_name, admin_url)
