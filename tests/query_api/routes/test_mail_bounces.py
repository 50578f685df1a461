"""Bounces posted to the API, on both topologies: a confirmation sent, then a delivery report
naming it makes it `bounced` with the receiving server's words in the event's messages, once;
a delay leaves it `sent`; mail that is no bounce, or a bounce about no message of ours (another
domain's Message-ID, another recipient), is refused with its code, as is a report nested too
deep, in too many parts (422) or too large (413), never with a 500; only admins and
MAIL_BOUNCE_TOKEN may post."""

import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.fixtures.api import Caller, assert_error
from tests.support.smtp_server import SmtpServer
from tests.workers.mail.reports import in_parts, nested, report
from workers.mail import dsn

MakeEvent = Callable[..., dict[str, Any]]
TOKEN = "bounce-token-of-the-operators-mta"
AS_MTA = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "message/rfc822"}
REPORT = {"Content-Type": "message/rfc822"}
USER_UNKNOWN = ("bounced (mx.ledger.test): {to}: 550 5.1.1 <{to}>: "
                "Recipient address rejected: User unknown in virtual mailbox table")


@pytest.fixture
def bounce_mail(monkeypatch: pytest.MonkeyPatch, smtp_server: SmtpServer) -> None:
    """The embedded scheduler's mail sent often, through the test's SMTP server; the MTA's
    token set. Asked before the client."""
    monkeypatch.setenv("MAIL_INTERVAL_SECONDS", "0.1")
    monkeypatch.setenv("MAIL_BOUNCE_TOKEN", TOKEN)
    monkeypatch.setenv("MAIL_FROM", "Tickets <tickets@ledger.test>")
    monkeypatch.setenv("SMTP_HOST", smtp_server.host)
    monkeypatch.setenv("SMTP_PORT", str(smtp_server.port))


def sent_message(client: TestClient, admin: Caller, event_id: str) -> dict[str, Any]:
    """The event's one message, once it is sent."""
    deadline = time.monotonic() + 30
    while True:
        items = client.get(f"/api/events/{event_id}/messages", headers=admin.headers).json()
        if items["items"] and items["items"][0]["status"] == "sent":
            return dict(items["items"][0])
        assert time.monotonic() < deadline, f"not sent in time: {items}"
        time.sleep(0.1)


def post_report(client: TestClient, raw: bytes, headers: dict[str, str] = AS_MTA) -> Any:
    return client.post("/api/mail/bounces", content=raw, headers=headers)


def test_a_bounce_after_sending_shows_as_bounced_with_its_reason_once(
    bounce_mail: None, client: TestClient, admin: Caller, alice: Caller, make_event: MakeEvent,
    book: Callable[..., Any],
) -> None:
    event_id = make_event()["id"]
    book(alice, event_id)
    sent = sent_message(client, admin, event_id)

    to, user_unknown = sent["recipient_email"], USER_UNKNOWN.format(to=sent["recipient_email"])
    delayed = post_report(client, report("postfix-delayed", about=sent["id"], to=to))
    assert delayed.status_code == 202, delayed.text
    assert (delayed.json()["status"], delayed.json()["action"]) == ("sent", "delayed")
    first = post_report(client, report("postfix-user-unknown", about=sent["id"], to=to))
    again = post_report(client, report("postfix-user-unknown", about=sent["id"], to=to))

    assert first.status_code == again.status_code == 202, first.text
    assert first.json() == {"message_id": sent["id"], "status": "bounced", "action": "failed",
                            "status_code": "5.1.1", "reason": user_unknown, "changed": True}
    assert again.json() == first.json() | {"changed": False}
    (shown,) = client.get(f"/api/events/{event_id}/messages", headers=admin.headers).json()[
        "items"]
    assert (shown["status"], shown["last_error"]) == ("bounced", user_unknown)
    assert shown["sent_at"] == sent["sent_at"]


@pytest.mark.parametrize("backend", ["embedded"], indirect=True)
def test_a_confirmation_sent_by_smtp_and_bounced_later_reaches_its_organizer(
    bounce_mail: None, client: TestClient, admin: Caller, alice: Caller, make_event: MakeEvent,
    book: Callable[..., Any], smtp_server: SmtpServer,
) -> None:
    """Embedded only: the app's own scheduler sends through this test's SMTP server, where a
    distributed worker sends from a process of its own, set up once for the session."""
    event_id = make_event(name="Jazz night")["id"]
    book(alice, event_id)
    (taken,) = smtp_server.wait_for(1)
    message_id = str(taken["Message-ID"]).strip("<>").partition("@")[0]

    bounced = post_report(client, report("gmail-no-such-user", about=message_id,
                                         to=alice.email))

    assert bounced.status_code == 202, bounced.text
    (shown,) = client.get(f"/api/events/{event_id}/messages", headers=admin.headers).json()[
        "items"]
    assert (shown["id"], shown["status"]) == (message_id, "bounced")
    assert shown["last_error"].startswith(
        f"bounced (googlemail.com): {alice.email}: 550 5.1.1 The email account that you "
        "tried to reach does not exist.")


def test_mail_that_is_no_bounce_of_ours_is_refused_with_its_code(
    bounce_mail: None, client: TestClient, admin: Caller,
) -> None:
    assert_error(post_report(client, report("out-of-office")), 422, "NOT_A_BOUNCE")
    assert_error(post_report(client, b"\x00\xff"), 422, "NOT_A_BOUNCE")
    assert_error(post_report(client, report("postfix-not-ours")), 422, "UNKNOWN_MESSAGE")
    assert_error(post_report(client, report("postfix-user-unknown")), 422, "UNKNOWN_MESSAGE")
    assert_error(post_report(client, report("postfix-user-unknown"),
                             AS_MTA | {"Content-Type": "text/plain"}), 415,
                 "UNSUPPORTED_MEDIA_TYPE")


@pytest.mark.parametrize("backend", ["embedded"], indirect=True)
def test_a_report_about_our_message_naming_another_recipient_or_domain_records_nothing(
    bounce_mail: None, client: TestClient, admin: Caller, alice: Caller, make_event: MakeEvent,
    book: Callable[..., Any],
) -> None:
    """Embedded only: a distributed worker sends from a process of its own, set up once for
    the session with the first test's SMTP server."""
    event_id = make_event()["id"]
    book(alice, event_id)
    sent = sent_message(client, admin, event_id)
    ours = f"{sent['id']}@ledger.test".encode()
    someone_else = report("postfix-user-unknown", about=sent["id"], to="mallory@example.com")
    other_domain = report("postfix-user-unknown", about=sent["id"], to=alice.email).replace(
        ours, f"{sent['id']}@evil.example".encode())

    for raw in (someone_else, other_domain):
        assert_error(post_report(client, raw), 422, "UNKNOWN_MESSAGE")

    (shown,) = client.get(f"/api/events/{event_id}/messages", headers=admin.headers).json()[
        "items"]
    assert (shown["status"], shown["last_error"]) == ("sent", None)


def test_a_report_nested_too_deep_or_in_too_many_parts_is_422_and_one_too_large_413(
    bounce_mail: None, client: TestClient,
) -> None:
    for hostile in (nested(1200), nested(1200, "message/rfc822"), in_parts(1000)):
        assert_error(post_report(client, hostile), 422, "NOT_A_BOUNCE")

    too_large = report("postfix-user-unknown") + b"\n" * dsn.MAX_REPORT_BYTES
    started = time.monotonic()
    assert_error(post_report(client, too_large), 413, "REPORT_TOO_LARGE")
    assert time.monotonic() - started < 5


def test_only_admins_and_the_mtas_token_may_post_a_bounce(
    bounce_mail: None, client: TestClient, admin: Caller, alice: Caller, auditor: Caller,
    organizer: Callable[[str], Caller],
) -> None:
    raw = report("out-of-office")  # past the door, each is answered NOT_A_BOUNCE

    assert_error(post_report(client, raw, AS_MTA), 422, "NOT_A_BOUNCE")
    assert_error(post_report(client, raw, admin.headers | REPORT), 422, "NOT_A_BOUNCE")
    for refused in (alice, auditor, organizer("Ann")):
        assert_error(post_report(client, raw, refused.headers | REPORT), 403, "FORBIDDEN")
    assert_error(post_report(client, raw, REPORT), 401, "NOT_AUTHENTICATED")
    assert_error(post_report(client, raw, {"Authorization": "Bearer not-the-token"} | REPORT),
                 401, "INVALID_TOKEN")
