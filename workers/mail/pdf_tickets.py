"""A booking's tickets as one PDF, one page each: the ticket code as a QR code and as text, the
event's name, organizer, venue and start in its zone, the ticket's category and price, and the
booking's holder and reference, so that whoever checks it at the door can tell whose it is.

The QR code holds the code alone, as the check-in desk reads it (`POST /api/tickets/{code}/
check-in`), made by `qr_symbols`. A ticket whose texts Windows-1252 covers (most: Latin-1 and
the euro sign) is drawn in the PDF's standard faces, written directly (`standard_font_pdf`);
any other in DejaVu Sans by fpdf2 (`embedded_font_pdf`). Both draw the same layout, given here
once.
"""

import unicodedata
from typing import Any, NamedTuple, Protocol

from core.languages import language_or_default
from core.single_line import one_line
from workers.mail.embedded_font_pdf import EmbeddedFontPdf
from workers.mail.qr_symbols import QrSymbol, symbol
from workers.mail.standard_font_pdf import ENCODING, MONO_BOLD, SANS, SANS_BOLD, StandardFontPdf
from workers.mail.templates import booking_ref, event_name, price, shown, ticket_page

PAGE_MM = (148.0, 210.0)  # A5, portrait
QR_SIZE_MM = 90.0
QR_QUIET_MODULES = 4  # the blank margin around the code that readers need, in modules


class TicketDocument(Protocol):
    """What a ticket's page is drawn on: both kinds of PDF, in mm from a page's top left."""

    y: float  # where the next paragraph starts

    def add_page(self) -> None: ...

    def paragraph(  # noqa: PLR0913 - as both writers take it
            self, face: str, size: float, line_height: float, text: str,
            centred: bool = False, most: int | None = None) -> None: ...

    def qr_code(self, left: float, top: float, module: float, drawn: QrSymbol) -> None: ...

    def output(self) -> bytes: ...


class Page(NamedTuple):
    """What each page of a booking's PDF says around its ticket's own lines."""

    name: str
    # The organizer, venue and start ('' for none), each with the most lines it may take.
    heading: list[tuple[str, int]]
    holder: str
    number: str  # the ticket's number of the booking's, and its reference, to fill in


def tickets_pdf(data: dict[str, Any]) -> bytes:
    """The PDF of a confirmation's tickets (`data` as the subscriber records it), in the
    language it records (`language`: the recipient's; English for none)."""
    language = language_or_default(data.get("language"))
    said = ticket_page(language)
    page = page_of(data, said, language)
    tickets = data.get("tickets") or []
    currency = (data.get("event") or {}).get("currency") or ""
    kinds = [kind_lines(ticket, currency, said, language) for ticket in tickets]
    reference = booking_ref(data.get("booking_id"))
    drawn = [page.name, *(text for text, _ in page.heading), page.holder, page.number,
             *(text for kind in kinds for text in kind), *(t["code"] for t in tickets)]
    title = said["title"].format(event_name=page.name)
    # Each document composes its texts itself (an accent typed apart joined to its letter).
    document: TicketDocument = (
        StandardFontPdf(PAGE_MM, title) if is_latin("\n".join(drawn))
        else EmbeddedFontPdf(PAGE_MM, title))
    for count, (ticket, kind) in enumerate(zip(tickets, kinds, strict=True), start=1):
        number = page.number.format(booking=reference, number=count, count=len(tickets))
        draw_page(document, page, kind, number, ticket["code"])
    return document.output()


def draw_page(document: TicketDocument, page: Page, kind: list[str], number: str,
              code: str) -> None:
    """A ticket's page. The event's lines come first, at the same place on each booking's
    pages, so that their layout is made once (`standard_font_pdf.text_lines`); then what the
    ticket's category, its booking and the ticket have of their own. Each text takes at most
    a few lines, the last cut short with an ellipsis: the longest names still leave the QR
    code and its code on the page."""
    document.add_page()
    document.paragraph(SANS_BOLD, 18, 9, page.name, most=2)
    for text, most in [*page.heading, *((text, 1) for text in kind)]:
        if text:
            document.paragraph(SANS, 12, 7, text, most=most)
    if page.holder:
        document.paragraph(SANS_BOLD, 14, 8, page.holder, most=2)
    document.paragraph(SANS, 12, 7, number, most=1)
    top = document.y + 6
    draw_qr(document, code, (PAGE_MM[0] - QR_SIZE_MM) / 2, top)
    document.y = top + QR_SIZE_MM + 4
    document.paragraph(MONO_BOLD, 11, 6, code, centred=True)


def page_of(data: dict[str, Any], said: dict[str, str], language: str) -> Page:
    """The texts every ticket of the confirmation shows, in `said`'s words and `language`'s
    formats (the page's number still to be filled in)."""
    event = data.get("event") or {}
    organizer = one_line(event.get("organizer_name") or "")
    # Recorded before confirmations named their holder: the account's name then.
    holder = one_line(data.get("holder_name") or data.get("recipient_name") or "")
    number = said["booked_ticket"] if data.get("booking_id") else said["ticket"]
    starts = shown(event.get("starts_at"), event.get("timezone") or "UTC", language)
    return Page(event_name(event, language),
                [(said["organizer"].format(organizer=organizer) if organizer else "", 1),
                 (event.get("venue") or "", 2),
                 (starts, 1)],
                said["holder"].format(holder=holder) if holder else "", number)


def kind_lines(ticket: dict[str, Any], currency: str, said: dict[str, str],
               language: str) -> list[str]:
    """The ticket's category, and its price as the e-mail writes money (a ticket recorded
    before confirmations carried prices has none to show)."""
    category = said["category"].format(category=ticket["category"])
    if ticket.get("price") is None:
        return [category]
    return [category, said["price"].format(price=price(ticket["price"], currency, language))]


def is_latin(text: str) -> bool:
    """Whether the standard faces draw the text: their encoding (WinAnsiEncoding) covers it
    once composed: Latin-1 and the euro sign, typographic quotes and dashes, but no C1
    control (U+0080 to U+009F), which the encoding has no place for."""
    try:
        unicodedata.normalize("NFC", text).encode(ENCODING)
    except UnicodeEncodeError:
        return False
    return True


def draw_qr(document: TicketDocument, code: str, left: float, top: float) -> None:
    """The code as a QR code QR_SIZE_MM wide with its quiet zone."""
    drawn = symbol(code)
    module = QR_SIZE_MM / (drawn.size + 2 * QR_QUIET_MODULES)
    document.qr_code(left + QR_QUIET_MODULES * module, top + QR_QUIET_MODULES * module, module,
                     drawn)
