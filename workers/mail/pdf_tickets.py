"""A booking's tickets as one PDF, one page each: the ticket code as a QR code and as text, the
event's name, venue, start in its zone, and the ticket's category.

The QR code holds the code alone, as the check-in desk reads it (`POST /api/tickets/{code}/
check-in`). A ticket whose texts Latin-1 covers is drawn in the PDF's built-in faces; any other
in DejaVu Sans (`fonts/`, subset into the PDF), which covers Latin, Greek and Cyrillic: a
character missing from the bold face is taken from the regular one, and one neither has
(Chinese, Japanese, Korean, emoji) is shown as "?" (the e-mail's text carries every name as
written).
"""

import re
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import zxingcpp
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import Align, RenderStyle, XPos, YPos

from workers.mail.templates import shown

PAGE_MM = (148.0, 210.0)  # A5, portrait
QR_SIZE_MM = 90.0
QR_QUIET_MODULES = 4  # the blank margin around the code that readers need, in modules
QR_ROW_OVERLAP = 0.02  # of a module: see `draw_qr`
DARK = 0  # a dark module's pixel in the encoder's one-pixel-per-module image
DARK_RUN = re.compile(bytes([DARK]) + b"+")
FONTS = Path(__file__).with_name("fonts")
SANS, MONO = "DejaVuSans", "DejaVuSansMono"
FACES = {(SANS, ""): "DejaVuSans.ttf", (SANS, "B"): "DejaVuSans-Bold.ttf",
         (MONO, "B"): "DejaVuSansMono-Bold.ttf"}
# The face with the most characters, whose coverage decides what is drawn.
WIDEST = FACES[(SANS, "")]


def tickets_pdf(data: dict[str, Any]) -> bytes:
    """The PDF of a confirmation's tickets (`data` as the subscriber records it)."""
    event = data.get("event") or {}
    starts = shown(event.get("starts_at"), event.get("timezone") or "UTC")
    tickets = data.get("tickets") or []
    texts = [event.get("name") or "", event.get("venue") or "", starts,
             *(f"Category: {t['category']}" for t in tickets)]
    pdf = FPDF(format=PAGE_MM)
    sans, mono, draw = faces(pdf, texts)
    pdf.set_auto_page_break(auto=False)
    pdf.set_title(draw(f"Tickets: {event.get('name') or ''}"))
    for number, ticket in enumerate(tickets, start=1):
        pdf.add_page()
        pdf.set_font(sans, "B", 18)
        paragraph(pdf, 9, draw(event.get("name") or ""))
        pdf.set_font(sans, "", 12)
        for line in (event.get("venue") or "", starts, f"Category: {ticket['category']}",
                     f"Ticket {number} of {len(tickets)}"):
            if line:
                paragraph(pdf, 7, draw(line))
        draw_qr(pdf, ticket["code"], (pdf.w - QR_SIZE_MM) / 2, pdf.get_y() + 6)
        pdf.set_y(pdf.get_y() + QR_SIZE_MM + 10)
        pdf.set_font(mono, "B", 11)
        paragraph(pdf, 6, draw(ticket["code"]), align=Align.C)
    return bytes(pdf.output())


def paragraph(pdf: FPDF, line_height: float, text: str, align: Align = Align.L) -> None:
    """The text across the page, on as many lines as it needs; the next text below it. Most
    texts fit on a line, drawn as one cell: breaking it into lines costs twice as much."""
    if pdf.get_string_width(text) <= pdf.epw - 2 * pdf.c_margin:
        pdf.cell(0, line_height, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    else:
        pdf.multi_cell(0, line_height, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def faces(pdf: FPDF, texts: list[str]) -> tuple[str, str, Callable[[str], str]]:
    """The sans and mono faces to draw these texts with, and how to make a text drawable.

    Text that Latin-1 covers (most names) is drawn in the PDF's built-in faces, which cost
    nothing to embed. Other text needs DejaVu: reading and subsetting its files costs several
    times the rest of the PDF, paid only by the tickets that need it.
    """
    if all(is_latin(text) for text in texts):
        return "Helvetica", "Courier", latin
    for (family, style), file in FACES.items():
        pdf.add_font(family, style, FONTS / file)
    # The regular face stands in for a character another face lacks.
    pdf.set_fallback_fonts([SANS], exact_match=False)
    return SANS, MONO, drawable


def is_latin(text: str) -> bool:
    try:
        unicodedata.normalize("NFC", text).encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def latin(text: str) -> str:
    """Latin-1 text in composed form, as the built-in faces draw it."""
    return unicodedata.normalize("NFC", text)


def draw_qr(pdf: FPDF, code: str, left: float, top: float) -> None:
    """The code as a QR code drawn in vectors, QR_SIZE_MM wide with its quiet zone: sharp at
    any zoom and on any printer, and no image to encode (which cost more than the rest of
    the page). The dark modules are drawn as `dark_areas` gives them, its style given as the
    enum: a string is looked up again for each of the code's hundred-odd rectangles."""
    rows = qr_rows(code)
    module = QR_SIZE_MM / (len(rows) + 2 * QR_QUIET_MODULES)
    left, top = left + QR_QUIET_MODULES * module, top + QR_QUIET_MODULES * module
    pdf.set_fill_color(0)
    for x, y, width, height in dark_areas(rows):
        # A hair taller than its modules: no seam between rows where a viewer anti-aliases.
        pdf.rect(left + x * module, top + y * module, width * module,
                 (height + QR_ROW_OVERLAP) * module, style=RenderStyle.F)


def dark_areas(rows: list[bytes]) -> list[tuple[int, int, int, int]]:
    """The symbol's dark modules as rectangles, (x, y, width, height) in modules: each row's
    runs of dark modules, a run that the rows below repeat at the same place taken with them
    as one rectangle (a quarter fewer rectangles to draw than a run a row)."""
    areas = []
    open_runs: dict[tuple[int, int], int] = {}  # (first, past the last) -> its first row
    for y, row in enumerate([*rows, b""]):
        runs = set(dark_runs(row))
        for run in [run for run in open_runs if run not in runs]:
            first_row = open_runs.pop(run)
            areas.append((run[0], first_row, run[1] - run[0], y - first_row))
        for run in runs:
            open_runs.setdefault(run, y)
    return areas


def dark_runs(row: bytes) -> list[tuple[int, int]]:
    """A row's runs of dark modules, each (first, past the last)."""
    return [run.span() for run in DARK_RUN.finditer(row)]


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


def drawable(text: str) -> str:
    """The text in composed form (an accent typed apart joined to its letter), each character
    the fonts lack replaced by "?"."""
    covered = characters(WIDEST)
    return "".join(c if ord(c) in covered or c.isspace() else "?"
                   for c in unicodedata.normalize("NFC", text))


@cache
def characters(file: str) -> frozenset[int]:
    """The code points a font file has glyphs for."""
    with TTFont(FONTS / file, lazy=True) as font:
        return frozenset(font.getBestCmap())
