"""Delivery reports read as Postfix, Exim and Gmail write them: the message they are about (by
its returned headers, its returned message, or the envelope id), what they say of its
recipient in the receiving server's words; mail that is no bounce is told apart."""

import pytest

from tests.workers.mail.reports import SAMPLE_ID, report
from workers.mail.dsn import NotABounce, read_report


@pytest.mark.parametrize(("sample", "reported_by", "recipient", "status", "words"), [
    ("postfix-user-unknown", "mx.ledger.test", "ann@example.com", "5.1.1",
     "550 5.1.1 <ann@example.com>: Recipient address rejected: User unknown in virtual "
     "mailbox table"),
    ("exim-permanent-error", "mx2.ledger.test", "ben@example.org", "5.0.0",
     "550 5.1.1 <ben@example.org>: Recipient address rejected: User unknown in local "
     "recipient table"),
    ("gmail-no-such-user", "googlemail.com", "cleo.gone@gmail.com", "5.1.1",
     "550 5.1.1 The email account that you tried to reach does not exist. Please try "
     "double-checking the recipient's email address for typos or unnecessary spaces. For more "
     "information, go to https://support.google.com/mail/?p=NoSuchUser "
     "41be03b00d2f7-b8c1e2f3a4si123456a.12 - gsmtp"),
])
def test_a_permanent_failure_names_our_message_and_the_servers_words(
    sample: str, reported_by: str, recipient: str, status: str, words: str,
) -> None:
    bounce = read_report(report(sample))

    assert (bounce.message_id, bounce.action, bounce.status) == (SAMPLE_ID, "failed", status)
    assert (bounce.recipient, bounce.diagnostic, bounce.reported_by) == (
        recipient, words, reported_by)
    assert bounce.words() == f"bounced ({reported_by}): {recipient}: {words}"


def test_a_delay_is_read_as_one_with_the_reason_it_waits() -> None:
    bounce = read_report(report("postfix-delayed"))

    assert (bounce.message_id, bounce.action, bounce.status) == (SAMPLE_ID, "delayed", "4.4.1")
    assert bounce.diagnostic == "connect to mail.example.com[203.0.113.25]:25: Connection timed out"


def test_the_envelope_id_names_the_message_when_nothing_was_returned() -> None:
    raw = report("postfix-user-unknown")
    head, _, _ = raw.partition(b"--4QxYz12abc.1795844412/mx.ledger.test\nContent-Description: "
                               b"Undelivered Message Headers")
    without_headers = head.replace(
        b"Reporting-MTA: dns; mx.ledger.test\n",
        f"Reporting-MTA: dns; mx.ledger.test\nOriginal-Envelope-Id: {SAMPLE_ID}\n".encode())
    without_headers += b"--4QxYz12abc.1795844412/mx.ledger.test--\n"

    assert read_report(without_headers).message_id == SAMPLE_ID


def test_a_report_about_someone_elses_message_names_none_of_ours() -> None:
    bounce = read_report(report("postfix-not-ours"))

    assert (bounce.message_id, bounce.action) == (None, "failed")


@pytest.mark.parametrize("raw", [
    report("out-of-office"),
    report("postfix-user-unknown").replace(b"Action: failed", b"Action: delivered"),
    report("postfix-user-unknown").replace(b"report-type=delivery-status",
                                           b"report-type=disposition-notification"),
    b"\x00\xff\xfe not mail at all",
    b"",
], ids=["an auto-reply", "a delivery's success", "a read receipt", "bytes", "nothing"])
def test_mail_that_is_no_bounce_is_refused_as_such(raw: bytes) -> None:
    with pytest.raises(NotABounce):
        read_report(raw)
