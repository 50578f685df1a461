"""The sender's transactions, a group of messages at a time: the last group's attempts
recorded and the next group claimed, in one transaction.

A group is claimed (`sending`, its attempts counted) before any of its messages is handed
over, and how each went is recorded after the last of them: one transaction for a group, not
one a message, which had cost the sender as much CPU as composing the message and PostgreSQL
a commit a message. What that changes if the worker is killed mid-group is the sender's to
answer (`sender`): every message of the group is left `sending`, and taken over once its lease
has run out.

A batch holds one connection and runs its groups' transactions on it (a connection from the
pool and a session a transaction cost more than the statements).
"""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import BindParameter, Column, Connection, bindparam, update

from projections import bulk
from workers.mail.tables import QUEUED, SENDING, messages


def parameter(name: str, column: Column[Any]) -> BindParameter[Any]:
    return bindparam(name, type_=column.type)


# Built once: building an UPDATE's expressions again for every group cost more than running it.
CLAIM = (update(messages)
         .where(messages.c.id.in_(bindparam("claimed", expanding=True)),
                messages.c.status == QUEUED)
         .values(status=SENDING, attempts=messages.c.attempts + 1,
                 sending_since=parameter("now", messages.c.sending_since))
         .returning(*messages.c))
# An attempt's record names the attempt it is for: a message taken over meanwhile (its lease
# run out, claimed again) is another attempt's, and the record changes nothing. The group's
# records go as one statement (`bulk.update_rows`): an executemany sent one a record.
RECORD_MATCH = {"id": "recorded", "status": "was", "attempts": "attempts_then"}
RECORD_SETS = ("status", "sending_since", "attempts", "last_error", "sent_at",
               "next_attempt_at", "takeovers")
# A record's parameter for each column it sets.
RECORD_VALUES = {"s_status": "new_status", "s_attempts": "attempts_now", "s_last_error": "error",
                 "s_sent_at": "sent", "s_next_attempt_at": "next_at",
                 "s_takeovers": "new_takeovers"}


def record_row(record: dict[str, object]) -> dict[str, object]:
    """A record's parameters as `bulk.update_rows` takes them."""
    return {"recorded": record["recorded"], "was": SENDING,
            "attempts_then": record["attempts_then"], "s_sending_since": None,
            **{param: record[key] for param, key in RECORD_VALUES.items()}}


class Claims:
    """The groups' transactions on a connection the caller holds for its batch."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def record_then_claim(self, records: Sequence[dict[str, object]], claimed: Sequence[UUID],
                          now: Any) -> list[Any]:
        """In one transaction: record each of `records` (`sender.recorded`), then CLAIM the
        messages `claimed` still queued. The rows claimed, in the order asked (another
        sender's are left out)."""
        with self.connection.begin():
            if records:
                bulk.update_rows(self.connection, messages, RECORD_MATCH, RECORD_SETS, (),
                                 [record_row(record) for record in records])
            if not claimed:
                return []
            rows = self.connection.execute(CLAIM, {"claimed": list(claimed), "now": now}).all()
        order = {message_id: number for number, message_id in enumerate(claimed)}
        return sorted(rows, key=lambda row: order[row.id])
