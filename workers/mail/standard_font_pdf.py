"""A PDF of pages drawn in the PDF's standard faces (Helvetica, Courier): lines of text that
their encoding, WinAnsiEncoding (Windows-1252: Latin-1 and the euro sign, typographic quotes
and dashes), covers once composed (NFC), and QR codes, written directly.

Why not fpdf2, which draws every other ticket: a buyer's confirmation is made for every
booking, and fpdf2 spends most of that message's CPU in Python bookkeeping per drawn object
(each rectangle of a QR code, each line of text, the document's objects and their offsets) for
a page of a few hundred bytes. A page of text in the standard faces needs no font file, no
subsetting and no shaping: the file is a handful of objects, which this module writes itself.
Text that the encoding does not cover needs an embedded font, and is drawn by fpdf2
(`pdf_tickets`). Text is laid out and written as the encoding's bytes read as Latin-1, so that
a character's code is the one the faces' widths' tables and the page's strings use.

Coordinates are given as fpdf2 takes them: millimetres from the page's top left corner; text
lines are placed as fpdf2's cells are (a margin of a millimetre inside the text area, the
baseline a little below the line's middle), so that both kinds of ticket look alike.
"""

import unicodedata
import zlib
from functools import lru_cache

from fpdf.fonts import CORE_FONTS_CHARWIDTHS

from workers.mail.qr_symbols import QrSymbol

POINTS_PER_MM = 72 / 25.4
MARGIN_MM = 10.0  # the page's margins, as fpdf2's default
CELL_MARGIN_MM = MARGIN_MM / 10  # inside a line, on each side, as fpdf2's cells
SANS, SANS_BOLD, MONO_BOLD = "sans", "sans bold", "mono bold"
# Each face: its resource name on the page, the standard font, its widths' table in fpdf2.
FACES = {SANS: ("F1", "Helvetica", "helvetica"),
         SANS_BOLD: ("F2", "Helvetica-Bold", "helveticaB"),
         MONO_BOLD: ("F3", "Courier-Bold", "courierB")}
# The ASCII escapes of a PDF literal string's three signs that need one.
ESCAPES = {ord("\\"): "\\\\", ord("("): "\\(", ord(")"): "\\)"}
# "…" as the faces' encoding (WinAnsiEncoding) and their widths' tables have it: a C1 code,
# which no text drawn here holds itself (`pdf_tickets.is_latin`).
ELLIPSIS = "\x85"
ENCODING = "cp1252"  # Python's name of WinAnsiEncoding


class StandardFontPdf:
    """Pages drawn top to bottom: text in paragraphs, and QR codes where asked."""

    def __init__(self, page_mm: tuple[float, float], title: str) -> None:
        self.width, self.height = page_mm
        self.title = unicodedata.normalize("NFC", title)
        self.pages: list[list[str]] = []  # each page's drawing operators, in order
        self.y = MARGIN_MM  # where the next paragraph starts, in mm from the page's top

    def add_page(self) -> None:
        self.pages.append([])
        self.y = MARGIN_MM

    def paragraph(  # noqa: PLR0913 - the drawing call both writers take
            self, face: str, size: float, line_height: float, text: str,
            centred: bool = False, most: int | None = None) -> None:
        """The text across the page, on as many lines as it needs (broken between words, a
        word too long for a line broken where it must be), at most `most` lines (the last
        cut short with an ellipsis); the next paragraph below it."""
        drawn = text_lines((face, size, line_height), text, centred, self.y,
                           (self.width, self.height), most)
        self.pages[-1].extend(drawn)
        self.y += line_height * len(drawn)

    def qr_code(self, left: float, top: float, module: float, drawn: QrSymbol) -> None:
        """The symbol with its top left module at (`left`, `top`) mm, each module `module` mm
        square: its rows of bits as they are, an image mask (a stencil: each 1 painted black,
        each 0 left alone), drawn without smoothing so that every module stays a sharp square
        at any zoom and on any printer. Written inline, in hexadecimal: no object of its own,
        and no binary inside the page's operators for a reader to mistake for their end."""
        k = POINTS_PER_MM
        width, height = drawn.stride * module * k, drawn.size * module * k
        self.pages[-1].append(
            f"q {width:.4f} 0 0 {height:.4f} {left * k:.2f} {(self.height - top) * k - height:.2f}"
            f" cm 0 g\nBI /W {drawn.stride} /H {drawn.size} /IM true /D [1 0] /I false /F /AHx"
            f" ID {drawn.image.hex()}> EI Q")

    def output(self) -> bytes:
        """The PDF file: its catalog, pages, fonts and title, each page's drawing compressed."""
        fonts = list(FACES.values())
        first_page = 4 + len(fonts)  # after the catalog, the page tree, the title and the fonts
        pages = [first_page + 2 * n for n in range(len(self.pages))]
        resources = " ".join(f"/{name} {4 + n} 0 R" for n, (name, _, _) in enumerate(fonts))
        objects: list[bytes] = [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            f"<< /Type /Pages /Count {len(pages)} /Kids [{' '.join(f'{p} 0 R' for p in pages)}]"
            f" >>".encode(),
            b"<< /Title " + title_string(self.title) + b" >>",
            *(f"<< /Type /Font /Subtype /Type1 /BaseFont /{base} /Encoding /WinAnsiEncoding >>"
              .encode() for _, base, _ in fonts)]
        for number, drawing in zip(pages, self.pages, strict=True):
            # The fastest level: a page is a few kB, and the next level costs twice the time.
            stream = zlib.compress("\n".join(drawing).encode("latin-1"), 1)
            objects.append(
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {self.width * POINTS_PER_MM:.2f}"
                f" {self.height * POINTS_PER_MM:.2f}] /Resources << /Font << {resources} >> >>"
                f" /Contents {number + 1} 0 R >>".encode())
            objects.append(f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n"
                           .encode() + stream + b"\nendstream")
        return file_of(objects)


# Each ticket of an event draws the same name, organizer, venue, start, category and price at
# the same place: laid out once (the booking's holder and reference and the ticket's own code
# are laid out each time, and soon dropped).
@lru_cache(maxsize=1024)
def text_lines(  # noqa: PLR0913 - what the layout depends on: its cache key
        style: tuple[str, float, float], text: str, centred: bool, top: float,
        page_mm: tuple[float, float], most: int | None = None) -> tuple[str, ...]:
    """A paragraph's text operators, a line each, its first line at `top` mm: `style` its
    face, size (points) and line height (mm); at most `most` lines."""
    face, size, line_height = style
    page_width, page_height = page_mm
    room = page_width - 2 * MARGIN_MM - 2 * CELL_MARGIN_MM
    text = as_encoded(text)
    drawn = []
    for number, line in enumerate(lines(face, size, text, room, most)):
        left = MARGIN_MM + CELL_MARGIN_MM
        if centred:
            left += (room - text_width(face, size, line)) / 2
        baseline = top + (number + 0.5) * line_height + 0.3 * size / POINTS_PER_MM
        drawn.append(f"BT /{FACES[face][0]} {size:.2f} Tf {left * POINTS_PER_MM:.2f} "
                     f"{(page_height - baseline) * POINTS_PER_MM:.2f} Td ({literal(line)}) Tj ET")
    return tuple(drawn)


def text_width(face: str, size: float, text: str) -> float:
    """The text's width in mm, in this face at this size (points)."""
    widths = CORE_FONTS_CHARWIDTHS[FACES[face][2]]
    return sum(widths[c] for c in text) * size / 1000 / POINTS_PER_MM


def lines(face: str, size: float, text: str, room: float, most: int | None = None) -> list[str]:
    """The text broken into lines that fit in `room` mm: at most `most`, the last of them
    then the rest of the text cut short with an ellipsis."""
    if text_width(face, size, text) <= room:
        return [text]
    broken = all_lines(face, size, text, room)
    if most is None or len(broken) <= most:
        return broken
    return [*broken[:most - 1], cut_short(face, size, " ".join(broken[most - 1:most + 1]), room)]


def cut_short(face: str, size: float, text: str, room: float) -> str:
    """The text's start that fits in `room` mm with an ellipsis after it."""
    widths = CORE_FONTS_CHARWIDTHS[FACES[face][2]]
    left = room * POINTS_PER_MM * 1000 / size - widths[ELLIPSIS]  # in the table's units
    kept = 0
    for character in text:
        left -= widths[character]
        if left < 0:
            break
        kept += 1
    return text[:kept].rstrip() + ELLIPSIS


def all_lines(face: str, size: float, text: str, room: float) -> list[str]:
    """The text broken into as many lines as it needs to fit in `room` mm."""
    broken: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if text_width(face, size, candidate) <= room:
            line = candidate
            continue
        if line:
            broken.append(line)
        line = word
        while text_width(face, size, line) > room:  # one word wider than a line
            cut = next(n for n in range(len(line), 0, -1)
                       if n == 1 or text_width(face, size, line[:n]) <= room)
            broken.append(line[:cut])
            line = line[cut:]
    return [*broken, line] if line else broken


def file_of(objects: list[bytes]) -> bytes:
    """A PDF file of these objects, numbered from 1 (the first the catalog, the third the
    document's information): the header, the objects, their offsets' table, the trailer."""
    parts = [b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"]
    offsets = []
    written = len(parts[0])
    for number, body in enumerate(objects, start=1):
        offsets.append(written)
        part = b"%d 0 obj\n%s\nendobj\n" % (number, body)
        parts.append(part)
        written += len(part)
    parts.append(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    parts.extend(b"%010d 00000 n \n" % offset for offset in offsets)
    parts.append(b"trailer\n<< /Size %d /Root 1 0 R /Info 3 0 R >>\nstartxref\n%d\n%%%%EOF\n"
                 % (len(objects) + 1, written))
    return b"".join(parts)


def as_encoded(text: str) -> str:
    """The text composed (an accent typed apart joined to its letter), each character as the
    faces' encoding codes it, read back as Latin-1 ("€" is "\\x80")."""
    return unicodedata.normalize("NFC", text).encode(ENCODING).decode("latin-1")


def title_string(title: str) -> bytes:
    """The document's title as a PDF string: Latin-1 as written (the title is in the PDF's own
    encoding, not the faces'), anything else in UTF-16 with its byte order mark."""
    try:
        return b"(" + literal(title).encode("latin-1") + b")"
    except UnicodeEncodeError:
        return b"<FEFF" + title.encode("utf-16-be").hex().upper().encode() + b">"


def literal(text: str) -> str:
    """The text as the inside of a PDF literal string (its bytes Latin-1, as the standard
    faces' encoding takes them)."""
    return text.translate(ESCAPES)
