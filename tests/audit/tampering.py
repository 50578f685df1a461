"""Raw SQL on the event store's rows, as someone with database access could run it."""

import json
from typing import Any
from uuid import UUID

from sqlalchemy import text

from commands.ledger import Ledger
from core.db import get_engine

WHERE = "WHERE originator_id = :id AND originator_version = :version"


def _table_and_key(ledger: Ledger, stream: UUID) -> tuple[str, UUID | str]:
    if ledger.settings.is_postgres:
        return "ledger_events", stream
    return "stored_events", stream.hex


def _run(ledger: Ledger, sql: str, stream: UUID, version: int, **params: Any) -> Any:
    table, key = _table_and_key(ledger, stream)
    with get_engine().begin() as conn:
        return conn.execute(text(sql.format(table=table)),
                            {"id": key, "version": version, **params})


def stored_state(ledger: Ledger, stream: UUID, version: int) -> dict[str, Any]:
    result = _run(ledger, f"SELECT state FROM {{table}} {WHERE}", stream, version)  # noqa: S608
    state: dict[str, Any] = json.loads(bytes(result.scalar_one()))
    return state


def edit_row(ledger: Ledger, stream: UUID, version: int, **changes: Any) -> None:
    """Change fields of a stored event's state bytes in place."""
    state = stored_state(ledger, stream, version) | changes
    edited = json.dumps(state, separators=(",", ":")).encode()
    _run(ledger, f"UPDATE {{table}} SET state = :state {WHERE}", stream, version, state=edited)  # noqa: S608


def delete_row(ledger: Ledger, stream: UUID, version: int) -> None:
    _run(ledger, f"DELETE FROM {{table}} {WHERE}", stream, version)  # noqa: S608
