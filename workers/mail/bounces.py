"""Bounces that arrive after sending, recorded on their message: a delivery report that says a
recipient failed for good makes the message `bounced`, its `last_error` the receiving server's
words; one that says delivery is delayed records the words and leaves it `sent`. The same report
recorded twice changes nothing the second time.

A report is recorded only on a message of ours (its Message-ID of our From: address's domain)
and only when it is about that message's recipient: anyone may mail the bounce address.

Reports come in by `POST /api/mail/bounces` (`query_api.mail`), or, from an MTA's pipe alias,
by `python -m workers.mail.bounces < report.eml`: it exits 0 once the report is recorded or
dropped (not ours, no report, out of bounds, or failing on our side: a bounce is never bounced
back, and the reason is logged), and 75, "try again later", only when the database cannot be
reached, so that the MTA keeps the report.
"""

import logging
import sys
from typing import BinaryIO, NamedTuple
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.exc import TimeoutError as PoolTimeout

from core.db import session_scope, unreachable
from core.settings import get_settings
from workers.mail.compose import domain
from workers.mail.dsn import MAX_REPORT_BYTES, Bounce, NotABounce, ReportTooLarge, read_report
from workers.mail.tables import BOUNCED, SENT, messages

log = logging.getLogger(__name__)
DELIVERED = 0  # the MTA's pipe: done with the report, recorded or dropped
TRY_LATER = 75  # sysexits' EX_TEMPFAIL: the MTA keeps the report and runs the alias again


class UnknownMessage(LookupError):
    """A delivery report about a message this ledger did not send."""


class Recorded(NamedTuple):
    """The message a report was about, its status now, and whether this report changed it."""

    message_id: UUID
    status: str
    changed: bool
    bounce: Bounce


def record_report(raw: bytes, our_domain: str) -> Recorded:
    """Record a delivery report on its message, ours when its Message-ID is of `our_domain`
    (NotABounce, UnknownMessage if it cannot be)."""
    bounce = read_report(raw, our_domain)
    if bounce.message_id is None:
        raise UnknownMessage(f"the report names no message of this ledger (@{our_domain})")
    return record(bounce.message_id, bounce)


def record(message_id: UUID, bounce: Bounce) -> Recorded:
    """A failure makes the message `bounced` unless it is; a delay notes its words on a `sent`
    message that does not have them yet; either only when the report is about the message's
    recipient."""
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
        recipient = session.scalar(select(row.recipient_email).where(row.id == message_id))
        if recipient is None:
            raise UnknownMessage(f"no message {message_id} was sent by this ledger")
        if not bounce.names(recipient):
            raise UnknownMessage(f"the report is about {bounce.recipient}, not the recipient "
                                 f"of message {message_id}")
        changed = bool(session.execute(change).rowcount)  # type: ignore[attr-defined]
        status = session.scalar(select(row.status).where(row.id == message_id))
    return Recorded(message_id, str(status), changed, bounce)


def read_bounded(stream: BinaryIO) -> bytes:
    """The report on `stream`, or ReportTooLarge past what a report may be; the rest is read
    and dropped, so that the MTA writing it sees it taken."""
    raw = stream.read(MAX_REPORT_BYTES + 1)
    if len(raw) <= MAX_REPORT_BYTES:
        return raw
    while stream.read(1 << 16):
        pass
    raise ReportTooLarge(f"larger than a delivery report is read at (at most "
                         f"{MAX_REPORT_BYTES} bytes)")


def main() -> int:
    """Record the report on standard input; the exit status an MTA's pipe understands: 75 only
    when the database is out of reach, else 0, the reason a report was dropped logged."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        found = record_report(read_bounded(sys.stdin.buffer), domain(get_settings().mail_from))
    except (NotABounce, UnknownMessage) as exc:
        log.warning("not recorded: %s", exc)
        return DELIVERED
    except Exception as exc:  # whatever fails, the MTA must not bounce a bounce
        if out_of_reach(exc):
            log.error("not recorded, the database could not be reached (the MTA tries again "
                      "later): %s", first_line(exc))
            return TRY_LATER
        log.exception("not recorded, dropped: it failed on our side")
        return DELIVERED
    log.info("message %s: %s%s (%s)", found.message_id, found.status,
             "" if found.changed else ", as already recorded", found.bounce.words())
    return DELIVERED


def out_of_reach(exc: Exception) -> bool:
    """Whether a failure may pass by itself: the database out of reach or its pool busy, or
    the report's input cut off."""
    return unreachable(exc) or isinstance(exc, PoolTimeout | OSError)


def first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


if __name__ == "__main__":
    sys.exit(main())
