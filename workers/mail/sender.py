"""Sending the queued messages: by SMTP (the standard library's `smtplib`), or, with no
SMTP_HOST, as .eml files in MAIL_OUTBOX_DIR; each message's status recorded.

The guarantee: at least once, and at most twice. Messages are claimed in groups (`claims`): a
group is marked `sending`, its attempts counted, before any of it is handed to the server, and
each message recorded `sent` (or why not) after the group's last. A worker killed between the
two leaves the group `sending`: once its lease has run out, the next tick sends each of its
messages again, once (`takeovers`), whether or not it had been handed over, and in a group of
its own, so that a message cut off a second time (one that kills its worker, say) is marked
`failed` alone, never sent a third time. A connection lost after a message was handed over
counts the same way, since the server may have taken it. Both copies carry the same
Message-ID. In the outbox a message is one file named by its id, so a resend rewrites it.

What the server refuses for good (a 5xx answer: an unknown recipient, a sender or message
refused) is `failed` at once with the server's words. What it could not take now (no
connection, a 4xx "try later", a login refused) is tried again later, backed off, up to
MAIL_MAX_ATTEMPTS times, then `failed` with the last reason. What a receiving server reports
later, a bounce, goes to the envelope's sender and is recorded by `bounces`.
"""

import logging
import os
import smtplib
import ssl
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, NamedTuple
from uuid import UUID

from sqlalchemy import select, update

from core.db import get_engine, read_scope, session_scope
from core.settings import ROOT, Settings
from workers.mail.claims import Claims
from workers.mail.compose import Letter, compose
from workers.mail.tables import FAILED, QUEUED, SENDING, SENT, messages

log = logging.getLogger(__name__)
PER_BATCH = 100  # messages looked up at once; a tick takes batch after batch
PER_GROUP = 20  # messages claimed at once, and recorded at once
GROUP_BEGIN_SECONDS = 10.0  # a group's messages not begun this long after its claim are queued
MESSAGES_PER_SESSION = 100  # then a new SMTP session: servers cap the messages of one
SMTP_OK = 250
SEND_BUDGET_SECONDS = 30.0  # no message is begun after this long into a tick
RETRY_BASE_SECONDS, RETRY_MAX_SECONDS = 5.0, 600.0
# How long past its SMTP timeouts a message may stay `sending` before it counts as cut off.
LEASE_MARGIN_SECONDS = 30.0
Verdict = Literal["sent", "refused", "later", "uncertain", "not begun"]


class SmtpSessions:
    """The SMTP session a tick's messages share, opened for its first message: connecting, the
    greeting, TLS and the login once, not once a message. Asked for the next message, it
    checks the session is still there (a NOOP) and opens a new one when it is not, after a
    message cut off on it, or once it carried MESSAGES_PER_SESSION. Quit at the tick's end."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.session: smtplib.SMTP | None = None
        self.carried = 0

    def __enter__(self) -> "SmtpSessions":
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def next(self) -> smtplib.SMTP:
        """A session for one more message: raises as `connect` does when none can be had."""
        if self.session is not None and (self.carried >= MESSAGES_PER_SESSION
                                         or not answers(self.session)):
            self.close()
        if self.session is None:
            self.session, self.carried = connect(self.settings), 0
        self.carried += 1
        return self.session

    def lost(self) -> None:
        """The session was cut off mid-message: closed, never used again."""
        if self.session is not None:
            self.session.close()
            self.session = None

    def close(self) -> None:
        if self.session is not None:
            try:
                self.session.quit()
            except (OSError, smtplib.SMTPException):
                self.session.close()
            self.session = None


class Outcome(NamedTuple):
    """How one attempt went, and the reason when it did not go."""

    verdict: Verdict
    error: str | None = None


class Attempt(NamedTuple):
    """A claimed message and how its attempt went, to be recorded."""

    row: Any
    outcome: Outcome


NOT_BEGUN = Outcome("not begun")


class Due(NamedTuple):
    """A queued message whose time has come, and whether it was cut off while sending before."""

    id: UUID
    takeovers: int


def lease(settings: Settings) -> timedelta:
    """How long a claimed message may stay `sending`: begun within GROUP_BEGIN_SECONDS of its
    group's claim, then a NOOP on the tick's session, then (the session gone) connecting, the
    greeting, TLS and login, then the sender, the recipient and the data, each within the
    timeout."""
    return timedelta(seconds=GROUP_BEGIN_SECONDS + 8 * settings.smtp_timeout_seconds
                     + LEASE_MARGIN_SECONDS)


def tick_seconds(settings: Settings) -> float:
    """The longest a sending tick takes: messages begun within the budget, the last one
    within its lease."""
    return SEND_BUDGET_SECONDS + lease(settings).total_seconds()


def send_due(settings: Settings) -> int:
    """Take over the messages cut off mid-send, then send the queued ones that are due:
    messages sent."""
    now = datetime.now(UTC)
    take_over_cut_off(now, settings)
    begun_until = time.monotonic() + SEND_BUDGET_SECONDS
    sent = 0
    with SmtpSessions(settings) as sessions:
        # Batch after batch while the budget lasts: one batch per tick capped how fast an
        # on-sale's confirmations went out, whatever the worker could do.
        while time.monotonic() < begun_until:
            batch = due(now)
            went = send_batch(batch, settings, sessions, begun_until)
            sent += went
            # Nothing more due, or a batch none of which went (the server or the store
            # failing): the next tick tries again, rather than this one spinning on it.
            if len(batch) < PER_BATCH or not went:
                break
    return sent


def send_batch(batch: list[Due], settings: Settings, sessions: SmtpSessions,
               begun_until: float) -> int:
    """Send the batch's messages group after group, while the budget lasts: messages sent.

    One transaction records how the last group's attempts went and claims the next group: the
    guarantee needs each message claimed before it is handed over and recorded after, not a
    transaction each. At most a group of the worker's messages is ever `sending`. The batch's
    transactions run on one connection (`claims`)."""
    sent = 0
    attempts: list[Attempt] = []
    groups = groups_of(batch)
    with get_engine().connect() as connection:
        claims = Claims(connection)
        while True:
            group = next(groups, []) if time.monotonic() < begun_until else []
            if not attempts and not group:
                return sent
            now = datetime.now(UTC)
            try:
                rows = claims.record_then_claim(
                    [recorded(attempt, now, settings) for attempt in attempts], group, now)
            except Exception:
                # The attempts stay `sending`: taken over once their lease has run out.
                log.warning("mail: the record of %d attempts or the claim of %d messages "
                            "failed; the next tick goes on", len(attempts), len(group),
                            exc_info=True)
                return sent
            sent += sum(attempt.outcome.verdict == "sent" for attempt in attempts)
            if not group:
                return sent
            begin_until = min(begun_until, time.monotonic() + GROUP_BEGIN_SECONDS)
            attempts = [Attempt(row, try_sending(row, settings, sessions)
                                if time.monotonic() < begin_until else NOT_BEGUN)
                        for row in rows]


def groups_of(batch: list[Due]) -> Iterator[list[UUID]]:
    """The batch's messages in groups of PER_GROUP, oldest first; a message cut off while
    sending before is a group of its own."""
    group: list[UUID] = []
    for message in batch:
        if message.takeovers:
            if group:
                yield group
                group = []
            yield [message.id]
            continue
        group.append(message.id)
        if len(group) == PER_GROUP:
            yield group
            group = []
    if group:
        yield group


def try_sending(row: Any, settings: Settings, sessions: SmtpSessions) -> Outcome:
    """Compose the claimed message and hand it over: how it went. Never raises."""
    try:
        letter = compose(row, settings)
    except Exception as exc:  # its data's or the templates' fault: trying again cannot help
        log.exception("mail message %s could not be composed", row.id)
        return Outcome("refused", f"not composed: {reason(exc)}")
    try:
        return deliver(letter, row, settings, sessions)
    except Exception as exc:  # a fault of ours while it was handed over: it may have gone
        log.exception("mail message %s: sending stopped", row.id)
        return Outcome("uncertain", f"sending stopped: {reason(exc)}")


def due(now: datetime) -> list[Due]:
    """The queued messages whose time has come, oldest first."""
    query = (select(messages.c.id, messages.c.takeovers)
             .where(messages.c.status == QUEUED, messages.c.next_attempt_at <= now)
             .order_by(messages.c.created_at, messages.c.id).limit(PER_BATCH))
    with read_scope() as session:
        return [Due(*row) for row in session.execute(query)]


def take_over_cut_off(now: datetime, settings: Settings) -> None:
    """Messages left `sending` past their lease (their worker died): queued to be sent once
    more, or failed if that already happened once."""
    stale = now - lease(settings)
    with session_scope() as session:
        session.execute(update(messages).where(
            messages.c.status == SENDING, messages.c.sending_since < stale,
            messages.c.takeovers >= 1).values(
            status=FAILED, sending_since=None, next_attempt_at=None,
            last_error="cut off while sending, twice: not sent again (it may have arrived)"))
        session.execute(update(messages).where(
            messages.c.status == SENDING, messages.c.sending_since < stale,
            messages.c.takeovers == 0).values(
            status=QUEUED, sending_since=None, next_attempt_at=now,
            takeovers=messages.c.takeovers + 1,
            last_error="cut off while sending: sent again, once"))


def deliver(letter: Letter, row: Any, settings: Settings,
            sessions: SmtpSessions) -> Outcome:
    """Hand the message to the SMTP server, or to the outbox without one."""
    if not settings.smtp_host:
        try:
            write_to_outbox(letter, row, settings)
        except OSError as exc:  # a folder full or not writable: tried again later
            return Outcome("later", f"outbox not written: {reason(exc)}")
        return Outcome("sent")
    try:
        session = sessions.next()
    except (OSError, smtplib.SMTPException) as exc:
        return Outcome("later", f"no SMTP session: {reason(exc)}")
    outcome = handed_over(session, letter, envelope_sender(settings), row.id)
    if outcome.verdict == "uncertain":
        sessions.lost()
    return outcome


def connect(settings: Settings) -> smtplib.SMTP:
    """An SMTP session, with TLS as SMTP_TLS asks and the login when one is set."""
    host, port = settings.smtp_host or "", settings.smtp_port
    timeout = settings.smtp_timeout_seconds
    session: smtplib.SMTP
    if settings.smtp_tls == "tls":
        session = smtplib.SMTP_SSL(host, port, timeout=timeout,
                                   context=ssl.create_default_context())
    else:
        session = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if settings.smtp_tls == "starttls":
            session.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            session.login(settings.smtp_username, settings.smtp_password or "")
    except BaseException:
        session.close()
        raise
    return session


def answers(session: smtplib.SMTP) -> bool:
    """The server is still there on `session`: a NOOP answered OK."""
    try:
        return session.noop()[0] == SMTP_OK
    except (OSError, smtplib.SMTPException):
        return False


def handed_over(session: smtplib.SMTP, letter: Letter, sender: str,
                message_id: UUID) -> Outcome:
    """Send on an open session, bounces to `sender`: the server's verdict."""
    try:
        options = report_options(session, message_id)
        if letter.international or not sender.isascii():
            if not session.has_extn("smtputf8"):
                return Outcome("refused", "the server takes no internationalized address: "
                               "it does not offer SMTPUTF8")
            options += ["SMTPUTF8", "BODY=8BITMIME"]
        session.sendmail(sender, [letter.recipient], letter.data, mail_options=options)
    except smtplib.SMTPRecipientsRefused as exc:
        answers = list(exc.recipients.values())
        text = "; ".join(f"{address}: {code} {words(answer)}"
                         for address, (code, answer) in exc.recipients.items())
        final = all(code >= 500 for code, _ in answers)
        return Outcome("refused" if final else "later", f"recipient refused: {text}")
    except smtplib.SMTPResponseException as exc:  # sender or data refused, or "try later"
        verdict: Verdict = "refused" if exc.smtp_code >= 500 else "later"
        return Outcome(verdict, f"{type(exc).__name__}: {exc.smtp_code} {words(exc.smtp_error)}")
    except (OSError, smtplib.SMTPException) as exc:  # cut off: it may have been taken
        return Outcome("uncertain", f"connection lost while sending: {reason(exc)}")
    return Outcome("sent")


def envelope_sender(settings: Settings) -> str:
    """The envelope's sender (MAIL FROM), where delivery reports go: MAIL_BOUNCE_ADDRESS, or
    the From: address."""
    return settings.mail_bounce_address or parseaddr(settings.mail_from)[1]


def report_options(session: smtplib.SMTP, message_id: UUID) -> list[str]:
    """With a server that takes delivery-report options: the message's id in every report, and
    only its headers returned, never its tickets."""
    session.ehlo_or_helo_if_needed()
    return [f"ENVID={message_id}", "RET=HDRS"] if session.has_extn("dsn") else []


def write_to_outbox(letter: Letter, row: Any, settings: Settings) -> str:
    """The message as an .eml file named by its id (written whole, then moved in place), the
    folder and the file readable by this user alone: a confirmation holds ticket codes. An
    address not in ASCII is written as it is (RFC 6532), as SMTPUTF8 would send it."""
    folder = outbox_folder(settings.mail_outbox_dir)
    # Paths as strings: a burst writes a file per booking, and pathlib's objects cost more
    # than the write's own Python.
    path = os.path.join(folder, f"{row.created_at:%Y%m%dT%H%M%S}-{row.kind}-{row.id}.eml")
    partial = path.removesuffix(".eml") + ".part"
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except FileNotFoundError:  # the folder made when it is missing, not looked for each time
        os.makedirs(folder, mode=0o700, exist_ok=True)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(letter.data)
    os.replace(partial, path)
    return path


@lru_cache(maxsize=4)
def outbox_folder(configured: str) -> str:
    """MAIL_OUTBOX_DIR as a path, relative ones under the project's folder."""
    folder = Path(configured)
    return str(folder if folder.is_absolute() else ROOT / folder)


def recorded(attempt: Attempt, now: datetime, settings: Settings) -> dict[str, object]:
    """A record's parameters (`claims`): the message's columns after the attempt (a message
    not begun queued again as it was, its attempt not counted)."""
    row, outcome = attempt
    if outcome.verdict == "not begun":
        return {"recorded": row.id, "attempts_then": row.attempts,
                "attempts_now": row.attempts - 1, "new_status": QUEUED, "error": row.last_error,
                "sent": None, "next_at": now, "new_takeovers": row.takeovers}
    status, next_at, takeovers = QUEUED, None, row.takeovers
    if outcome.verdict == "sent":
        status = SENT
    elif outcome.verdict == "refused" or (outcome.verdict == "uncertain" and row.takeovers >= 1):
        status = FAILED
    elif outcome.verdict == "uncertain":
        next_at, takeovers = now, row.takeovers + 1
    elif row.attempts >= settings.mail_max_attempts:
        status = FAILED
    else:
        next_at = now + timedelta(seconds=backoff(row))
    if status == FAILED:
        log.warning("mail message %s failed: %s", row.id, outcome.error)
    return {"recorded": row.id, "attempts_then": row.attempts,
            "attempts_now": row.attempts, "new_status": status,
            "error": outcome.error, "sent": now if status == SENT else None,
            "next_at": next_at, "new_takeovers": takeovers}


def backoff(row: Any) -> float:
    """Seconds before the next try of a message the server could not take now."""
    return float(min(RETRY_BASE_SECONDS * 2 ** min(row.attempts - 1, 16), RETRY_MAX_SECONDS))


def reason(exc: BaseException) -> str:
    """An exception as a short reason."""
    return f"{type(exc).__name__}: {exc}"[:500]


def words(answer: bytes | str) -> str:
    """A server's answer as text."""
    return answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
