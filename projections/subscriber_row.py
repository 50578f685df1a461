"""A subscriber's tracking row in a table of its own: the buyers' messages
(`workers.mail.subscriber`), the webhooks' fan-out (`workers.webhooks.fanout`) and the
waitlists' process manager (`workers.holds`) each have one.

The messages and the fan-out follow the log in the projections' batches
(`projections.batch_loop`, as followers whose row is this): their row is locked and moved in
the batch's transaction, with the read models' rows. Their rows stay in their own tables
because the API locks the fan-out's row when it registers an endpoint (every batch after it
sees the endpoint, none before), and the API may not lock the projections' rows.

A subscriber whose work appends commands (the waitlists' offers) cannot hold a transaction
open across them, SQLite having one writer: `follow_outside` reads its position under the
row's lock, acts outside any transaction, and moves the row only where no other run moved it
meanwhile. An entry may then be acted on twice (the commands are idempotent on the event's
state), never skipped.
"""

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core.db import read_scope, session_scope
from core.event_store.global_log import EventLog


def dialect_insert(session: Session, into: Table) -> Any:
    """An INSERT that may skip conflicting rows, on either backend."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(into)


@dataclass(frozen=True)
class SubscriberRow:
    """The row `name` in its `table` of tracking rows; a missing row is made at the head when
    `from_head` (the log's past is not its business), else at 0."""

    table: Table
    name: str
    from_head: bool = False
    moved_with: tuple[tuple[str, Any], ...] = ()  # more columns set with each move

    def lock(self, session: Session, head: int = 0) -> int:
        """Lock the row and return its position, making it if it is missing."""
        locked = (select(self.table.c.position).where(self.table.c.name == self.name)
                  .with_for_update())
        found = session.scalar(locked)
        if found is None:
            start = head if self.from_head else 0
            session.execute(dialect_insert(session, self.table)
                            .values(name=self.name, position=start).on_conflict_do_nothing())
            found = session.scalar(locked)
        return int(found or 0)

    def move(self, session: Session, to: int, *, only_from: int | None = None) -> None:
        """The position moved to `to` (`only_from`: only where it still is there)."""
        where = [self.table.c.name == self.name]
        if only_from is not None:
            where.append(self.table.c.position == only_from)
        session.execute(update(self.table).where(*where)
                        .values(position=to, updated_at=datetime.now(UTC), **dict(self.moved_with)))

    def position(self) -> int:
        """Where it stands (0 before its first batch)."""
        with read_scope() as session:
            return int(session.scalar(select(self.table.c.position)
                                      .where(self.table.c.name == self.name)) or 0)


def follow_outside(  # noqa: PLR0913 - whose row, the log, how far, how much at a time, the work
        row: SubscriberRow, log: EventLog, upto: int, size: int,
        act: Callable[[Sequence[Any]], None], *, max_batches: int = 20,
        topics: Collection[str] | None = None) -> None:
    """Batches up to `upto` (a safe head) whose work (`act`) runs outside any transaction: the
    position read under the row's lock, the entries read (of `topics` only: None, all) and
    acted on, then the position moved unless another run moved it meanwhile: to the last
    entry of a full batch, else to `upto`, past what the topics left out."""
    for _ in range(max_batches):
        with session_scope() as session:
            after = row.lock(session, upto)
        if after >= upto:
            break
        entries = log.read(after, size, upto, topics)
        if entries:
            act(entries)
        reached = entries[-1].id if len(entries) == size else upto
        with session_scope() as session:
            row.move(session, reached, only_from=after)
        if len(entries) < size:
            break
