"""Sending: a message cut off mid-send (its worker killed) is sent again once and never a third
time, each copy under the same Message-ID; a refusal is recorded failed with the server's words
and not tried again; with no SMTP host every message is an .eml file in the outbox."""

import email
import stat
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.policy import default
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import select, update

from bench.scenario import new_event
from commands.ledger import Ledger
from core.db import read_scope, session_scope
from core.settings import ROOT, Settings
from tests.support.smtp_server import REFUSAL, SmtpServer, running_smtp_server
from workers.mail import sender, subscriber
from workers.mail.compose import compose
from workers.mail.sender import outbox_folder
from workers.mail.tables import FAILED, SENDING, SENT, messages

Tick = Callable[[Settings], int]
LONG_AGO = datetime.now(UTC) - timedelta(hours=1)  # past any lease


def only_row() -> Any:
    with read_scope() as session:
        return session.execute(select(messages)).one()


def cut_off_mid_send() -> None:
    """The message as a worker killed after the SMTP server took it leaves it: `sending`."""
    with session_scope() as session:
        session.execute(update(messages).values(status=SENDING, sending_since=LONG_AGO,
                                                sent_at=None))


def test_a_send_cut_off_is_sent_again_once_and_never_a_third_time(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[[str], dict[str, Any]], mail_tick: Tick,
) -> None:
    writer.book(new_event(writer), category=None, quantity=1, **buyer("Ann")["asks"])
    smtp_server.wait_for(1, tick=lambda: mail_tick(smtp_settings))

    cut_off_mid_send()
    assert mail_tick(smtp_settings) == 1  # taken over after its lease: sent again
    second = only_row()
    assert (second.status, second.attempts, second.takeovers) == (SENT, 2, 1)
    assert second.last_error is None

    cut_off_mid_send()
    assert mail_tick(smtp_settings) == 0
    mail_tick(smtp_settings)
    third = only_row()
    assert (third.status, third.attempts, third.takeovers) == (FAILED, 2, 1)
    assert "twice" in third.last_error
    copies = smtp_server.taken()
    assert len(copies) == 2 and copies[0]["Message-ID"] == copies[1]["Message-ID"]


def test_a_send_still_within_its_lease_is_left_to_its_sender(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[[str], dict[str, Any]],
) -> None:
    writer.book(new_event(writer), category=None, quantity=1, **buyer("Ann")["asks"])
    subscriber.advance(writer.eventlog)
    with session_scope() as session:
        session.execute(update(messages).values(status=SENDING, attempts=1,
                                                sending_since=datetime.now(UTC)))

    assert sender.send_due(smtp_settings) == 0
    assert only_row().status == SENDING and smtp_server.taken() == []


def statuses_as_each_is_handed_over(smtp_server: SmtpServer) -> list[list[str]]:
    """The messages' statuses, sorted, each time the SMTP server is handed one."""
    seen: list[list[str]] = []

    def statuses() -> None:
        with read_scope() as session:
            seen.append(sorted(session.scalars(select(messages.c.status))))

    smtp_server.on_data = statuses
    return seen


def test_a_group_is_claimed_before_any_of_it_is_handed_over_and_recorded_after_its_last(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[[str], dict[str, Any]], mail_tick: Tick,
) -> None:
    event = new_event(writer)
    for name in ("Ann", "Bob", "Cy", "Di"):
        writer.book(event, category=None, quantity=1, **buyer(name)["asks"])
    seen = statuses_as_each_is_handed_over(smtp_server)

    assert mail_tick(smtp_settings) == 4

    assert seen == [[SENDING] * 4] * 4
    with read_scope() as session:
        assert set(session.scalars(select(messages.c.status))) == {SENT}


def test_a_group_cut_off_is_sent_again_each_message_alone_and_the_next_cut_off_fails_one(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[[str], dict[str, Any]], mail_tick: Tick,
) -> None:
    """A worker killed mid-group leaves the whole group `sending`, handed over or not: each
    is sent again once, in a group of its own, so that a message that kills its worker again
    is the only one failed."""
    event = new_event(writer)
    for name in ("Ann", "Bob", "Cy"):
        writer.book(event, category=None, quantity=1, **buyer(name)["asks"])
    subscriber.advance(writer.eventlog)
    with session_scope() as session:  # claimed, then the worker killed before it sent any
        session.execute(update(messages).values(status=SENDING, attempts=1,
                                                sending_since=LONG_AGO))
    seen = statuses_as_each_is_handed_over(smtp_server)

    assert mail_tick(smtp_settings) == 3

    assert seen == [sorted([SENDING, *["queued"] * (2 - n), *[SENT] * n]) for n in range(3)]
    with read_scope() as session:
        rows = session.execute(select(messages)).all()
    assert {(row.status, row.attempts, row.takeovers) for row in rows} == {(SENT, 2, 1)}


def test_a_groups_messages_not_begun_in_time_are_queued_again_their_attempt_uncounted(
    writer: Ledger, any_settings: Settings, buyer: Callable[[str], dict[str, Any]],
    mail_tick: Tick, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A slow server must not keep a group's last messages `sending` past their lease: those
    not begun within GROUP_BEGIN_SECONDS of the claim go back to the queue, due at once."""
    settings = any_settings.model_copy(update={"smtp_host": None,
                                               "mail_outbox_dir": str(tmp_path / "outbox")})
    event = new_event(writer)
    for name in ("Ann", "Bob"):
        writer.book(event, category=None, quantity=1, **buyer(name)["asks"])
    monkeypatch.setattr(sender, "GROUP_BEGIN_SECONDS", 0.0)

    assert mail_tick(settings) == 0

    with read_scope() as session:
        rows = session.execute(select(messages)).all()
    assert {(row.status, row.attempts, row.sending_since) for row in rows} == {("queued", 0, None)}
    monkeypatch.setattr(sender, "GROUP_BEGIN_SECONDS", 10.0)
    assert mail_tick(settings) == 2


def test_an_smtp_refusal_is_recorded_with_its_text_and_not_tried_again(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[[str], dict[str, Any]], mail_tick: Tick,
) -> None:
    ann = buyer("Ann")
    smtp_server.refused.add(ann["email"])
    writer.book(new_event(writer), category=None, quantity=1, **ann["asks"])

    for _ in range(3):
        mail_tick(smtp_settings)

    row = only_row()
    assert (row.status, row.attempts) == (FAILED, 1)
    assert ann["email"] in row.last_error and REFUSAL in row.last_error
    assert smtp_server.taken() == []


def test_a_server_out_of_reach_is_tried_again_later_then_given_up(
    writer: Ledger, smtp_settings: Settings, buyer: Callable[[str], dict[str, Any]],
    mail_tick: Tick,
) -> None:
    nowhere = smtp_settings.model_copy(update={"smtp_port": 9, "mail_max_attempts": 2})
    writer.book(new_event(writer), category=None, quantity=1, **buyer("Ann")["asks"])

    mail_tick(nowhere)
    waiting = only_row()
    assert (waiting.status, waiting.attempts) == ("queued", 1)
    assert waiting.last_error.startswith("no SMTP session")
    with session_scope() as session:  # its backoff over
        session.execute(update(messages).values(next_attempt_at=datetime.now(UTC)))
    mail_tick(nowhere)
    assert (only_row().status, only_row().attempts) == (FAILED, 2)


def test_without_an_smtp_host_each_message_is_an_eml_file_in_the_outbox(
    writer: Ledger, any_settings: Settings, buyer: Callable[[str], dict[str, Any]],
    mail_tick: Tick, tmp_path: Path,
) -> None:
    outbox = tmp_path / "outbox"
    settings = any_settings.model_copy(update={"smtp_host": None,
                                               "mail_outbox_dir": str(outbox)})
    ann = buyer("Ann")
    booking = writer.book(new_event(writer), category=None, quantity=2, **ann["asks"]).view
    writer.cancel_booking(booking["id"])

    assert mail_tick(settings) == 2
    cut_off_mid_send()  # sent again after a restart: the same file, written again
    mail_tick(settings)

    files = sorted(outbox.glob("*.eml"))
    assert len(files) == 2 and not list(outbox.glob("*.part"))
    assert {stat.S_IMODE(p.stat().st_mode) for p in (outbox, *files)} == {0o700, 0o600}
    parsed = [email.message_from_bytes(f.read_bytes(), policy=default) for f in files]
    kinds = sorted(m["X-Ledger-Message-Kind"] for m in parsed)
    assert kinds == ["booking_cancelled", "booking_confirmed"]
    confirmation = next(m for m in parsed if m["X-Ledger-Message-Kind"] == "booking_confirmed")
    assert ann["email"] in confirmation["To"]
    assert [p.get_content_type() for p in confirmation.iter_attachments()] == ["application/pdf"]


def test_the_outbox_folder_is_taken_as_given_or_under_the_project() -> None:
    assert outbox_folder("/srv/ledger/outbox") == "/srv/ledger/outbox"
    assert outbox_folder("data/outbox/") == str(ROOT / "data" / "outbox")


def test_one_tick_sends_batch_after_batch_until_nothing_is_due(
    writer: Ledger, any_settings: Settings, buyer: Callable[[str], dict[str, Any]],
    mail_tick: Tick, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An on-sale's confirmations go out as fast as they are composed, not a batch per tick."""
    monkeypatch.setattr(sender, "PER_BATCH", 3)
    settings = any_settings.model_copy(update={"smtp_host": None,
                                               "mail_outbox_dir": str(tmp_path / "outbox")})
    event = new_event(writer)
    for n in range(7):
        writer.book(event, category=None, quantity=1, **buyer(f"Buyer{n}")["asks"])

    assert mail_tick(settings) == 7
    with read_scope() as session:
        assert set(session.scalars(select(messages.c.status))) == {SENT}


def test_an_address_not_in_ascii_goes_to_a_server_taking_smtputf8_as_written(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[[str], dict[str, Any]], mail_tick: Tick,
) -> None:
    zoe = buyer("Zoë")  # zoë-…@example.com: SMTPUTF8 carries it (aiosmtpd takes it)
    writer.book(new_event(writer), category=None, quantity=1, **zoe["asks"])

    (message,) = smtp_server.wait_for(1, tick=lambda: mail_tick(smtp_settings))

    (to,) = message["To"].addresses  # parsed from bytes: UTF-8 kept as escaped surrogates
    assert utf8(to.addr_spec) == zoe["email"] and utf8(to.display_name) == "Zoë"
    assert only_row().status == SENT


def test_an_address_not_in_ascii_to_a_server_without_smtputf8_is_failed_with_why(
    writer: Ledger, smtp_settings: Settings, buyer: Callable[[str], dict[str, Any]],
    mail_tick: Tick,
) -> None:
    zoe = buyer("Zoë")
    writer.book(new_event(writer), category=None, quantity=1, **zoe["asks"])

    with running_smtp_server(smtputf8=False) as plain:
        mail_tick(smtp_settings.model_copy(update={"smtp_port": plain.port}))
        assert plain.taken() == []

    row = only_row()
    assert (row.status, row.attempts) == (FAILED, 1)
    assert "takes no internationalized address" in row.last_error


def test_an_address_not_in_ascii_is_written_to_the_outbox_as_it_is(
    writer: Ledger, any_settings: Settings, buyer: Callable[[str], dict[str, Any]],
    mail_tick: Tick, tmp_path: Path,
) -> None:
    outbox = tmp_path / "outbox"
    settings = any_settings.model_copy(update={"smtp_host": None,
                                               "mail_outbox_dir": str(outbox)})
    zoe = buyer("Zoë")
    writer.book(new_event(writer), category=None, quantity=1, **zoe["asks"])

    mail_tick(settings)

    (file,) = outbox.glob("*.eml")
    written = email.message_from_string(file.read_text("utf-8"), policy=default)  # RFC 6532
    (to,) = written["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Zoë", zoe["email"])
    assert only_row().status == SENT


@pytest.mark.parametrize("name", ['Zoë "Z" =1, <b>', 'Ann "A" =1, <b>', "Ann"])
@pytest.mark.parametrize("address", ["ann@example.com", "zoë@example.com"])
def test_a_name_with_quotes_and_signs_is_the_recipients_name_as_written(
    name: str, address: str, any_settings: Settings,
) -> None:
    row = SimpleNamespace(data="{}", kind="booking_cancelled", recipient_name=name,
                          recipient_email=address, created_at=datetime.now(UTC), id=uuid4(),
                          subject_id=uuid4())
    letter = compose(row, any_settings)
    written = email.message_from_string(letter.data.decode("utf-8"), policy=default)
    (to,) = written["To"].addresses
    assert (to.display_name, to.addr_spec) == (name, address)
    assert letter.international == (not address.isascii())


def utf8(text: str) -> str:
    return text.encode("utf-8", "surrogateescape").decode("utf-8")


def queued_first(writer: Ledger, event: Any, person: dict[str, Any]) -> None:
    """`person`'s booking, its confirmation queued before any other's."""
    writer.book(event, category=None, quantity=1, **person["asks"])
    subscriber.advance(writer.eventlog)


def test_a_tick_sends_its_messages_over_one_smtp_session_a_refusal_included(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[[str], dict[str, Any]], mail_tick: Tick,
) -> None:
    """Connecting, the greeting, TLS and the login once a tick, not once a message; a
    recipient refused leaves the session to the next message."""
    event, ann = new_event(writer), buyer("Ann")
    smtp_server.refused.add(ann["email"])
    queued_first(writer, event, ann)
    for name in ("Bob", "Cy", "Di"):
        writer.book(event, category=None, quantity=1, **buyer(name)["asks"])

    assert mail_tick(smtp_settings) == 3
    assert len(smtp_server.taken()) == 3 and len(set(smtp_server.sessions)) == 1


def test_a_session_carries_so_many_messages_then_a_new_one_is_opened(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[[str], dict[str, Any]], mail_tick: Tick, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sender, "MESSAGES_PER_SESSION", 2)
    event = new_event(writer)
    for n in range(5):
        writer.book(event, category=None, quantity=1, **buyer(f"Buyer{n}")["asks"])

    assert mail_tick(smtp_settings) == 5
    assert len(set(smtp_server.sessions)) == 3


def test_a_session_cut_off_mid_message_is_never_used_again(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[[str], dict[str, Any]], mail_tick: Tick,
) -> None:
    """The message cut off may have arrived: sent again once, on the next tick (as a worker
    killed mid-send); the messages after it go on a new session."""
    event, ann = new_event(writer), buyer("Ann")
    smtp_server.cut_off.add(ann["email"])
    queued_first(writer, event, ann)
    for name in ("Bob", "Cy"):
        writer.book(event, category=None, quantity=1, **buyer(name)["asks"])

    assert mail_tick(smtp_settings) == 2
    with read_scope() as session:
        cut = session.execute(select(messages).where(messages.c.status != SENT)).one()
    assert (cut.takeovers, cut.attempts) == (1, 1)
    assert "connection lost while sending" in cut.last_error

    assert mail_tick(smtp_settings) == 1
    assert [m["To"] for m in smtp_server.taken()][-1].endswith(f"<{ann['email']}>")
    assert len(set(smtp_server.sessions)) == 2
