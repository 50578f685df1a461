"""Bounces recorded on the message sent: the envelope names the bounce address, a failure
makes the message `bounced` with the receiving server's words, a delay notes them and leaves it
`sent`, the same report twice changes nothing; reports about no message of ours are told apart,
from the API's code and from the MTA's pipe command alike."""

import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select

from bench.scenario import new_event
from commands.ledger import Ledger
from core.db import read_scope
from core.settings import ROOT, Settings
from tests.support.smtp_server import SmtpServer
from tests.workers.mail.reports import report
from workers.mail import bounces
from workers.mail.tables import BOUNCED, SENT, messages

Tick = Callable[[Settings], int]
BOUNCE_ADDRESS = "bounces@ledger.test"
USER_UNKNOWN = ("bounced (mx.ledger.test): ann@example.com: 550 5.1.1 <ann@example.com>: "
                "Recipient address rejected: User unknown in virtual mailbox table")


@pytest.fixture
def sent_confirmation(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[[str], dict[str, Any]], mail_tick: Tick,
) -> UUID:
    """A confirmation sent through the SMTP server, bounces to BOUNCE_ADDRESS: its id."""
    settings = smtp_settings.model_copy(update={"mail_bounce_address": BOUNCE_ADDRESS})
    writer.book(new_event(writer), category=None, quantity=1, **buyer("Ann")["asks"])
    (message,) = smtp_server.wait_for(1, tick=lambda: mail_tick(settings))
    assert smtp_server.senders == [BOUNCE_ADDRESS]
    return UUID(str(message["Message-ID"]).strip("<>").partition("@")[0])


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


def test_a_failure_reported_later_makes_the_message_bounced_once(
    sent_confirmation: UUID,
) -> None:
    first = bounces.record_report(report("postfix-user-unknown", about=sent_confirmation))
    again = bounces.record_report(report("postfix-user-unknown", about=sent_confirmation))

    assert (first.status, first.changed, again.status, again.changed) == (
        BOUNCED, True, BOUNCED, False)
    bounced = row(sent_confirmation)
    assert (bounced.status, bounced.last_error) == (BOUNCED, USER_UNKNOWN)
    assert bounced.sent_at is not None and bounced.next_attempt_at is None


def test_a_delay_notes_the_reason_and_leaves_the_message_sent(sent_confirmation: UUID) -> None:
    first = bounces.record_report(report("postfix-delayed", about=sent_confirmation))
    again = bounces.record_report(report("postfix-delayed", about=sent_confirmation))

    assert (first.status, first.changed, again.changed) == (SENT, True, False)
    assert row(sent_confirmation).last_error == (
        "delayed, still being tried (mx.ledger.test): ann@example.com: connect to "
        "mail.example.com[203.0.113.25]:25: Connection timed out")


def test_a_delay_reported_after_the_failure_changes_nothing(sent_confirmation: UUID) -> None:
    bounces.record_report(report("exim-permanent-error", about=sent_confirmation))

    late = bounces.record_report(report("postfix-delayed", about=sent_confirmation))

    assert (late.status, late.changed) == (BOUNCED, False)
    assert row(sent_confirmation).last_error.startswith("bounced (mx2.ledger.test)")


@pytest.mark.parametrize("raw", [report("postfix-not-ours"),
                                 report("gmail-no-such-user", about=uuid4())],
                         ids=["another's message", "an id never sent"])
def test_a_report_about_no_message_of_ours_is_refused_as_unknown(
    sent_confirmation: UUID, raw: bytes,
) -> None:
    with pytest.raises(bounces.UnknownMessage):
        bounces.record_report(raw)

    assert row(sent_confirmation).status == SENT


def test_the_pipe_command_records_a_report_is_run_again_without_a_database_and_drops_strays(
    sent_confirmation: UUID,
) -> None:
    def pipe(raw: bytes, **env: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "workers.mail.bounces"],  # noqa: S603
                              input=raw, capture_output=True, cwd=ROOT,
                              env=os.environ | env, timeout=60, check=False)

    unreachable = pipe(report("gmail-no-such-user", about=sent_confirmation),
                       DATABASE_URL="postgresql+psycopg://nobody:none@127.0.0.1:9/none")
    assert unreachable.returncode == bounces.TRY_LATER, unreachable.stderr
    assert row(sent_confirmation).status == SENT

    recorded = pipe(report("gmail-no-such-user", about=sent_confirmation))
    assert recorded.returncode == 0, recorded.stderr
    assert row(sent_confirmation).status == BOUNCED
    for stray in (report("out-of-office"), report("postfix-not-ours")):
        ignored = pipe(stray)
        assert ignored.returncode == 0 and b"not recorded" in ignored.stderr
