"""Messages go out in their recipient's language, through the real mail path (the log, the
subscriber, SMTP to aiosmtpd): a buyer who chose German gets a German confirmation with German
tickets; a buyer who changes their language gets the next message in the new one."""

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import uuid4

from bench.scenario import new_event
from commands.ledger import Ledger
from core.settings import Settings
from query_api.auth.user_accounts import set_language
from tests.support.smtp_server import SmtpServer, text_of
from tests.workers.mail.attachments import pdf_pages

Tick = Callable[[Settings], int]
NBSP = "\u00a0"
STARTS = datetime(2031, 3, 14, 19, 0, tzinfo=UTC)  # 20:00 in Berlin, a Friday


def test_a_buyer_who_chose_german_gets_a_german_confirmation_and_german_tickets(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[..., dict[str, Any]], mail_tick: Tick,
) -> None:
    anna = buyer("Anna", "de")
    event_id = new_event(writer, name="Jazzabend", venue="Große Halle", starts_at=STARTS,
                         timezone="Europe/Berlin", organizer_id=str(uuid4()),
                         organizer_name="Olga",
                         categories=[{"name": "Parkett", "price": Decimal("1234.50"),
                                      "capacity": 10}])
    booking = writer.book(event_id, category=None, quantity=2, **anna["asks"]).view

    (message,) = smtp_server.wait_for(1, tick=lambda: mail_tick(smtp_settings))

    assert message["Subject"] == "Ihre Tickets für Jazzabend"
    body = text_of(message).replace("\r\n", "\n")  # as written, lines end in CRLF on the wire
    assert body.startswith("Guten Tag Anna,\n\nIhre Buchung für Jazzabend ist bestätigt: "
                           f"2 Tickets, 2.469,00{NBSP}€.\n")
    assert "Ort: Große Halle\nBeginn: Fr., 14. März 2031, 20:00 CET\n" in body
    assert f"Buchung {booking['id']}" in body
    pages = pdf_pages(message)
    assert [codes for _, codes in pages] == [[t["code"]] for t in booking["tickets"]]
    for number, (text, _) in enumerate(pages, start=1):
        for said in ("Veranstalter: Olga", "Fr., 14. März 2031, 20:00 CET",
                     "Kategorie: Parkett", f"Preis: 1.234,50{NBSP}€", "Inhaber: Anna",
                     f"Buchung {str(booking['id'])[:8]} · Ticket {number} von 2"):
            assert said in text.splitlines(), said


def test_a_buyer_who_changes_their_language_gets_the_next_message_in_it(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[..., dict[str, Any]], mail_tick: Tick,
) -> None:
    ola = buyer("Ola", "pl")
    event_id = new_event(writer, name="Koncert", starts_at=STARTS, timezone="Europe/Warsaw")
    writer.book(event_id, category=None, quantity=5, **ola["asks"])
    (polish,) = smtp_server.wait_for(1, tick=lambda: mail_tick(smtp_settings))

    set_language(ola["id"], "en")
    writer.book(event_id, category=None, quantity=1, **ola["asks"])
    _, english = smtp_server.wait_for(2, tick=lambda: mail_tick(smtp_settings))

    assert polish["Subject"] == "Twoje bilety na Koncert"
    assert f"potwierdzona: 5 biletów, 125,00{NBSP}€." in text_of(polish)
    assert english["Subject"] == "Your tickets for Koncert"
    assert "is confirmed: 1 ticket, €25.00." in text_of(english)


def test_a_german_buyer_reads_the_events_german_name_where_its_organizer_gave_one(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[..., dict[str, Any]], mail_tick: Tick,
) -> None:
    anna, ann = buyer("Anna", "de"), buyer("Ann", "en")
    event_id = new_event(writer, name="Jazz night", starts_at=STARTS, timezone="Europe/Berlin",
                         translations={"de": {"name": "Jazzabend"}})
    for who in (anna, ann):
        writer.book(event_id, category=None, quantity=1, **who["asks"])

    taken = smtp_server.wait_for(2, tick=lambda: mail_tick(smtp_settings))

    german, english = sorted(taken, key=lambda m: m["To"], reverse=True)
    assert german["Subject"] == "Ihre Tickets für Jazzabend"
    assert english["Subject"] == "Your tickets for Jazz night"
    ((page, _),) = pdf_pages(german)
    assert page.splitlines()[0] == "Jazzabend"
