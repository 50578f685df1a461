"""The event store's PostgreSQL recorder: appends take no common lock; reads stop at the safe head.

`eventsourcing` serialises appends with `LOCK TABLE … IN EXCLUSIVE MODE` held through
COMMIT, so positions commit in order. Here appends of different streams run at once (the
unique (stream, version) still decides each stream alone), and every reader of the global
log reads only up to the safe head (`core.event_store.safe_head`): no position at or below it
can still
commit. The app's role needs only SELECT and INSERT.

`LedgerFactory` (named by `PERSISTENCE_MODULE`) gives the store this recorder, a snapshot
recorder, and our pool (`core.event_store.pool`); other psycopg pools keep the library's.
"""

import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
import psycopg.errors
from eventsourcing.persistence import (
    InterfaceError,
    Notification,
    OperationalError,
    StoredEvent,
)
from eventsourcing.postgres import (
    ConnectionPool,
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresDatastore,
    PostgresFactory,
)
from eventsourcing.utils import Environment, EnvType, retry
from psycopg.sql import SQL, Identifier

from core.event_store import safe_head
from core.event_store.pool import CappedBackoffPool, RenewingReads

log = logging.getLogger(__name__)


class LedgerRecorder(RenewingReads, PostgresApplicationRecorder):
    """Appends without the table lock, their rows sent as four plain arrays; notifications
    read up to the safe head.

    The library sends an array of a composite type, which psycopg writes out as text in
    Python, escaping each event's bytes with regular expressions: about a quarter of the time
    of a save of 20 bookings in-process. Arrays of uuid, bigint, text and bytea are written
    by psycopg's C code. `unnest` of several arrays yields their rows in order, as the
    library's `unnest` of one does, so the returned positions follow the events.
    """

    def __init__(
        self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        schema, table = Identifier(datastore.schema), Identifier(events_table_name)
        self.head_statements = safe_head.statements(datastore.schema, events_table_name)
        self.insert_rows_statement = SQL(
            "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state) "
            "SELECT * FROM unnest(%b::{id_type}[], %b::bigint[], %b::text[], %b::bytea[]) "
            "RETURNING notification_id"
        ).format(schema=schema, table=table, id_type=Identifier(datastore.originator_id_type))
        # Each of our rows with the position of the stored row equal to it (NULL if none is).
        self.select_same_rows_statement = SQL(
            "SELECT t.notification_id FROM unnest(%b::{id_type}[], %b::bigint[], %b::text[], "
            "%b::bytea[]) WITH ORDINALITY AS r(id, version, topic, state, n) "
            "LEFT JOIN {schema}.{table} t ON t.originator_id = r.id "
            "AND t.originator_version = r.version AND t.topic = r.topic AND t.state = r.state "
            "ORDER BY r.n"
        ).format(schema=schema, table=table, id_type=Identifier(datastore.originator_id_type))

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as the library's
    def safe_head(self, after: int = 0, wait: float | None = None) -> int:
        """The highest position no append still in flight can commit at or below
        (`core.event_store.safe_head`); `after` if the appends seen do not end within `wait`."""
        with self.datastore.get_connection() as conn:
            return safe_head.safe_head(conn, self.head_statements, after, wait)

    def select_notifications(
        self, start: int | None, limit: int, stop: int | None = None,
        topics: Sequence[str] = (), *, inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        """The library's read, never past the safe head."""
        head = self.safe_head(max(0, (start or 0) - (1 if inclusive_of_start else 0)))
        stop = head if stop is None else min(stop, head)
        found: Sequence[Notification] = super().select_notifications(
            start, limit, stop, topics, inclusive_of_start=inclusive_of_start)
        return found

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **_: Any
    ) -> Sequence[int] | None:
        """Insert and commit in one statement, one round trip; the rows' positions.

        No table lock (readers stop at the safe head instead) and no NOTIFY: nobody listens,
        and PostgreSQL serialises the commits of notifying transactions under one lock.
        """
        if not stored_events:
            return None
        ids: list[int] = self._append(_Append(
            [e.originator_id for e in stored_events],
            [e.originator_version for e in stored_events],
            [e.topic for e in stored_events],
            [e.state for e in stored_events],
        ))
        return ids

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as the library's
    def _append(self, append: "_Append") -> list[int]:
        """One attempt at the append; a conflict after a lost answer may be the append itself.

        A connection lost once the statement was sent leaves its commit in doubt: the server
        may have committed it. The retry then collides with those very rows, so a conflict on
        a retry is looked up before it is believed (see `_stored_already`).
        """
        rows = append.rows
        with self.datastore.get_connection() as conn:  # in autocommit
            try:
                with conn.cursor() as inserted:
                    append.sent += 1
                    # One statement, its own transaction: it commits when the server has
                    # inserted every row (or none), so no lock_timeout is needed: a row it
                    # waits on is another single statement's, already running.
                    inserted.execute(self.insert_rows_statement, rows, prepare=True)
                    return [row["notification_id"] for row in inserted.fetchall()]
            except BaseException as exc:
                with contextlib.suppress(psycopg.Error):  # a broken one: the pool drops it
                    conn.rollback()  # an insert that failed leaves the transaction aborted
                if append.sent > 1 and isinstance(exc, psycopg.errors.UniqueViolation):
                    ids = self._stored_already(conn, rows)
                    if ids is not None:
                        log.warning("an append whose answer was lost had committed: its "
                                    "%d rows answered from the store (%d..%d)",
                                    len(ids), ids[0], ids[-1])
                        return ids
                raise

    def _stored_already(self, conn: Any, rows: tuple[list[Any], ...]) -> list[int] | None:
        """The positions of these exact rows if every one is stored, else None.

        Exact bytes, not only the keys: an event's state holds its time and its chain hash
        (a booking's also its random ticket codes), so rows equal to ours at our keys can
        only be ones our own earlier attempt committed. Another writer's rows there, or only
        some of ours, are a real conflict.
        """
        found = conn.execute(self.select_same_rows_statement, rows).fetchall()
        ids = [row["notification_id"] for row in found]
        if len(ids) != len(rows[0]) or None in ids:
            return None
        return ids


class SnapshotRecorder(RenewingReads, PostgresAggregateRecorder):
    """The library's recorder of snapshots; one read large renews the pool (`RenewingReads`)."""


class LedgerFactory(PostgresFactory):
    """The library's PostgreSQL store with our recorder and our pool (`PERSISTENCE_MODULE`)."""

    application_recorder_class = LedgerRecorder
    aggregate_recorder_class = SnapshotRecorder

    def __init__(self, env: Environment | EnvType | None) -> None:
        super().__init__(env)
        pool = self.datastore.pool
        # The library builds the datastore, and the datastore its pool, with no option for
        # either class. Rebuilding the pool would copy its arguments and miss any a later
        # version adds; ours only overrides one method, and this pool has not opened yet.
        if type(pool) is not ConnectionPool or not pool.closed:
            raise TypeError(f"expected eventsourcing's ConnectionPool not yet open: {pool!r}")
        pool.__class__ = CappedBackoffPool


@dataclass
class _Append:
    """One append's rows as four arrays, and how many of its attempts were sent."""

    ids: list[Any]
    versions: list[int]
    topics: list[str]
    states: list[bytes]
    sent: int = 0

    @property
    def rows(self) -> tuple[list[Any], ...]:
        return self.ids, self.versions, self.topics, self.states
