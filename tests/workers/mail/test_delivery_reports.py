"""Delivery reports read as Postfix, Exim and Gmail write them: the message they are about (by
its returned headers, its returned message, or the envelope id; ours only when its Message-ID
is of our domain), what they say of its recipient in the receiving server's words; mail that is
no bounce is told apart, and a report too large, nested too deep or in too many parts is refused
before it is parsed, in bounded time."""

import time
from functools import partial

import pytest

from tests.workers.mail.reports import SAMPLE_DOMAIN, SAMPLE_ID, in_parts, nested, report
from workers.mail import dsn
from workers.mail.dsn import NotABounce, ReportTooLarge

read_report = partial(dsn.read_report, domain=SAMPLE_DOMAIN)


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


@pytest.mark.parametrize("kind", ["multipart/mixed", "message/rfc822"])
def test_a_report_nested_far_deeper_than_any_bounce_is_refused_not_a_recursion_error(
    kind: str,
) -> None:
    with pytest.raises(NotABounce, match="nested"):
        read_report(nested(1200, kind))


def test_a_report_in_far_more_parts_than_any_bounce_is_refused() -> None:
    with pytest.raises(NotABounce, match="parts"):
        read_report(in_parts(1000))


def test_a_report_too_large_is_refused_at_once_before_it_is_parsed() -> None:
    deep = nested(900)
    lines = b"x\n" * 280_000  # short lines, each checked against every boundary open
    huge = deep.replace(b"Content-Type: text/plain\n\nx\n", b"Content-Type: text/plain\n\n" + lines)
    started = time.process_time()

    with pytest.raises(ReportTooLarge):
        read_report(huge)

    assert time.process_time() - started < 0.5


def test_a_report_at_the_bounds_is_read_in_bounded_time() -> None:
    """As deep as a report may be and as large, in the shortest lines: the parser's cost
    grows with lines times depth, both bounded."""
    deep = nested(dsn.MAX_CONTAINER_TYPES - 1)  # the report's own multipart/report is one
    room = dsn.MAX_REPORT_BYTES - len(deep)
    worst = deep.replace(b"Content-Type: text/plain\n\nx\n",
                         b"Content-Type: text/plain\n\n" + b"\n" * (room - 1))
    assert len(worst) <= dsn.MAX_REPORT_BYTES
    started = time.process_time()

    with pytest.raises(NotABounce, match="message/delivery-status"):
        read_report(worst)

    assert time.process_time() - started < 2


def test_a_message_id_of_another_domain_names_none_of_ours() -> None:
    ours = f"{SAMPLE_ID}@{SAMPLE_DOMAIN}".encode()
    for sample in ("postfix-user-unknown", "gmail-no-such-user"):
        foreign = report(sample).replace(ours, f"{SAMPLE_ID}@evil.example".encode())

        assert read_report(foreign).message_id is None


def test_an_envelope_id_of_another_domain_names_none_of_ours() -> None:
    raw = report("postfix-user-unknown")
    head, _, _ = raw.partition(b"--4QxYz12abc.1795844412/mx.ledger.test\nContent-Description: "
                               b"Undelivered Message Headers")
    for envelope_id, found in ((f"{SAMPLE_ID}@evil.example", None),
                               (f"{SAMPLE_ID}@{SAMPLE_DOMAIN}", SAMPLE_ID)):
        only_envelope = head.replace(
            b"Reporting-MTA: dns; mx.ledger.test\n",
            f"Reporting-MTA: dns; mx.ledger.test\nOriginal-Envelope-Id: {envelope_id}\n".encode())
        only_envelope += b"--4QxYz12abc.1795844412/mx.ledger.test--\n"

        assert read_report(only_envelope).message_id == found


def test_a_report_names_the_recipient_as_finally_and_as_originally_addressed() -> None:
    bounce = read_report(report("postfix-user-unknown").replace(
        b"Final-Recipient: rfc822; ann@example.com", b"Final-Recipient: rfc822; <Ann@Example.com>"
    ).replace(b"Original-Recipient: rfc822;ann@example.com",
              b"Original-Recipient: rfc822;ann.forwarded@example.net"))

    assert bounce.names("ann@example.com") and bounce.names("ANN.forwarded@example.net")
    assert not bounce.names("ben@example.org")
