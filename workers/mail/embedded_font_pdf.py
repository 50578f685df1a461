"""A PDF of pages drawn in DejaVu Sans (`fonts/`, subset into the PDF) by fpdf2: for text that
Latin-1 does not cover, which the PDF's standard faces cannot draw. DejaVu covers Latin, Greek
and Cyrillic: a character missing from the bold face is taken from the regular one, and one
neither has (Chinese, Japanese, Korean, emoji) is drawn as "?" (the e-mail's text carries every
name as written).

The same drawing calls as `standard_font_pdf.StandardFontPdf`, in the same units (millimetres
from the page's top left corner), so that a ticket is laid out once for both.
"""

import unicodedata
from functools import cache
from pathlib import Path
from typing import cast

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import Align, MethodReturnValue, RenderStyle, XPos, YPos

from workers.mail.qr_symbols import QrSymbol
from workers.mail.standard_font_pdf import MONO_BOLD, SANS, SANS_BOLD

FONTS = Path(__file__).with_name("fonts")
# Each face: its family and style in fpdf2, and its file.
FACES = {SANS: ("DejaVuSans", "", "DejaVuSans.ttf"),
         SANS_BOLD: ("DejaVuSans", "B", "DejaVuSans-Bold.ttf"),
         MONO_BOLD: ("DejaVuSansMono", "B", "DejaVuSansMono-Bold.ttf")}
# The face with the most characters, whose coverage decides what is drawn.
WIDEST = FACES[SANS][2]
ELLIPSIS = "\u2026"
ROW_OVERLAP = 0.02  # of a module: see `qr_code`


class EmbeddedFontPdf:
    """Pages drawn top to bottom: text in paragraphs, and filled rectangles where asked."""

    def __init__(self, page_mm: tuple[float, float], title: str) -> None:
        self.pdf = FPDF(format=page_mm)
        for family, style, file in FACES.values():
            self.pdf.add_font(family, style, FONTS / file)
        # The regular face stands in for a character another face lacks.
        self.pdf.set_fallback_fonts([FACES[SANS][0]], exact_match=False)
        self.pdf.set_auto_page_break(auto=False)
        self.pdf.set_title(drawable(title))

    @property
    def y(self) -> float:
        return self.pdf.get_y()

    @y.setter
    def y(self, value: float) -> None:
        self.pdf.set_y(value)

    def add_page(self) -> None:
        self.pdf.add_page()

    def paragraph(  # noqa: PLR0913 - the drawing call both writers take
            self, face: str, size: float, line_height: float, text: str,
            centred: bool = False, most: int | None = None) -> None:
        """The text across the page, on as many lines as it needs, at most `most` (the last
        cut short with an ellipsis); the next text below it. Most texts fit on a line, drawn
        as one cell: breaking it into lines costs twice as much."""
        pdf, (family, style, _) = self.pdf, FACES[face]
        pdf.set_font(family, style, size)
        text, align = drawable(text), Align.C if centred else Align.L
        room = pdf.epw - 2 * pdf.c_margin
        if pdf.get_string_width(text) <= room:
            pdf.cell(0, line_height, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            return
        # The lines alone, as asked (its type hints name every output it can be asked for).
        lines = cast("list[str]", pdf.multi_cell(0, line_height, text, align=align,
                                                 dry_run=True, output=MethodReturnValue.LINES))
        if most is None or len(lines) <= most:
            pdf.multi_cell(0, line_height, text, align=align, new_x=XPos.LMARGIN,
                           new_y=YPos.NEXT)
            return
        rest = " ".join(lines[most - 1:most + 1])  # what follows cannot fit
        while rest and pdf.get_string_width(rest + ELLIPSIS) > room:
            rest = rest[:-1]
        for line in [*lines[:most - 1], rest.rstrip() + ELLIPSIS]:
            pdf.cell(0, line_height, line, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def qr_code(self, left: float, top: float, module: float, drawn: QrSymbol) -> None:
        """The symbol with its top left module at (`left`, `top`) mm, each module `module` mm
        square, as a black rectangle per run of dark modules in a row (fpdf2 draws no inline
        image mask), each a hair taller than its row so that no seam shows between rows where
        a viewer smooths edges. The style is given as the enum: a string is looked up again
        for each rectangle."""
        self.pdf.set_fill_color(0)
        for x, y, width in drawn.runs():
            self.pdf.rect(left + x * module, top + y * module, width * module,
                          (1 + ROW_OVERLAP) * module, style=RenderStyle.F)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


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
