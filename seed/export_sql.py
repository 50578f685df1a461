"""Write seed/seed_data.sql (PostgreSQL) and seed_data.sqlite.sql from a deterministic seed run.

python -m seed.export_sql [--check]: the seed goes through the commands into a scratch SQLite
store with a fixed clock, ids, ticket codes and password salts, so the files never churn.
"""

import argparse
import hashlib
import os
import sqlite3
import sys
import tempfile
from base64 import urlsafe_b64encode
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock
from uuid import UUID

import eventsourcing.domain
from pwdlib import PasswordHash

import commands.application.asked
import commands.application.events
import commands.application.idempotency
import commands.application.seat_requests
import commands.application.waitlist
import query_api.auth.user_accounts
from commands.ledger import Ledger
from core.db import reset_singletons
from core.settings import get_settings
from ops.migrate import migrate
from seed.load import load

HERE = Path(__file__).resolve().parent
FILES = {"postgresql": HERE / "seed_data.sql", "sqlite": HERE / "seed_data.sqlite.sql"}
RECORDED_FROM = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # when the history was recorded
EVENTS_FROM = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)  # event dates count from here
STORE_TABLE = {"postgresql": "ledger_events", "sqlite": "stored_events"}
_hasher = PasswordHash.recommended()


class Ticking:
    """A clock that advances one second per reading, and counters for ids and codes."""

    def __init__(self) -> None:
        self.ticks = 0
        self.ids = 0

    def __call__(self) -> datetime:
        self.ticks += 1
        return RECORDED_FROM + timedelta(seconds=self.ticks)

    def uuid4(self) -> UUID:
        self.ids += 1
        return UUID(bytes=hashlib.sha256(f"seed-id-{self.ids}".encode()).digest()[:16], version=4)

    def ticket_code(self) -> str:
        self.ids += 1
        digest = hashlib.sha256(f"seed-ticket-{self.ids}".encode()).digest()[:16]
        return urlsafe_b64encode(digest).rstrip(b"=").decode()


def hash_password(password: str) -> str:
    """argon2 as the app hashes, with a salt derived from the (published) seed password."""
    return _hasher.hash(password, salt=hashlib.sha256(f"seed:{password}".encode()).digest()[:16])


@contextmanager
def deterministic() -> Iterator[Ticking]:
    """Fix every source of time and randomness the seed run touches; yields the clock."""
    clock = Ticking()
    with ExitStack() as stack:
        stack.enter_context(mock.patch.object(
            eventsourcing.domain.CanCreateTimestamp, "create_timestamp", staticmethod(clock)))
        stack.enter_context(mock.patch.object(commands.application.events, "uuid4", clock.uuid4))
        stack.enter_context(mock.patch.object(commands.application.seat_requests,
                                              "new_ticket_code", clock.ticket_code))
        for ids in (commands.application.asked, commands.application.idempotency,
                    commands.application.waitlist):
            stack.enter_context(mock.patch.object(ids, "uuid4", clock.uuid4))
        stack.enter_context(mock.patch.object(query_api.auth.user_accounts, "uuid4", clock.uuid4))
        stack.enter_context(mock.patch.object(query_api.auth.user_accounts, "hash_password",
                                              hash_password))
        # The sample persons are public fixtures: their names are written in the clear, as a
        # store recorded before sealing holds them (and every reader still reads), since a
        # file loaded into any deployment cannot carry keys wrapped under that deployment's
        # PERSONAL_DATA_KEY. A seed loaded through the commands (`seed.load`) seals them.
        stack.enter_context(mock.patch.object(Ledger, "seal_name", _in_the_clear))
        stack.enter_context(mock.patch.object(Ledger, "seal_buyer", _in_the_clear))
        yield clock


def _in_the_clear(_ledger: Ledger, _person: str, value: Any) -> Any:
    return value


def seed_run(ledger_clock: Ticking) -> dict[str, UUID]:
    """The seed through the commands, on the configured database, inside `deterministic()`."""
    ledger = Ledger(get_settings(), clock=ledger_clock)
    try:
        return load(ledger, start=EVENTS_FROM)
    finally:
        ledger.close()


@contextmanager
def scratch_store() -> Iterator[Path]:
    """A fresh, migrated SQLite store that this process points at for a while."""
    saved = {k: os.environ.get(k) for k in ("DATABASE_URL", "CELERY_BROKER_URL")}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "seed.db"
        os.environ["DATABASE_URL"], os.environ["CELERY_BROKER_URL"] = f"sqlite:///{db}", ""
        reset_singletons()
        try:
            migrate(get_settings())
            yield db
        finally:
            reset_singletons()
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def record() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Run the seed deterministically; the store's rows (in log order) and the users rows."""
    with scratch_store() as db, deterministic() as clock:
        seed_run(clock)
        with sqlite3.connect(db) as conn:
            events = conn.execute("SELECT originator_id, originator_version, topic, state "
                                  "FROM stored_events ORDER BY rowid").fetchall()
            users = conn.execute("SELECT id, email, name, phone, role, password_hash "
                                 "FROM users ORDER BY email").fetchall()
    return events, users


def text(value: Any) -> str:
    """A SQL string literal (or NULL)."""
    return "NULL" if value is None else "'" + str(value).replace("'", "''") + "'"


def blob(value: bytes, dialect: str) -> str:
    """SQLite reads X'..'; PostgreSQL's bytea wants decode('..', 'hex')."""
    return f"X'{value.hex()}'" if dialect == "sqlite" else f"decode('{value.hex()}', 'hex')"


def render(dialect: str, events: list[tuple[Any, ...]], users: list[tuple[Any, ...]]) -> str:
    """The SQL file for one dialect: users, then the store's rows in log order."""
    other = "seed_data.sqlite.sql" if dialect == "postgresql" else "seed_data.sql"
    created = (RECORDED_FROM.strftime("%Y-%m-%d %H:%M:%S.%f") if dialect == "sqlite"
               else RECORDED_FROM.isoformat())
    lines = [
        f"-- Sample data for an EMPTY, migrated {dialect} store (`python -m ops.migrate`).",
        "-- Generated by `python -m seed.export_sql` from a deterministic run of seed/load.py:",
        "-- do not edit. The same history as `python -m seed.load`: users (passwords as in",
        "-- seed/data.json) and the event store's rows; positions are assigned on insert, in",
        "-- this order. Read tables are projections: `ledger rebuild` (or a running worker)",
        f"-- fills them. The {'PostgreSQL' if dialect == 'sqlite' else 'SQLite'} twin: {other}.",
        "BEGIN;",
    ]
    for uid, email, name, phone, role, password_hash in users:
        user_id = UUID(hex=uid)
        key = user_id.hex if dialect == "sqlite" else str(user_id)
        values = ", ".join(text(v) for v in (key, email, name, phone, role, password_hash, created))
        columns = "id, email, name, phone, role, password_hash, created_at"
        lines.append(f"INSERT INTO users ({columns}) VALUES ({values});")  # noqa: S608 - a SQL file
    table = STORE_TABLE[dialect]
    for stored_id, version, topic, state in events:
        originator_id = str(UUID(hex=stored_id)) if dialect == "postgresql" else stored_id
        lines.append(f"INSERT INTO {table} (originator_id, originator_version, topic, state) "  # noqa: S608 - a SQL file
                     f"VALUES ({text(originator_id)}, {int(version)}, {text(topic)}, "
                     f"{blob(state, dialect)});")
    lines.append("COMMIT;")
    return "\n".join(lines) + "\n"


def export() -> dict[Path, str]:
    """Both files' contents, by path."""
    events, users = record()
    return {path: render(dialect, events, users) for dialect, path in FILES.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if the files are stale")
    check = parser.parse_args().check
    for path, content in export().items():
        if check and (not path.exists() or path.read_text() != content):
            sys.exit(f"{path.name} is stale: run python -m seed.export_sql")
        if not check:
            path.write_text(content)
            print(f"wrote {path.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
