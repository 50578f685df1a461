"""A message in its recipient's language: the e-mail's subject and body, the tickets' PDF and
the invoice's PDF in German and Polish, with their dates, times and prices as those languages
write them, and counts by each language's plural rule (Polish has three forms)."""

from datetime import UTC, datetime
from typing import Any

import facturx
import pytest

from tests.workers.invoices.test_document import cancellation, invoice, pdf_text, several_rates
from tests.workers.mail.attachments import pages_of
from workers.invoices.document import invoice_pdf, invoice_xml
from workers.mail import templates
from workers.mail.pdf_tickets import tickets_pdf
from workers.mail.tables import CONFIRMATION, EVENT_CANCELLED, OFFER, TICKETS_CANCELLED
from workers.mail.zones import local_time

NBSP = "\u00a0"  # CLDR's space between an amount and its sign, and between groups in Polish
BOOKING = "0f8b4a62-1f7e-4d2a-9a55-3c1d2e4f5a6b"
EVENT = {"name": "Jazzabend", "venue": "Große Halle", "starts_at": "2030-12-14T19:00:00Z",
         "timezone": "Europe/Berlin", "currency": "EUR", "organizer_name": "Olga"}
DATA: dict[str, Any] = {
    "event": EVENT, "recipient_name": "Anna", "holder_name": "Anna Schmidt",
    "booking_id": BOOKING, "quantity": 2, "total": "2469.00",
    "tickets": [{"code": "CODE-ONE-1", "category": "Parkett", "price": "1234.50"},
                {"code": "CODE-TWO-2", "category": "Parkett", "price": "1234.50"}]}


def test_a_german_confirmation_says_its_date_time_and_price_as_germans_write_them() -> None:
    subject, body = templates.render(CONFIRMATION, DATA | {"language": "de"})

    assert subject == "Ihre Tickets für Jazzabend"
    assert body == (
        "Guten Tag Anna,\n\n"
        f"Ihre Buchung für Jazzabend ist bestätigt: 2 Tickets, 2.469,00{NBSP}€.\n"
        "Ort: Große Halle\n"
        "Beginn: Sa., 14. Dez. 2030, 20:00 CET\n\n"
        "Ihre Tickets finden Sie im angehängten PDF, eines pro Seite: Zeigen Sie den QR-Code "
        "am Einlass vor.\n"
        "Ticketcodes:\n  CODE-ONE-1 (Parkett)\n  CODE-TWO-2 (Parkett)\n\n"
        f"Buchung {BOOKING}\n")


def test_the_same_confirmation_in_english_and_polish() -> None:
    _, english = templates.render(CONFIRMATION, DATA | {"language": "en"})
    _, polish = templates.render(CONFIRMATION, DATA | {"language": "pl"})

    assert "is confirmed: 2 tickets, €2,469.00." in english
    assert "Starts: Sat, 14 Dec 2030, 20:00 CET" in english
    assert f"jest potwierdzona: 2 bilety, 2{NBSP}469,00{NBSP}€." in polish
    assert "Początek: sob., 14 gru 2030, 20:00 CET" in polish


@pytest.mark.parametrize(("count", "tickets", "seats"), [
    (1, "1 bilet", "1 miejsce"), (2, "2 bilety", "2 miejsca"), (5, "5 biletów", "5 miejsc"),
    (12, "12 biletów", "12 miejsc"), (22, "22 bilety", "22 miejsca")])
def test_polish_counts_take_the_form_polish_gives_each_number(
        count: int, tickets: str, seats: str) -> None:
    data = DATA | {"language": "pl", "quantity": count, "refund": "0",
                   "category": "Parkett", "expires_at": "2030-12-10T12:00:00Z"}

    _, cancelled = templates.render(TICKETS_CANCELLED, data)
    _, event_off = templates.render(EVENT_CANCELLED, data)
    _, offer = templates.render(OFFER, data)

    assert f"anulowano {tickets};" in cancelled
    assert event_off.rstrip().endswith(f"Twoja rezerwacja {BOOKING}: {tickets}.")
    assert f"zarezerwowaliśmy dla Ciebie {seats} w kategorii Parkett." in offer


def test_german_counts_agree_with_their_verb() -> None:
    one = templates.render(TICKETS_CANCELLED, DATA | {"language": "de", "quantity": 1})[1]
    two = templates.render(TICKETS_CANCELLED, DATA | {"language": "de", "quantity": 2})[1]
    assert "1 Ticket Ihrer Buchung" in one and ") ist storniert;" in one
    assert "2 Tickets Ihrer Buchung" in two and ") sind storniert;" in two


def test_a_refund_and_a_free_booking_in_german() -> None:
    _, refunded = templates.render(TICKETS_CANCELLED, DATA | {"language": "de",
                                                              "refund": "1234.5"})
    _, free = templates.render(CONFIRMATION, DATA | {"language": "de", "total": "0"})
    assert f"Erstattung: 1.234,50{NBSP}€, der Preis der Tickets.\n" in refunded
    assert "bestätigt: 2 Tickets, kostenlos." in free


def test_the_german_tickets_pdf_says_its_words_date_and_prices_in_german() -> None:
    pages = pages_of(tickets_pdf(DATA | {"language": "de"}))

    assert [codes for _, codes in pages] == [["CODE-ONE-1"], ["CODE-TWO-2"]]
    for number, (text, _) in enumerate(pages, start=1):
        lines = text.splitlines()
        assert lines[:3] == ["Jazzabend", "Veranstalter: Olga", "Große Halle"]
        assert "Sa., 14. Dez. 2030, 20:00 CET" in lines
        assert "Kategorie: Parkett" in lines
        assert f"Preis: 1.234,50{NBSP}€" in lines
        assert "Inhaber: Anna Schmidt" in lines
        assert f"Buchung {BOOKING[:8]} · Ticket {number} von 2" in lines


def test_the_polish_tickets_pdf_draws_its_letters_and_zloty() -> None:
    data = DATA | {"language": "pl", "event": EVENT | {"currency": "PLN"}}
    ((text, codes), _) = pages_of(tickets_pdf(data))

    assert codes == ["CODE-ONE-1"]
    assert "sob., 14 gru 2030, 20:00 CET" in text and "Kategoria: Parkett" in text
    assert f"Cena: 1{NBSP}234,50{NBSP}zł" in text
    assert f"Rezerwacja {BOOKING[:8]} · Bilet 1 z 2" in text


def test_the_euro_sign_keeps_an_english_ticket_in_the_standard_faces() -> None:
    """The euro sign is in the standard faces' encoding: such a ticket is not drawn by fpdf2."""
    pdf = tickets_pdf(DATA | {"language": "en"})
    assert b"/BaseFont /Helvetica" in pdf and b"DejaVu" not in pdf
    ((text, _), _) = pages_of(pdf)
    assert "Price: €1,234.50" in text.splitlines()


def test_a_time_in_each_language_with_the_zones_own_label() -> None:
    moment = datetime(2030, 7, 4, 12, 0, tzinfo=UTC)
    assert local_time(moment, "Europe/Warsaw", "pl") == "czw., 4 lip 2030, 14:00 CEST"
    assert local_time(moment, "Europe/Warsaw", "de") == "Do., 4. Juli 2030, 14:00 CEST"
    assert local_time(moment, "America/New_York", "en") == "Thu, 4 Jul 2030, 08:00 EDT"


def test_the_german_invoice_pdf_says_its_words_days_and_amounts_in_german() -> None:
    (page,) = pdf_text(invoice_pdf(several_rates(), "de"))

    for said in ("Rechnung ACME-00001", "Rechnungsdatum", "30.11.2026", "RECHNUNGSEMPFÄNGER",
                 "USt-IdNr. FR40303265045", "Buchungsnummer K7Q2-MX9P",
                 "Sa., 12. Dez. 2026, 20:00", "Beträge in EUR. Einzelpreise inklusive Steuer.",
                 "Summe netto 71,00", "Summe Steuer 8,75", "Gesamtbetrag EUR 79,75",
                 "Mit Karte bezahlt 79,75", "VAT 7,5 %", "Umsatzsteuerfrei",
                 "ACME-00001 · Seite 1 von 1"):
        assert said in page, said


def test_a_polish_cancellation_pdf_shows_its_amounts_negative_in_polish() -> None:
    (page,) = pdf_text(invoice_pdf(cancellation(), "pl"))

    assert "Faktura korygująca ACME-00002 — anuluje fakturę" in page  # its title, wrapped
    assert "anuluje w całości fakturę ACME-00001 z dnia 30 lis 2026." in page
    assert "Razem EUR \u221248,00" in page and "Zwrócono na kartę \u221248,00" in page


def test_the_invoices_xml_is_the_same_whatever_the_pages_language() -> None:
    """The e-invoice is read by software: its codes and notes stay as they are."""
    english, german = invoice_pdf(invoice(), "en"), invoice_pdf(invoice(), "de")

    assert pdf_text(english) != pdf_text(german)
    embedded = [facturx.get_facturx_xml_from_pdf(pdf, check_xsd=True) for pdf in (english, german)]
    assert embedded[0] == embedded[1] == ("factur-x.xml", invoice_xml(invoice()))
