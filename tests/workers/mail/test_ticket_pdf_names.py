"""The tickets' PDF draws names as written: Polish, Cyrillic and Greek letters and typographic
punctuation in the name and venue, the QR code still the ticket's code; a name in a script the
fonts lack is drawn with "?" in its place, never refused."""

from collections.abc import Callable
from typing import Any

import pypdfium2
import pytest

from bench.scenario import new_event
from commands.ledger import Ledger
from core.settings import Settings
from tests.support.smtp_server import SmtpServer
from tests.workers.mail.attachments import BOTH_WRITERS, pages_of, pdf_pages
from workers.mail.pdf_tickets import tickets_pdf

Tick = Callable[[Settings], int]
NAME = "Филармония Łódź · Ωδείο"  # one line at the heading's size
VENUE = "Café Zürich — 19:00"


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
            "tickets": [{"code": "OfRzBj5KI8_YZHxP6KV3Kg", "category": "General"}]}


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
