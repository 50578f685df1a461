"""The sender's one transaction a message: record how the last attempt went, claim the next.

A batch holds one connection and runs each message's transaction on it (taking a connection
from the pool and making a session for every message cost more than the two statements). On
PostgreSQL the two statements run as psycopg's prepared statements on that connection: the SQL
is compiled once from the Core statements below, so it cannot drift from the table, and
SQLAlchemy's execution and result machinery around them, also more than the statements, is
left out; the claimed row's values go through the columns' own result processors (aware UTC
datetimes, as through SQLAlchemy). Any other database (the embedded SQLite) runs the Core
statements on the connection.
"""

from collections import namedtuple
from collections.abc import Callable
from functools import cache
from typing import Any, NamedTuple, Protocol
from uuid import UUID

from sqlalchemy import BindParameter, Column, Connection, Dialect, bindparam, update

from workers.mail.tables import QUEUED, SENDING, messages


def parameter(name: str, column: Column[Any]) -> BindParameter[Any]:
    return bindparam(name, type_=column.type)


# The two statements each message runs, built once: building an UPDATE's expressions again
# for every message cost more than running it.
CLAIM = (update(messages)
         .where(messages.c.id == parameter("claimed", messages.c.id),
                messages.c.status == QUEUED)
         .values(status=SENDING, attempts=messages.c.attempts + 1,
                 sending_since=parameter("now", messages.c.sending_since))
         .returning(*messages.c))
RECORD = (update(messages)
          .where(messages.c.id == parameter("recorded", messages.c.id),
                 messages.c.status == SENDING,
                 messages.c.attempts == parameter("attempts_then", messages.c.attempts))
          .values(status=parameter("new_status", messages.c.status), sending_since=None,
                  last_error=parameter("error", messages.c.last_error),
                  sent_at=parameter("sent", messages.c.sent_at),
                  next_attempt_at=parameter("next_at", messages.c.next_attempt_at),
                  takeovers=parameter("new_takeovers", messages.c.takeovers)))
# A claimed message as the sender reads it: its columns by name.
ClaimedMessage = namedtuple("ClaimedMessage", [column.name for column in messages.c])  # type: ignore[misc]


class Claims(Protocol):
    def record_then_claim(self, record: dict[str, object] | None, claimed: UUID | None,
                          now: Any) -> Any:
        """In one transaction: RECORD with `record`'s parameters (unless None), then CLAIM
        `claimed` (unless None). The row as claimed, or None (none, or another sender's)."""


def claims_on(connection: Connection) -> Claims:
    """The message transactions on this connection, held by the caller for its batch."""
    if connection.dialect.name == "postgresql":
        return PreparedClaims(connection)
    return CoreClaims(connection)


class CoreClaims:
    """The Core statements, run on the held connection."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def record_then_claim(self, record: dict[str, object] | None, claimed: UUID | None,
                          now: Any) -> Any:
        with self.connection.begin():
            if record is not None:
                self.connection.execute(RECORD, record)
            if claimed is None:
                return None
            return self.connection.execute(CLAIM, {"claimed": claimed, "now": now}).one_or_none()


class Compiled:
    """A Core statement compiled once for a dialect: its SQL, and its parameters as that SQL
    takes them (the statement's own values, then the caller's through their columns' bind
    processors)."""

    def __init__(self, statement: Any, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = str(compiled)
        self.defaults: dict[str, Any] = dict(compiled.params)
        self.processors = {name: process for name, bind in compiled.binds.items()
                           if name in self.defaults
                           and (process := bind.type.bind_processor(dialect)) is not None}

    def parameters(self, given: dict[str, object]) -> dict[str, Any]:
        values = self.defaults | given
        for name, process in self.processors.items():
            values[name] = process(values[name])
        return values


class Statements(NamedTuple):
    """CLAIM and RECORD compiled for a dialect, and the claimed row's result processors."""

    claim: Compiled
    record: Compiled
    results: list[Callable[[Any], Any] | None]


@cache
def statements_for(dialect: Dialect) -> Statements:
    """Compiled once per engine's dialect, not per batch (compiling costs more than a
    batch of one message saves)."""
    return Statements(Compiled(CLAIM, dialect), Compiled(RECORD, dialect),
                      [column.type.result_processor(dialect, None) for column in messages.c])


class PreparedClaims:
    """The same statements as psycopg prepared statements, on the held connection's driver
    connection, in the connection's own transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.driver: Any = connection.connection.driver_connection  # psycopg's Connection
        self.claim, self.record, self.results = statements_for(connection.dialect)

    def record_then_claim(self, record: dict[str, object] | None, claimed: UUID | None,
                          now: Any) -> Any:
        with self.connection.begin(), self.driver.cursor() as cursor:
            if record is not None:
                cursor.execute(self.record.sql, self.record.parameters(record), prepare=True)
            if claimed is None:
                return None
            cursor.execute(self.claim.sql, self.claim.parameters({"claimed": claimed, "now": now}),
                           prepare=True)
            row = cursor.fetchone()
        if row is None:
            return None
        return ClaimedMessage(*(value if process is None else process(value)
                                for process, value in zip(self.results, row, strict=True)))
