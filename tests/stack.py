"""Real services for the distributed-mode tests: a PostgreSQL database per run, Celery worker
and API server processes started from this checkout's virtualenv."""

import contextlib
import os
import secrets
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import redis
from sqlalchemy.engine import make_url

from bench import stack
from bench.stack import free_port
from core.db import libpq_url
from ops import roles
from tests.conftest import IN_CI, PG_ADMIN_URL, REDIS_URL, unique_db_name

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# How often a stack's schedulers complete the events that are over (the workers' beat; the
# embedded API process's too, with the `prompt_completion` fixture).
COMPLETION_INTERVAL_SECONDS = 0.5
ROLE_PASSWORD = secrets.token_hex(16)  # of this run's roles (ignored where auth is `trust`)


def require_redis() -> None:
    """Fail in CI, skip elsewhere, when Redis is not reachable."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        message = f"Redis at {REDIS_URL} is not reachable: {exc}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


def require_services() -> None:
    """Fail in CI, skip elsewhere, when PostgreSQL or Redis is not reachable."""
    problems = []
    try:
        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except psycopg.Error as exc:
        problems.append(f"PostgreSQL at {PG_ADMIN_URL}: {exc}")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        problems.append(f"Redis at {REDIS_URL}: {exc}")
    if problems:
        message = "services missing: " + "; ".join(problems)
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def pg_database(prefix: str = "ledger_test") -> Iterator[str]:
    """A fresh, empty PostgreSQL database (its owner's URL); dropped afterwards, and its roles."""
    name = unique_db_name(prefix)
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        drop_database(PG_ADMIN_URL, name)


# Every table the migrations made, as the database lists them: one added later is emptied too
# (a rebuild claimed by one test, left in `projection_rebuilds`, refused the next one's).
TABLES = ("SELECT quote_ident(tablename) FROM pg_tables "
          "WHERE schemaname = current_schema() AND tablename <> 'alembic_version'")
# Which table refers to which: a referring table is emptied before the one it refers to.
REFERENCES = ("SELECT quote_ident(c.relname), quote_ident(p.relname) FROM pg_constraint f "
              "JOIN pg_class c ON c.oid = f.conrelid JOIN pg_class p ON p.oid = f.confrelid "
              "WHERE f.contype = 'f' AND f.connamespace = current_schema()::regnamespace")
SEQUENCES = ("SELECT quote_ident(sequencename) FROM pg_sequences "
             "WHERE schemaname = current_schema()")


def empty_database(database_url: str) -> None:
    """Delete every row of a migrated database (as its owner) and restart its sequences: the
    log's positions start at 1 again. Locked and deleted, not truncated: a test leaves a few rows,
    and TRUNCATE gives each table and index new files, ten times the time of deleting them.

    Twice: a stack's worker reads the log's head before its batch locks a row
    (`projections.batch_loop`), so a batch that read the old log's head, then queued for the
    tables behind the emptying, would write at that head after it: a webhook fan-out row made
    there skips the new log's first positions. The second pass waits for such a batch, queued
    ahead of it, and deletes what it wrote; each pass restarts the sequences first, so a head
    read while it runs waits for it and reads the new log's.
    """
    url = libpq_url(database_url)
    with psycopg.connect(url, autocommit=True) as conn:
        # A worker's batch holds its tracking row while it reads the log: do not queue behind
        # it (its next batch would queue behind this); give up quickly and retry.
        conn.execute("SET lock_timeout = '500ms'")
        tables = [row[0] for row in conn.execute(TABLES)]
        if not tables:
            raise RuntimeError("the database has no tables: was it migrated?")
        referrers = TopologicalSorter({table: set() for table in tables})
        for referring, referred in conn.execute(REFERENCES):
            referrers.add(referred, referring)  # the referring table first
        order = list(referrers.static_order())
        sequences = [row[0] for row in conn.execute(SEQUENCES)]
        for _ in range(2):
            _delete_all(conn, order, sequences)


def _delete_all(conn: psycopg.Connection[Any], order: list[str], sequences: list[str]) -> None:
    for _ in range(40):
        try:
            with conn.transaction():
                for sequence in sequences:
                    conn.execute(f"ALTER SEQUENCE {sequence} RESTART")
                # As TRUNCATE would: wait for every transaction that touched a table to end,
                # and keep the next out until the tables are empty (a worker's batch that read
                # the log before could otherwise write its position after).
                conn.execute(f"LOCK TABLE {', '.join(order)} IN ACCESS EXCLUSIVE MODE")
                for table in order:
                    conn.execute(f"DELETE FROM {table}")  # noqa: S608 - names quoted above
            return
        except psycopg.errors.LockNotAvailable:
            time.sleep(0.05)
    raise RuntimeError("could not empty the tables: a worker keeps them busy")


def drop_database(admin_url: str, name: str) -> None:
    """Drop a test database, then the roles ops.migrate made for it (roles span the server)."""
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    api, worker = (roles.Role.of(role).name for role in role_urls(url))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        # Still granted rights elsewhere: left, named after its database.
        with contextlib.suppress(psycopg.Error):
            conn.execute(f'DROP ROLE IF EXISTS "{worker}", "{api}"')


def role_urls(database_url: str) -> tuple[str, str]:
    """The URLs of the API's and the workers' roles of a test database (ops/roles.py)."""
    owner = as_owner(database_url)
    return (roles.role_url(owner, "api", ROLE_PASSWORD),
            roles.role_url(owner, "worker", ROLE_PASSWORD))


def as_owner(database_url: str) -> str:
    """The same database as the tables' owner (the admin here): for set-up and tampering."""
    admin = make_url(PG_ADMIN_URL)
    url = make_url(database_url).set(username=admin.username, password=admin.password)
    return url.render_as_string(hide_password=False)


def service_env(database_url: str, namespace: str, base: Mapping[str, str] | None = None, /,
                **extra: str) -> dict[str, str]:
    """Environment of one isolated test stack: `python -m ops.migrate` with it migrates as the
    owner and sets up the roles; `start_worker` and `start_api` connect as those roles.
    `base`: the environment it starts from (this process's now, by default)."""
    env = {k: v for k, v in (os.environ if base is None else base).items()
           if not k.startswith(("DATABASE_", "CELERY_")) and k not in roles.ENV}
    api, worker = role_urls(database_url)
    env.update(
        DATABASE_URL=as_owner(database_url),
        API_DATABASE_URL=api,
        WORKER_DATABASE_URL=worker,
        CELERY_BROKER_URL=f"{REDIS_URL}/0",
        CELERY_NAMESPACE=namespace,
        ENVIRONMENT="test",
        PYTHONPATH=str(ROOT),
        BEAT_INTERVAL_SECONDS="1",
        COMPLETION_INTERVAL_SECONDS=str(COMPLETION_INTERVAL_SECONDS),
    )
    env.update(extra)
    return env


def as_role(env: dict[str, str], kind: str) -> dict[str, str]:
    """`env` for a process of one kind (api, worker): its role's URL and no other database URL."""
    out = {k: v for k, v in env.items() if k not in roles.ENV}
    out["DATABASE_URL"] = env[f"{kind.upper()}_DATABASE_URL"]
    return out


class Process(stack.Process):
    """`bench.stack`'s child process (own process group, stopped on exit), named by its log."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        super().__init__(log.stem, args, env, log.parent)


def start_worker(env: dict[str, str], log_dir: Path, name: str = "worker",
                 beat: bool = False) -> Process:
    """A real `celery worker` process consuming this stack's queue (with `beat`: its schedule
    too, as the deployment's beat process sends it)."""
    args = [str(BIN / "celery"), "-A", "workers.celery_app", "worker", "--pool", "threads",
            "--concurrency", "4", "--loglevel", "INFO", "--without-gossip", "--without-mingle",
            "-n", f"{name}-{env['CELERY_NAMESPACE']}@%h"]
    if beat:
        args += ["--beat", "--schedule", str(log_dir / f"{name}-beat-schedule")]
    return Process(args, as_role(env, "worker"), log_dir / f"{name}.log")


def start_webhooks_worker(env: dict[str, str], log_dir: Path, name: str = "webhooks") -> Process:
    """A real webhooks worker (`workers.webhooks.worker`: this stack's outbound queue alone,
    prefork), as a deployment runs it; one process in its pool keeps a test stack small."""
    args = [sys.executable, "-m", "workers.webhooks.worker", "--concurrency", "1",
            "--loglevel", "INFO", "--without-gossip", "--without-mingle",
            "-n", f"{name}-{env['CELERY_NAMESPACE']}@%h"]
    return Process(args, as_role(env, "worker"), log_dir / f"{name}.log")


def wait_ready(worker: Process, timeout: float = stack.STARTUP_SECONDS) -> None:
    """Until the worker says it consumes its queue: tests that read what it projects start
    only then (on a loaded machine a worker takes seconds to start, more than a read waits)."""
    deadline = time.monotonic() + timeout
    while " ready." not in worker.log.read_text(errors="replace"):
        if worker.proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the celery worker did not start:\n{worker.tail()}")
        time.sleep(0.1)


def start_api(env: dict[str, str], log_dir: Path, workers: int = 3) -> tuple[Process, str]:
    """The API served by several uvicorn worker processes; returns (process, base URL)."""
    port = free_port()
    args = [str(BIN / "uvicorn"), "query_api.main:app", "--host", "127.0.0.1", "--port",
            str(port), "--workers", str(workers), "--no-access-log"]
    proc = Process(args, as_role(env, "api"), log_dir / "api.log")
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + stack.STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.proc.poll() is not None:
            raise RuntimeError(f"API exited early:\n{proc.tail()}")
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code < 600:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.stop()
    raise RuntimeError(f"API did not start:\n{proc.tail()}")
