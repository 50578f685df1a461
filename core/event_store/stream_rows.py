"""Several streams' stored rows, each from its own version on: what a group commit reads to
bring its warm aggregates up to date, in one query on PostgreSQL.

A read of its own, beside the recorder's appends (`core.event_store.postgres_recorder`): it
uses only the recorder's public datastore, and every other store reads one stream at a time.
"""

from functools import cache
from typing import Any

from eventsourcing.persistence import (
    ApplicationRecorder,
    InterfaceError,
    OperationalError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import retry
from psycopg.sql import SQL, Composed, Identifier


def rows_from_each(recorder: ApplicationRecorder, versions: dict[Any, int],
                   limit: int) -> dict[Any, list[StoredEvent]]:
    """Each stream's stored events from its version on (its own last one included), at most
    `limit` of each."""
    if isinstance(recorder, PostgresApplicationRecorder):
        found: dict[Any, list[StoredEvent]] = _in_one_query(recorder, versions, limit)
        return found
    return {i: list(recorder.select_events(i, gt=v - 1, limit=limit))
            for i, v in versions.items()}


@cache
def _statement(schema: str, table: str, id_type: str) -> Composed:
    # LATERAL: an index scan per stream, whatever the plan. A plain join, prepared while the
    # table was small, kept a generic plan that hashed a scan of the whole table: its cost grew
    # with the log.
    return SQL(
        "SELECT t.originator_id, t.originator_version, t.topic, t.state "
        "FROM unnest(%b::{id_type}[], %b::bigint[]) AS r(id, version) "
        "CROSS JOIN LATERAL (SELECT originator_id, originator_version, topic, state "
        "FROM {schema}.{table} WHERE originator_id = r.id AND originator_version >= r.version "
        "ORDER BY originator_version LIMIT %b) t"
    ).format(schema=Identifier(schema), table=Identifier(table), id_type=Identifier(id_type))


@retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as the library's reads
def _in_one_query(recorder: PostgresApplicationRecorder, versions: dict[Any, int],
                  limit: int) -> dict[Any, list[StoredEvent]]:
    found: dict[Any, list[StoredEvent]] = {}
    if not versions:
        return found
    store = recorder.datastore
    statement = _statement(store.schema, recorder.events_table_name, store.originator_id_type)
    with store.get_connection() as conn, conn.cursor() as curs:
        curs.execute(statement, (list(versions), list(versions.values()), limit), prepare=True)
        for row in curs.fetchall():
            found.setdefault(row["originator_id"], []).append(StoredEvent(
                originator_id=row["originator_id"], originator_version=row["originator_version"],
                topic=row["topic"], state=bytes(row["state"])))
    return found
