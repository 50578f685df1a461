"""The tickets' PDF draws names as written: Polish, Cyrillic and Greek letters and typographic
punctuation in the name and venue, and in the holder's name as the booking recorded it, the QR
code still the ticket's code; a name in a script the fonts lack is drawn with "?" in its place,
never refused; the longest texts are cut short, never over the QR code nor off the page."""

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pypdf
import pypdfium2
import pytest
import zxingcpp

from bench.scenario import new_event
from commands.ledger import Ledger
from core.settings import Settings
from tests.support.smtp_server import SmtpServer
from tests.workers.mail.attachments import BOTH_WRITERS, RENDER_SCALE, pages_of, pdf_pages
from workers.mail.pdf_tickets import QR_QUIET_MODULES, tickets_pdf
from workers.mail.qr_symbols import symbol

Tick = Callable[[Settings], int]
NAME = "Филармония Łódź · Ωδείο"  # one line at the heading's size
VENUE = "Café Zürich — 19:00"
HOLDER = "Zoë Łukasiewicz"
CODE = "OfRzBj5KI8_YZHxP6KV3Kg"
BOOKING = "5f0c2a9e-1b7d-4c3e-9a51-0d2f6e8b7c14"


def test_a_name_in_polish_cyrillic_and_greek_is_on_the_ticket_as_written(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[[str], dict[str, Any]], mail_tick: Tick,
) -> None:
    event_id = new_event(writer, name=NAME, venue=VENUE)
    booking = writer.book(event_id, category=None, quantity=2, **buyer("Ann")["asks"]).view
    codes = [t["code"] for t in booking["tickets"]]

    (message,) = smtp_server.wait_for(1, tick=lambda: mail_tick(smtp_settings))

    pages = pdf_pages(message)
    assert [decoded for _, decoded in pages] == [[codes[0]], [codes[1]]]
    for (text, _), code in zip(pages, codes, strict=True):
        assert NAME in text and VENUE in text and code in text
        assert "?" not in text


def test_an_accent_typed_apart_from_its_letter_is_drawn_joined_to_it() -> None:
    text = page_texts(tickets_pdf(confirmation("Cafe\u0301 Zu\u0308rich")))

    assert text == ["Café Zürich"]


def test_a_name_in_a_script_the_fonts_lack_is_drawn_with_question_marks() -> None:
    text = page_texts(tickets_pdf(confirmation("東京フィルハーモニー Seoul 서울")))

    assert text == ["?????????? Seoul ??"]


def test_a_control_character_is_never_drawn_as_another_sign() -> None:
    # U+0080 is Latin-1, but the standard faces' encoding draws its byte as the euro sign.
    text = page_texts(tickets_pdf(confirmation("Jazz\x80Night")))

    assert text == ["Jazz?Night"]


def confirmation(name: str) -> dict[str, Any]:
    """A confirmation's recorded data with one ticket, for an event of this name."""
    return {"event": {"name": name, "venue": "", "starts_at": "2026-12-28T18:00:00+00:00",
                      "timezone": "Europe/Warsaw"},
            "tickets": [{"code": CODE, "category": "General"}]}


def page_texts(pdf: bytes) -> list[str]:
    """The first line of each page: the event's name as drawn."""
    return [text.splitlines()[0] for text, _ in pages_of(pdf)]


@BOTH_WRITERS
@pytest.mark.parametrize("venue", [
    "Royal Festival Hall, Southbank Centre, Belvedere Road, London SE1 8XX, United Kingdom",
    # One word wider than a line: broken where it must be.
    "Royal-Festival-Hall-Southbank-Centre-Belvedere-Road-London-SE1-8XX-UK"])
def test_a_venue_too_long_for_a_line_is_wrapped_on_the_page(name: str, venue: str) -> None:
    data = confirmation(name)
    data["event"]["venue"] = venue
    pdf = tickets_pdf(data)

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        text = page.get_textpage()
        right_edges = [text.get_charbox(i)[2] for i in range(text.count_chars())]
        width = page.get_width()
        lines = text.get_text_range().splitlines()
    finally:
        document.close()
    assert max(right_edges) < width  # nothing runs off the page
    assert len(lines) == 7  # the name, the venue on two lines, start, category, number, code
    assert lines[1] + (" " if " " in venue else "") + lines[2] == venue  # whole


def test_each_page_names_its_holder_as_booked_in_any_latin_letters_with_its_own_price(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[[str], dict[str, Any]], mail_tick: Tick,
) -> None:
    event_id = new_event(writer, name="Jazz night", venue="Blue Hall",
                         organizer_id=str(uuid4()), organizer_name="Olga Kowalska", categories=[
                             {"name": "Stalls", "price": Decimal("40.00"), "capacity": 10},
                             {"name": "Balcony", "price": Decimal("15.50"), "capacity": 10}])
    # The name the booking records, not the account's ("Zoe"): Ł is not Latin-1, so the
    # page is drawn in DejaVu.
    asks = buyer("Zoe")["asks"] | {"user_name": HOLDER}
    held = writer.hold(event_id, category=None, quantity=2,
                       lines=[("Stalls", 1), ("Balcony", 1)], **asks).view
    booking = writer.confirm_hold(held["id"]).view
    codes = [t["code"] for t in booking["tickets"]]

    (message,) = smtp_server.wait_for(1, tick=lambda: mail_tick(smtp_settings))

    pages = pdf_pages(message)
    assert [decoded for _, decoded in pages] == [[codes[0]], [codes[1]]]
    reference = str(booking["id"])[:8]
    for (text, _), number, (category, price) in zip(
            pages, (1, 2), [("Stalls", "€40.00"), ("Balcony", "€15.50")], strict=True):
        assert f"Holder: {HOLDER}" in text
        assert f"Category: {category}\nPrice: {price}" in text
        assert f"Booking {reference} · Ticket {number} of 2" in text
        assert "Organized by Olga Kowalska" in text and "Blue Hall" in text


def test_a_holder_named_in_a_script_the_fonts_lack_still_gets_a_ticket_that_scans() -> None:
    data = confirmation("Jazz night") | {"holder_name": "山田太郎", "booking_id": BOOKING}

    ((text, decoded),) = pages_of(tickets_pdf(data))

    assert "Holder: ????" in text and f"Booking {BOOKING[:8]} · Ticket 1 of 1" in text
    assert decoded == [CODE]


@BOTH_WRITERS
def test_a_holder_name_with_a_pdf_strings_signs_is_drawn_as_written(name: str) -> None:
    holder = "Ann (Jr.) \\ O'Brien) ("
    pdf = tickets_pdf(confirmation(name) | {"holder_name": holder})

    (page,) = pypdf.PdfReader(io.BytesIO(pdf), strict=True).pages  # a broken string raises
    assert f"Holder: {holder}" in page.extract_text()
    assert [decoded for _, decoded in pages_of(pdf)] == [[CODE]]


@BOTH_WRITERS
def test_the_longest_texts_are_cut_short_above_the_qr_code_and_inside_the_page(
        name: str) -> None:
    data = confirmation(f"{name} " + "Symphonieorchester Mozart " * 8)
    data["event"] |= {"venue": "Royal Festival Hall, Southbank Centre, " * 5,
                      "organizer_name": "Philharmonic Society of Greater Manchester " * 5,
                      "currency": "GBP"}
    data |= {"holder_name": "Maximilian-Alexander von Hohenzollern-Sigmaringen " * 3,
             "booking_id": BOOKING}
    data["tickets"][0] |= {"category": "Front row with champagne reception " * 6,
                           "price": "1234567.89"}

    document = pypdfium2.PdfDocument(tickets_pdf(data))
    try:
        page = document[0]
        (qr,) = zxingcpp.read_barcodes(page.render(scale=RENDER_SCALE).to_pil())
        text = page.get_textpage()
        drawn = [(text.get_text_range(i, 1), text.get_charbox(i))
                 for i in range(text.count_chars()) if not text.get_text_range(i, 1).isspace()]
        lines = text.get_text_range().splitlines()
        width, height = page.get_width(), page.get_height()
    finally:
        document.close()
    assert qr.text == CODE
    corner, right = qr.position.top_left, qr.position.top_right
    module = (right.x - corner.x) / RENDER_SCALE / symbol(CODE).size
    # The symbol's top with its quiet zone, which a reader needs blank (PDF's y goes up).
    qr_top = height - corner.y / RENDER_SCALE + QR_QUIET_MODULES * module
    below = "".join(sign for sign, (_, _, _, top) in drawn if top < qr_top)
    assert below == CODE  # every other line above the QR code, none over it
    assert all(bottom > qr_top for _, (_, bottom, _, top) in drawn if top >= qr_top)
    assert all(left > 0 and right < width for _, (left, _, right, _) in drawn)
    assert lines[-1] == CODE and lines[-2] == f"Booking {BOOKING[:8]} · Ticket 1 of 1"
    # The event's name, venue and holder on two lines each, the rest on one.
    assert len(lines) == 2 + 1 + 2 + 1 + 1 + 1 + 2 + 1 + 1
    assert "Price: £1,234,567.89" in lines
    assert sum(line.endswith("…") for line in lines) == 5  # all but the start, price, number
