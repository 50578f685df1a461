"""Bounces recorded on the message sent: the envelope names the bounce address, a failure
makes the message `bounced` with the receiving server's words, a delay notes them and leaves it
`sent`, the same report twice changes nothing; reports about no message of ours (another
domain's, or another recipient's) are told apart, from the API's code and from the MTA's pipe
command alike, which exits 0 for any report it drops and 75 only when the database cannot be
reached."""

import io
import os
import subprocess
import sys
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, NamedTuple
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select

from bench.scenario import new_event
from commands.ledger import Ledger
from core.db import read_scope
from core.settings import ROOT, Settings
from tests.support.smtp_server import SmtpServer
from tests.workers.mail.reports import in_parts, nested, report
from workers.mail import bounces
from workers.mail.tables import BOUNCED, SENT, messages

Tick = Callable[[Settings], int]
BOUNCE_ADDRESS = "bounces@ledger.test"
USER_UNKNOWN = ("bounced (mx.ledger.test): {to}: 550 5.1.1 <{to}>: "
                "Recipient address rejected: User unknown in virtual mailbox table")


class Sent(NamedTuple):
    id: UUID
    to: str  # its recipient's address


@pytest.fixture
def sent_confirmation(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[[str], dict[str, Any]], mail_tick: Tick,
) -> Sent:
    """A confirmation sent through the SMTP server, bounces to BOUNCE_ADDRESS."""
    settings = smtp_settings.model_copy(update={"mail_bounce_address": BOUNCE_ADDRESS})
    ann = buyer("Ann")
    writer.book(new_event(writer), category=None, quantity=1, **ann["asks"])
    (message,) = smtp_server.wait_for(1, tick=lambda: mail_tick(settings))
    assert smtp_server.senders == [BOUNCE_ADDRESS]
    return Sent(UUID(str(message["Message-ID"]).strip("<>").partition("@")[0]), ann["email"])


def record_report(raw: bytes) -> bounces.Recorded:
    """The report recorded as the ledger that sent the samples' messages records it."""
    return bounces.record_report(raw, "ledger.test")


def row(message_id: UUID) -> Any:
    with read_scope() as session:
        return session.execute(select(messages).where(messages.c.id == message_id)).one()


def test_the_envelope_sender_defaults_to_the_from_address(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[[str], dict[str, Any]], mail_tick: Tick,
) -> None:
    writer.book(new_event(writer), category=None, quantity=1, **buyer("Ann")["asks"])

    smtp_server.wait_for(1, tick=lambda: mail_tick(smtp_settings))

    assert smtp_server.senders == ["tickets@ledger.test"]


def test_a_failure_reported_later_makes_the_message_bounced_once(sent_confirmation: Sent) -> None:
    sent = sent_confirmation
    first = record_report(report("postfix-user-unknown", about=sent.id, to=sent.to))
    again = record_report(report("postfix-user-unknown", about=sent.id, to=sent.to))

    assert (first.status, first.changed, again.status, again.changed) == (
        BOUNCED, True, BOUNCED, False)
    bounced = row(sent.id)
    assert (bounced.status, bounced.last_error) == (BOUNCED, USER_UNKNOWN.format(to=sent.to))
    assert bounced.sent_at is not None and bounced.next_attempt_at is None


def test_a_delay_notes_the_reason_and_leaves_the_message_sent(sent_confirmation: Sent) -> None:
    sent = sent_confirmation
    first = record_report(report("postfix-delayed", about=sent.id, to=sent.to))
    again = record_report(report("postfix-delayed", about=sent.id, to=sent.to))

    assert (first.status, first.changed, again.changed) == (SENT, True, False)
    assert row(sent.id).last_error == (
        f"delayed, still being tried (mx.ledger.test): {sent.to}: connect to "
        "mail.example.com[203.0.113.25]:25: Connection timed out")


def test_a_delay_reported_after_the_failure_changes_nothing(sent_confirmation: Sent) -> None:
    sent = sent_confirmation
    record_report(report("exim-permanent-error", about=sent.id, to=sent.to))

    late = record_report(report("postfix-delayed", about=sent.id, to=sent.to))

    assert (late.status, late.changed) == (BOUNCED, False)
    assert row(sent.id).last_error.startswith("bounced (mx2.ledger.test)")


@pytest.mark.parametrize("raw", [report("postfix-not-ours"),
                                 report("gmail-no-such-user", about=uuid4())],
                         ids=["another's message", "an id never sent"])
def test_a_report_about_no_message_of_ours_is_refused_as_unknown(
    sent_confirmation: Sent, raw: bytes,
) -> None:
    with pytest.raises(bounces.UnknownMessage):
        record_report(raw)

    assert row(sent_confirmation.id).status == SENT


def test_a_report_naming_another_recipient_or_another_domain_records_nothing(
    sent_confirmation: Sent,
) -> None:
    sent = sent_confirmation
    someone_else = report("postfix-user-unknown", about=sent.id, to="mallory@example.com")
    other_domain = report("postfix-user-unknown", about=sent.id, to=sent.to).replace(
        b"@ledger.test>", b"@evil.example>")

    for raw in (someone_else, other_domain):
        with pytest.raises(bounces.UnknownMessage):
            record_report(raw)

    assert (row(sent.id).status, row(sent.id).last_error) == (SENT, None)


def pipe(raw: bytes, **env: str) -> subprocess.CompletedProcess[bytes]:
    """The MTA's pipe command, the report on its standard input."""
    return subprocess.run([sys.executable, "-m", "workers.mail.bounces"],  # noqa: S603
                          input=raw, capture_output=True, cwd=ROOT,
                          env=os.environ | {"MAIL_FROM": "Tickets <tickets@ledger.test>"} | env,
                          timeout=60, check=False)


def test_the_pipe_command_records_a_report_is_run_again_without_a_database_and_drops_strays(
    sent_confirmation: Sent,
) -> None:
    sent = sent_confirmation
    unreachable = pipe(report("gmail-no-such-user", about=sent.id, to=sent.to),
                       DATABASE_URL="postgresql+psycopg://nobody:none@127.0.0.1:9/none")
    assert unreachable.returncode == bounces.TRY_LATER, unreachable.stderr
    assert row(sent.id).status == SENT

    recorded = pipe(report("gmail-no-such-user", about=sent.id, to=sent.to))
    assert recorded.returncode == 0, recorded.stderr
    assert row(sent.id).status == BOUNCED
    for stray in (report("out-of-office"), report("postfix-not-ours")):
        ignored = pipe(stray)
        assert ignored.returncode == 0 and b"not recorded" in ignored.stderr


def test_the_pipe_command_drops_a_hostile_report_with_exit_0_and_a_line_saying_why() -> None:
    huge = b"x" * (2 * 1024 * 1024)
    for raw in (nested(1200), nested(1200, "message/rfc822"), in_parts(1000), huge):
        dropped = pipe(raw)
        assert dropped.returncode == 0, dropped.stderr
        assert b"not recorded" in dropped.stderr
        assert b"Traceback" not in dropped.stderr


def test_the_pipe_command_drops_a_report_it_fails_on_with_exit_0_and_the_error_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    def fails(raw: bytes, domain: str) -> bounces.Recorded:
        raise RuntimeError("a fault of ours")

    monkeypatch.setattr(bounces, "record_report", fails)
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(report("out-of-office"))))

    assert bounces.main() == 0
    assert "not recorded" in caplog.text and "a fault of ours" in caplog.text
