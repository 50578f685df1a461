"""Several streams' stored rows, each from its own version on, and several streams' last rows:
what a group commit reads to bring its aggregates up to date (the warm ones from their
versions, the cold ones from their latest snapshots), in one query each on PostgreSQL.

A read of its own, beside the recorder's appends (`core.event_store.postgres_recorder`): it
uses only the recorder's public datastore, and every other store reads one stream at a time.
"""

from collections.abc import Sequence
from functools import cache
from typing import Any

from eventsourcing.persistence import (
    AggregateRecorder,
    ApplicationRecorder,
    InterfaceError,
    OperationalError,
    StoredEvent,
)
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresDatastore,
)
from eventsourcing.utils import retry
from psycopg.sql import SQL, Composed, Identifier

UNBOUNDED = 2**62  # a stream's rows with no limit (a LIMIT in the one query's array)


def rows_from_each(recorder: ApplicationRecorder, versions: dict[Any, int], limit: int,
                   limits: dict[Any, int] | None = None) -> dict[Any, list[StoredEvent]]:
    """Each stream's stored events from its version on (its own last one included), at most
    `limit` of each (`limits`: another bound for some streams)."""
    bound = {i: (limits or {}).get(i, limit) for i in versions}
    if isinstance(recorder, PostgresApplicationRecorder):
        found: dict[Any, list[StoredEvent]] = _in_one_query(recorder, versions, bound)
        return found
    return {i: list(recorder.select_events(i, gt=v - 1, limit=bound[i]))
            for i, v in versions.items()}


def latest_of_each(recorder: AggregateRecorder, ids: Sequence[Any]) -> dict[Any, StoredEvent]:
    """Each stream's last stored event, of those streams that have one: a snapshot store's
    latest snapshots, in one query on PostgreSQL."""
    if isinstance(recorder, PostgresAggregateRecorder):
        latest: dict[Any, StoredEvent] = _latest_in_one_query(recorder, list(ids))
        return latest
    found = {}
    for i in ids:
        last = recorder.select_events(i, desc=True, limit=1)
        if last:
            found[i] = last[0]
    return found


@cache
def _statement(schema: str, table: str, id_type: str) -> Composed:
    # LATERAL: an index scan per stream, whatever the plan. A plain join, prepared while the
    # table was small, kept a generic plan that hashed a scan of the whole table: its cost grew
    # with the log.
    return SQL(
        "SELECT t.originator_id, t.originator_version, t.topic, t.state "
        "FROM unnest(%b::{id_type}[], %b::bigint[], %b::bigint[]) AS r(id, version, lim) "
        "CROSS JOIN LATERAL (SELECT originator_id, originator_version, topic, state "
        "FROM {schema}.{table} WHERE originator_id = r.id AND originator_version >= r.version "
        "ORDER BY originator_version LIMIT r.lim) t"
    ).format(schema=Identifier(schema), table=Identifier(table), id_type=Identifier(id_type))


@cache
def _latest_statement(schema: str, table: str, id_type: str) -> Composed:
    return SQL(
        "SELECT t.originator_id, t.originator_version, t.topic, t.state "
        "FROM unnest(%b::{id_type}[]) AS r(id) "
        "CROSS JOIN LATERAL (SELECT originator_id, originator_version, topic, state "
        "FROM {schema}.{table} WHERE originator_id = r.id "
        "ORDER BY originator_version DESC LIMIT 1) t"
    ).format(schema=Identifier(schema), table=Identifier(table), id_type=Identifier(id_type))


@retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as the library's reads
def _in_one_query(recorder: PostgresApplicationRecorder, versions: dict[Any, int],
                  limits: dict[Any, int]) -> dict[Any, list[StoredEvent]]:
    found: dict[Any, list[StoredEvent]] = {}
    if not versions:
        return found
    store = recorder.datastore
    statement = _statement(store.schema, recorder.events_table_name, store.originator_id_type)
    arguments = (list(versions), list(versions.values()), [limits[i] for i in versions])
    for row in _rows(store, statement, arguments):
        found.setdefault(row.originator_id, []).append(row)
    return found


@retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as the library's reads
def _latest_in_one_query(recorder: PostgresAggregateRecorder,
                         ids: list[Any]) -> dict[Any, StoredEvent]:
    if not ids:
        return {}
    store = recorder.datastore
    statement = _latest_statement(store.schema, recorder.events_table_name,
                                  store.originator_id_type)
    return {row.originator_id: row for row in _rows(store, statement, (ids,))}


def _rows(store: PostgresDatastore, statement: Composed,
          arguments: tuple[Any, ...]) -> list[StoredEvent]:
    with store.get_connection() as conn, conn.cursor() as curs:
        curs.execute(statement, arguments, prepare=True)
        return [StoredEvent(originator_id=row["originator_id"],
                            originator_version=row["originator_version"],
                            topic=row["topic"], state=bytes(row["state"]))
                for row in curs.fetchall()]
