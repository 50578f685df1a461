"""A booking's tickets as one PDF, one page each: the ticket code as a QR code and as text, the
event's name, venue, start in its zone, and the ticket's category.

The QR code holds the code alone, as the check-in desk reads it (`POST /api/tickets/{code}/
check-in`). A ticket whose texts Latin-1 covers (most) is drawn in the PDF's standard faces,
written directly (`standard_font_pdf`); any other in DejaVu Sans by fpdf2
(`embedded_font_pdf`). Both draw the same layout, given here once.
"""

import re
import unicodedata
from typing import Any, Protocol

import zxingcpp

from workers.mail.embedded_font_pdf import EmbeddedFontPdf
from workers.mail.standard_font_pdf import MONO_BOLD, SANS, SANS_BOLD, StandardFontPdf
from workers.mail.templates import shown

PAGE_MM = (148.0, 210.0)  # A5, portrait
QR_SIZE_MM = 90.0
QR_QUIET_MODULES = 4  # the blank margin around the code that readers need, in modules
QR_ROW_OVERLAP = 0.02  # of a module: see `draw_qr`
DARK = 0  # a dark module's pixel in the encoder's one-pixel-per-module image
LIGHT = bytes([255])
DARK_RUN = re.compile(bytes([DARK]) + b"+")


class TicketDocument(Protocol):
    """What a ticket's page is drawn on: both kinds of PDF, in mm from a page's top left."""

    y: float  # where the next paragraph starts

    def add_page(self) -> None: ...

    def paragraph(self, face: str, size: float, line_height: float, text: str,
                  centred: bool = False) -> None: ...

    def fill_grid(self, left: float, top: float, unit: float,
                  cells: list[tuple[int, int, int, float]]) -> None: ...

    def output(self) -> bytes: ...


def tickets_pdf(data: dict[str, Any]) -> bytes:
    """The PDF of a confirmation's tickets (`data` as the subscriber records it)."""
    event = data.get("event") or {}
    name, venue = event.get("name") or "", event.get("venue") or ""
    starts = shown(event.get("starts_at"), event.get("timezone") or "UTC")
    tickets = data.get("tickets") or []
    title = f"Tickets: {name}"
    drawn = [name, venue, starts, *(f"Category: {t['category']}" for t in tickets),
             *(t["code"] for t in tickets)]  # the title is the name's
    # Each document composes its texts itself (an accent typed apart joined to its letter).
    document: TicketDocument = (
        StandardFontPdf(PAGE_MM, title) if all(map(is_latin, drawn))
        else EmbeddedFontPdf(PAGE_MM, title))
    for number, ticket in enumerate(tickets, start=1):
        document.add_page()
        document.paragraph(SANS_BOLD, 18, 9, name)
        for line in (venue, starts, f"Category: {ticket['category']}",
                     f"Ticket {number} of {len(tickets)}"):
            if line:
                document.paragraph(SANS, 12, 7, line)
        top = document.y + 6
        draw_qr(document, ticket["code"], (PAGE_MM[0] - QR_SIZE_MM) / 2, top)
        document.y = top + QR_SIZE_MM + 4
        document.paragraph(MONO_BOLD, 11, 6, ticket["code"], centred=True)
    return document.output()


def is_latin(text: str) -> bool:
    """Whether the standard faces draw the text: Latin-1 once composed, but for its C1
    controls (U+0080 to U+009F), which the faces' encoding (WinAnsiEncoding) draws as other
    signs: the euro sign, quotes, dashes."""
    composed = unicodedata.normalize("NFC", text)
    try:
        composed.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return not any("\x80" <= character <= "\x9f" for character in composed)


def draw_qr(document: TicketDocument, code: str, left: float, top: float) -> None:
    """The code as a QR code drawn in vectors, QR_SIZE_MM wide with its quiet zone: sharp at
    any zoom and on any printer, and no image to encode (which cost more than the rest of
    the page)."""
    rows = qr_rows(code)
    module = QR_SIZE_MM / (len(rows) + 2 * QR_QUIET_MODULES)
    left, top = left + QR_QUIET_MODULES * module, top + QR_QUIET_MODULES * module
    # A hair taller than its modules: no seam between rows where a viewer anti-aliases.
    document.fill_grid(left, top, module, [(x, y, width, 1 + QR_ROW_OVERLAP)
                                           for x, y, width in dark_runs(rows)])


def dark_runs(rows: list[bytes]) -> list[tuple[int, int, int]]:
    """The symbol's runs of dark modules, (x, y, width) in modules, a row high each: found in
    one pass over the rows joined by a light module. Joining the runs that the rows below
    repeat into taller rectangles drew a quarter fewer, but finding them cost more than the
    rectangles it saved."""
    step = len(rows[0]) + 1 if rows else 1
    return [(run.start() % step, run.start() // step, run.end() - run.start())
            for run in DARK_RUN.finditer(LIGHT.join(rows))]


def qr_rows(code: str) -> list[bytes]:
    """The code's QR symbol, a row of modules per item (DARK or not), without its quiet zone:
    error correction level M, and the mask the standard's penalty rules choose, so that a worn
    or badly lit print still scans. zxing-cpp's encoder, in C++: choosing the mask among eight
    is most of a symbol's cost, and in pure Python it cost more than the rest of the page."""
    symbol = zxingcpp.create_barcode(code, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    # Its Image is a buffer (its type hints do not say so): one byte per module.
    image = memoryview(symbol.to_image(scale=1, add_quiet_zones=False))  # type: ignore[arg-type]
    height, width = image.shape or (0, 0)
    pixels = image.tobytes()
    return [pixels[y * width:(y + 1) * width] for y in range(height)]
