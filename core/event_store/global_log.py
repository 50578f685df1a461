"""The store's global log, read: positions, safe head, batches of stored events, decoding.

What the read side needs of the event store, without the write side's application service:
projections, rebuild, verify, the workers and the audit feed read through an `EventLog`.
The write side's ledger holds one over its own recorder and mapper (`Ledger.eventlog`).

On PostgreSQL appends commit out of order, so reads stop at the safe head
(`core.event_store.safe_head`):
a reader never passes a position that may still commit. Take the head before locking rows (a
reader holding a transaction id would wait for itself). SQLite's one writer commits positions
in order, so there the head is the highest position.
"""

import threading
from collections.abc import Collection, Sequence
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    InfrastructureFactory,
    JSONTranscoder,
    Mapper,
    UUIDAsHex,
)
from eventsourcing.utils import Environment
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from core.db import singleton, store_env
from core.personal_data.transcoding import PersonalAsSealed
from core.settings import Settings, get_settings

APPLICATION = "Ledger"  # the library's name for the store's environment, as the ledger's


class Entry(NamedTuple):
    """A stored event and its position in the log (duck-types the library's `Notification`)."""

    id: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


class EventLog:
    """Reads of the global log over a recorder, and the mapper that decodes its events."""

    def __init__(self, settings: Settings, recorder: Any, mapper: Mapper[UUID]) -> None:
        self.settings = settings
        self.recorder = recorder
        self.mapper = mapper

    @classmethod
    def open(cls, settings: Settings) -> "EventLog":
        """A log of its own: the configured store's recorder and the ledger's transcodings."""
        factory = InfrastructureFactory.construct(Environment(APPLICATION, store_env(settings)))
        transcoder = factory.transcoder()
        if isinstance(transcoder, JSONTranscoder):  # as the library's Application registers
            for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO(),
                                PersonalAsSealed()):
                transcoder.register(transcoding)
        log = cls(settings, factory.application_recorder(), factory.mapper(transcoder=transcoder))
        log._factory = factory
        return log

    _factory: InfrastructureFactory[Any] | None = None

    def close(self) -> None:
        """Release the pooled connections of a log opened on its own."""
        if self._factory is not None:
            self._factory.close()
            self._factory = None

    def decode(self, notification: Any) -> Any:
        """The domain event a stored event holds."""
        return self.mapper.to_domain_event(notification)

    def last(self) -> int:
        """The highest committed position (0 when empty): what commands answered. A position
        still in flight may lie below it; readers stop at `head`."""
        return int(self.recorder.max_notification_id() or 0)

    def head(self, after: int = 0) -> int:
        """The safe head: no position at or below it can still commit (`after` if none is
        new)."""
        if not self.settings.is_postgres:  # one writer at a time: positions commit in order
            return max(after, self.last())
        return int(self.recorder.safe_head(after))

    def read(self, after: int, limit: int, upto: int | None = None,
             topics: Collection[str] | None = None) -> Sequence[Any]:
        """Up to `limit` stored events with positions above `after`, in order, up to `upto`
        (a safe head taken earlier; by default the one found now); of `topics` only (None:
        all)."""
        if not self.settings.is_postgres:
            return self.recorder.select_notifications(  # type: ignore[no-any-return]
                start=after, limit=limit, stop=upto, topics=sorted(topics or ()),
                inclusive_of_start=False)
        until = self.head(after) if upto is None else upto
        # Tuples into `Entry`: the library's reader builds a dict and a frozen dataclass per
        # row, a tenth of a rebuild's work.
        if topics is None:
            statement = SQL(
                "SELECT notification_id, originator_id, originator_version, topic, state "
                "FROM {schema}.{table} WHERE notification_id > %s AND notification_id <= %s "
                "ORDER BY notification_id LIMIT %s").format(**self._names())
            return self._entries(statement, (after, until, limit))
        statement = SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state "
            "FROM {schema}.{table} WHERE notification_id > %s AND notification_id <= %s "
            "AND topic = ANY(%s::text[]) ORDER BY notification_id LIMIT %s"
        ).format(**self._names())
        return self._entries(statement, (after, until, sorted(topics), limit))

    def read_part(
        self, after: int, upto: int, span: int, part: tuple[int, int],
        topics: Sequence[str] | None,
    ) -> tuple[list[Entry], int]:
        """The events with positions in (after, min(after + span, upto)] of the streams in
        partition `part` = (k, n) (a stream's partition: its id's last byte mod n), of
        `topics` only (None: all), in order; and the position read up to (`upto` a safe head).

        Every event of a stream lands in one partition, in order, so the stream-keyed read
        tables can be filled by n processes at once. A range of positions, not a LIMIT: with
        a filter this unselective, a LIMIT let the planner scan and sort the whole table.
        """
        k, n = part
        if not self.settings.is_postgres:  # positions are dense: the range is a LIMIT here
            found = self.recorder.select_notifications(
                start=after, limit=span, stop=upto, topics=topics or (),
                inclusive_of_start=False)
            until = found[-1].id if len(found) == span else max(after, upto)
            return [e for e in found if e.originator_id.bytes[15] % n == k], until
        statement = SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state "
            "FROM {schema}.{table} WHERE notification_id > %s AND notification_id <= %s "
            "AND get_byte(uuid_send(originator_id), 15) %% %s = %s "
            "AND (%s::text[] IS NULL OR topic = ANY(%s::text[])) ORDER BY notification_id"
        ).format(**self._names())
        names = list(topics) if topics is not None else None
        until = max(after, min(after + span, upto))
        return self._entries(statement, (after, until, n, k, names, names)), until

    def count_through(self, position: int) -> int:
        """PostgreSQL: how many events the store holds up to `position` (positions have gaps)."""
        statement = SQL("SELECT count(*) FROM {schema}.{table} WHERE notification_id <= %s"
                        ).format(**self._names())
        with self.recorder.datastore.get_connection() as conn, conn.cursor(
                row_factory=tuple_row) as cur:
            cur.execute(statement, (position,))
            return int(cur.fetchone()[0])

    def _names(self) -> dict[str, Identifier]:
        return {"schema": Identifier(self.recorder.datastore.schema),
                "table": Identifier(self.recorder.events_table_name)}

    def _entries(self, statement: Any, params: tuple[Any, ...]) -> list[Entry]:
        with self.recorder.datastore.get_connection() as conn, conn.cursor(
                row_factory=tuple_row) as cur:
            cur.execute(statement, params, prepare=True)
            return [Entry(i, o, v, t, bytes(s)) for i, o, v, t, s in cur.fetchall()]


_lock = threading.Lock()


@singleton
def _process_log() -> EventLog:
    return EventLog.open(get_settings())


def get_eventlog() -> EventLog:
    """This process's own log (workers, read routes), opened once even when threads race."""
    with _lock:
        log: EventLog = _process_log()
        return log
