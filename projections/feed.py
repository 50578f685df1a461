"""Read the store's notification log in batches, cheaply.

On PostgreSQL the library's reader builds a dict per row and a frozen dataclass per
notification; at rebuild speeds that is a tenth of the work. Here rows come as tuples into a
NamedTuple with the same fields (what `mapper.to_domain_event` and the folds read), with the
same query: notification ids above a position, in order. Elsewhere the library reads.

Appends commit out of order on PostgreSQL, so reads stop at the safe head (`core.loghead`):
a reader never passes a position that may still commit. Take the head before locking rows
(a reader holding a transaction id would wait for itself).
"""

from collections.abc import Sequence
from typing import Any, NamedTuple
from uuid import UUID

from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from commands.ledger import Ledger


class Entry(NamedTuple):
    """A stored event and its position in the log (duck-types `Notification`)."""

    id: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


def head(ledger: Ledger, after: int = 0) -> int:
    """The safe head: no position at or below it can still commit (`after` if none is new)."""
    recorder: Any = ledger.recorder
    if not ledger.settings.is_postgres:  # one writer at a time: ids commit in order
        return max(after, int(recorder.max_notification_id() or 0))
    return int(recorder.safe_head(after))


def read(ledger: Ledger, after: int, limit: int, upto: int | None = None) -> Sequence[Any]:
    """Up to `limit` notifications with ids above `after`, in id order, up to `upto`
    (a safe head taken earlier; by default the one found now)."""
    recorder: Any = ledger.recorder
    if not ledger.settings.is_postgres:
        return recorder.select_notifications(start=after, limit=limit, stop=upto,  # type: ignore[no-any-return]
                                             inclusive_of_start=False)
    until = head(ledger, after) if upto is None else upto
    statement = SQL(
        "SELECT notification_id, originator_id, originator_version, topic, state "
        "FROM {schema}.{table} WHERE notification_id > %s AND notification_id <= %s "
        "ORDER BY notification_id LIMIT %s"
    ).format(schema=Identifier(recorder.datastore.schema),
             table=Identifier(recorder.events_table_name))
    with recorder.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as cur:
        cur.execute(statement, (after, until, limit), prepare=True)
        return [Entry(i, o, v, t, bytes(s)) for i, o, v, t, s in cur.fetchall()]


def read_part(  # noqa: PLR0913 - a slice of the log, one partition of its streams
    ledger: Ledger, after: int, upto: int, span: int, part: tuple[int, int],
    topics: Sequence[str] | None,
) -> tuple[list[Entry], int]:
    """PostgreSQL only (`upto` a safe head): the notifications with ids in (after,
    min(after + span, upto)] of the streams in partition `part` = (k, n) (a stream's
    partition: its id's last byte mod n), of `topics` only (None: all), in id order; and the
    id read up to.

    Every event of a stream lands in one partition, in order, so the stream-keyed read
    tables can be filled by n processes at once. A range of ids, not a LIMIT: with a filter
    this unselective, "LIMIT n" let the planner choose a scan and sort of the whole table
    for every batch.
    """
    recorder: Any = ledger.recorder
    statement = SQL(
        "SELECT notification_id, originator_id, originator_version, topic, state "
        "FROM {schema}.{table} WHERE notification_id > %s AND notification_id <= %s "
        "AND get_byte(uuid_send(originator_id), 15) %% %s = %s "
        "AND (%s::text[] IS NULL OR topic = ANY(%s::text[])) ORDER BY notification_id"
    ).format(schema=Identifier(recorder.datastore.schema),
             table=Identifier(recorder.events_table_name))
    k, n = part
    names = list(topics) if topics is not None else None
    until = min(after + span, upto)
    with recorder.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as cur:
        cur.execute(statement, (after, until, n, k, names, names), prepare=True)
        rows = [Entry(i, o, v, t, bytes(s)) for i, o, v, t, s in cur.fetchall()]
    return rows, until
