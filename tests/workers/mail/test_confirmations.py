"""Messages made from the real log: a booking's confirmation with its tickets as one PDF whose
QR codes are the ticket codes, exactly once, never again after a rebuild of the projections nor
when the subscriber reads the log again; an event's cancellation to each holder once."""

from collections.abc import Callable
from typing import Any
from uuid import uuid4

from sqlalchemy import select, update

from bench.scenario import new_event
from commands.ledger import Ledger
from core.db import read_scope, session_scope
from core.erased_address import erased_address
from core.personal import ERASED
from core.settings import Settings
from projections import rebuild
from tests.support.smtp_server import SmtpServer, text_of
from tests.workers.mail.attachments import pdf_pages
from workers.mail import resends, subscriber
from workers.mail.lookups import users
from workers.mail.tables import SENT, SUBSCRIBER, messages, tracking

Tick = Callable[[Settings], int]


def rows() -> list[Any]:
    with read_scope() as session:
        return list(session.execute(select(messages).order_by(messages.c.created_at)))


def test_two_tickets_make_one_message_with_a_page_and_a_qr_code_each(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[[str], dict[str, Any]], mail_tick: Tick,
) -> None:
    ann = buyer("Ann")
    event_id = new_event(writer, name="Jazz night", venue="Blue Hall",
                         organizer_id=str(uuid4()), organizer_name="Olga (Blue Note)")
    booking = writer.book(event_id, category=None, quantity=2, **ann["asks"]).view
    codes = [t["code"] for t in booking["tickets"]]

    (message,) = smtp_server.wait_for(1, tick=lambda: mail_tick(smtp_settings))

    assert message["To"] == f"Ann <{ann['email']}>"
    assert message["Subject"] == "Your tickets for Jazz night"
    body = text_of(message)
    assert all(code in body for code in codes) and "2 tickets, €50.00" in body
    pages = pdf_pages(message)
    assert [decoded for _, decoded in pages] == [[codes[0]], [codes[1]]]
    reference = str(booking["id"])[:8]  # as the web UI shows it; the e-mail's id starts so
    assert f"Booking {booking['id']}" in body
    for number, ((text, _), code) in enumerate(zip(pages, codes, strict=True), start=1):
        assert code in text and "Jazz night" in text and "Blue Hall" in text
        assert "Category: General" in text and "UTC" in text
        assert "Holder: Ann" in text and "Price: €25.00" in text
        assert "Organized by Olga (Blue Note)" in text
        assert f"Booking {reference} · Ticket {number} of 2" in text
    (row,) = rows()
    assert (row.kind, row.status, row.attempts, row.recipient_email) == (
        "booking_confirmed", SENT, 1, ann["email"])
    assert message["Message-ID"] == f"<{row.id}@ledger.test>"


def test_a_confirmation_sent_again_shows_the_same_holder_reference_and_prices(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[[str], dict[str, Any]], mail_tick: Tick,
) -> None:
    ann = buyer("Ann")
    event_id = new_event(writer, name="Jazz night", venue="Blue Hall",
                         organizer_id=str(uuid4()), organizer_name="Olga")
    asks = ann["asks"] | {"user_name": "Ann Booker"}  # the name the booking records
    booking = writer.book(event_id, category=None, quantity=2, **asks).view
    smtp_server.wait_for(1, tick=lambda: mail_tick(smtp_settings))

    resends.queue_confirmation(writer.booking(booking["id"]), ann["id"], max_per_hour=3)
    first, again = smtp_server.wait_for(2, tick=lambda: mail_tick(smtp_settings))

    assert pdf_pages(again) == pdf_pages(first)
    for text, _ in pdf_pages(again):
        assert "Holder: Ann Booker" in text and "Price: €25.00" in text
        assert f"Booking {str(booking['id'])[:8]}" in text and "Organized by Olga" in text


def test_an_organizer_erased_before_the_read_model_forgot_them_is_named_erased_on_tickets(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[[str], dict[str, Any]], mail_tick: Tick,
) -> None:
    olga = buyer("Olga-Featherstonehaugh")
    event_id = new_event(writer, name="Jazz night", organizer_id=str(olga["id"]),
                         organizer_name=olga["name"])
    with session_scope() as session:  # the erasure's first step: the fact not folded yet
        session.execute(update(users).where(users.c.id == olga["id"]).values(
            email=erased_address(olga["id"]), name=ERASED))
    writer.book(event_id, category=None, quantity=1, **buyer("Ann")["asks"])

    (message,) = smtp_server.wait_for(1, tick=lambda: mail_tick(smtp_settings))

    assert [text for text, _ in pdf_pages(message) if "Organized by erased" in text]
    assert "Featherstonehaugh" not in str(message) and "Featherstonehaugh" not in str(rows())


def test_a_rebuild_or_a_second_reading_of_the_log_sends_nothing_new(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[[str], dict[str, Any]], mail_tick: Tick,
) -> None:
    event_id = new_event(writer)
    for name in ("Ann", "Ben"):
        writer.book(event_id, category=None, quantity=1, **buyer(name)["asks"])
    smtp_server.wait_for(2, tick=lambda: mail_tick(smtp_settings))

    rebuild.rebuild_all(writer.eventlog)
    mail_tick(smtp_settings)
    with session_scope() as session:  # read from the start again: the unique key holds
        session.execute(update(tracking).where(tracking.c.name == SUBSCRIBER).values(position=0))
    assert subscriber.advance(writer.eventlog) == writer.eventlog.last()  # every entry read
    mail_tick(smtp_settings)

    assert len(rows()) == 2  # and no message recorded twice
    assert len(smtp_server.taken()) == 2
    assert [r.status for r in rows()] == [SENT, SENT]
    assert subscriber.position() == writer.eventlog.last()


def test_an_events_cancellation_tells_each_holder_once_and_no_booking_notice(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[[str], dict[str, Any]], mail_tick: Tick,
) -> None:
    ann, ben = buyer("Ann"), buyer("Ben")
    event_id = new_event(writer, name="Gala")
    for who in (ann, ann, ben):
        writer.book(event_id, category=None, quantity=1, **who["asks"])
    writer.cancel_event(event_id, reason=None)

    smtp_server.wait_for(5, tick=lambda: mail_tick(smtp_settings))
    mail_tick(smtp_settings)

    kinds = sorted((r.kind, r.recipient_email) for r in rows())
    assert kinds == sorted([("booking_confirmed", ann["email"])] * 2
                           + [("booking_confirmed", ben["email"])]
                           + [("event_cancelled", ann["email"])] * 2
                           + [("event_cancelled", ben["email"])])
    notices = [m for m in smtp_server.taken() if m["Subject"] == "Gala is cancelled"]
    assert len(notices) == 3  # one per booking, each with what it gives back
    assert all("Refund: €25.00, what its tickets cost." in text_of(m) for m in notices)
