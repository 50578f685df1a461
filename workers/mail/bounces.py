"""Bounces that arrive after sending, recorded on their message: a delivery report that says a
recipient failed for good makes the message `bounced`, its `last_error` the receiving server's
words; one that says delivery is delayed records the words and leaves it `sent`. The same report
recorded twice changes nothing the second time.

Reports come in by `POST /api/mail/bounces` (`query_api.mail`), or, from an MTA's pipe alias,
by `python -m workers.mail.bounces < report.eml`: it exits 0 once the report is recorded or
found not to be ours (a bounce is never bounced back), and 75, "try again later", when the
database cannot be reached.
"""

import logging
import sys
from typing import NamedTuple
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from core.db import session_scope
from workers.mail.dsn import Bounce, NotABounce, read_report
from workers.mail.tables import BOUNCED, SENT, messages

log = logging.getLogger(__name__)
TRY_LATER = 75  # sysexits' EX_TEMPFAIL: the MTA keeps the report and runs the alias again


class UnknownMessage(LookupError):
    """A delivery report about a message this ledger did not send."""


class Recorded(NamedTuple):
    """The message a report was about, its status now, and whether this report changed it."""

    message_id: UUID
    status: str
    changed: bool
    bounce: Bounce


def record_report(raw: bytes) -> Recorded:
    """Record a delivery report on its message (NotABounce, UnknownMessage if it cannot be)."""
    bounce = read_report(raw)
    if bounce.message_id is None:
        raise UnknownMessage("the report names no message of this ledger")
    return record(bounce.message_id, bounce)


def record(message_id: UUID, bounce: Bounce) -> Recorded:
    """A failure makes the message `bounced` unless it is; a delay notes its words on a `sent`
    message that does not have them yet."""
    words = bounce.words()
    row = messages.c
    if bounce.action == "failed":
        change = update(messages).where(row.id == message_id, row.status != BOUNCED).values(
            status=BOUNCED, last_error=words, next_attempt_at=None, sending_since=None)
    else:
        change = update(messages).where(
            row.id == message_id, row.status == SENT,
            row.last_error.is_distinct_from(words)).values(last_error=words)
    with session_scope() as session:
        changed = bool(session.execute(change).rowcount)  # type: ignore[attr-defined]
        status = session.scalar(select(row.status).where(row.id == message_id))
    if status is None:
        raise UnknownMessage(f"no message {message_id} was sent by this ledger")
    return Recorded(message_id, status, changed, bounce)


def main() -> int:
    """Record the report on standard input; the exit status an MTA's pipe understands."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        found = record_report(sys.stdin.buffer.read())
    except (NotABounce, UnknownMessage) as exc:
        log.warning("not recorded: %s", exc)
        return 0
    except SQLAlchemyError as exc:
        log.error("not recorded, the database could not be reached (the MTA tries again "
                  "later): %s", str(exc).splitlines()[0])
        return TRY_LATER
    log.info("message %s: %s%s (%s)", found.message_id, found.status,
             "" if found.changed else ", as already recorded", found.bounce.words())
    return 0


if __name__ == "__main__":
    sys.exit(main())
