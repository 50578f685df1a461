"""A throwaway PostgreSQL database for a benchmark, created here and dropped afterwards, and
a migrated ledger on a benchmark's database in this process."""

import os
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

ADMIN = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@contextmanager
def bench_database(prefix: str, *, keep: bool = False) -> Iterator[str]:
    """Yield the SQLAlchemy URL of a new database `<prefix>_<pid>_<hex>`; drop it unless keep."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    print(f"database {name}")
    try:
        server = ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
        yield f"{server}/{name}"
    finally:
        if not keep:
            with psycopg.connect(ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def migrated_ledger(url: str) -> Iterator[Any]:
    """A Ledger on `url` (migrated first), as this process's settings: DATABASE_URL is set and
    the singletons reset before and after, so the app's modules read and write that database."""
    os.environ["DATABASE_URL"] = url
    # In-process runs sign their own tokens; a benchmark's database has no secret file.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
    from commands.ledger import Ledger  # noqa: PLC0415 - after DATABASE_URL is set
    from core.db import reset_singletons  # noqa: PLC0415
    from core.settings import get_settings  # noqa: PLC0415
    from ops.migrate import migrate  # noqa: PLC0415

    reset_singletons()
    settings = get_settings()
    migrate(settings)
    ledger = Ledger(settings)
    try:
        yield ledger
    finally:
        ledger.close()
        reset_singletons()
