"""Raw SQL on the event store's rows, as someone with database access could run it."""

import json
from typing import Any
from uuid import UUID

from sqlalchemy import create_engine, text

from commands.ledger import Ledger
from core.db import get_engine
from tests.stack import as_owner

WHERE = "WHERE originator_id = :id AND originator_version = :version"


def _table_and_key(ledger: Ledger, stream: UUID) -> tuple[str, UUID | str]:
    if ledger.settings.is_postgres:
        return "ledger_events", stream
    return "stored_events", stream.hex


def _run(ledger: Ledger, sql: str, stream: UUID, version: int, **params: Any) -> list[Any]:
    """Run it, the rows it returns if any; on PostgreSQL as the tables' owner, since the app's
    roles may not change the store (which is the point)."""
    table, key = _table_and_key(ledger, stream)
    postgres = ledger.settings.is_postgres
    engine = create_engine(as_owner(ledger.settings.database_url)) if postgres else get_engine()
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql.format(table=table)),
                                  {"id": key, "version": version, **params})
            return list(result.all()) if result.returns_rows else []
    finally:
        if postgres:
            engine.dispose()


def stored_state(ledger: Ledger, stream: UUID, version: int) -> dict[str, Any]:
    result = _run(ledger, f"SELECT state FROM {{table}} {WHERE}", stream, version)  # noqa: S608
    state: dict[str, Any] = json.loads(bytes(result[0][0]))
    return state


def edit_row(ledger: Ledger, stream: UUID, version: int, **changes: Any) -> None:
    """Change fields of a stored event's state bytes in place."""
    state = stored_state(ledger, stream, version) | changes
    edited = json.dumps(state, separators=(",", ":")).encode()
    _run(ledger, f"UPDATE {{table}} SET state = :state {WHERE}", stream, version, state=edited)  # noqa: S608


def delete_row(ledger: Ledger, stream: UUID, version: int) -> None:
    _run(ledger, f"DELETE FROM {{table}} {WHERE}", stream, version)  # noqa: S608
