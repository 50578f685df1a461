"""A ticket's QR code as the door's scanner reads it off the rendered page: the ticket's code
and nothing else, a QR code (not a micro one), at error correction level M, so that a worn or
badly lit print still scans."""

import pypdfium2
import zxingcpp

from tests.workers.mail.attachments import BOTH_WRITERS, RENDER_SCALE
from workers.mail.pdf_tickets import tickets_pdf
from workers.mail.qr_symbols import symbol

# Codes as the ledger makes them (22 URL-safe characters), and shorter and longer ones: each
# needs a symbol of another size.
CODES = ["OfRzBj5KI8_YZHxP6KV3Kg", "A", "x" * 60]


@BOTH_WRITERS
def test_each_page_shows_its_ticket_code_as_a_qr_code_at_level_m(name: str) -> None:
    pdf = tickets_pdf({"event": {"name": name, "venue": "Blue Hall",
                                 "starts_at": "2026-12-28T18:00:00+00:00", "timezone": "UTC"},
                       "tickets": [{"code": code, "category": "General"} for code in CODES]})

    document = pypdfium2.PdfDocument(pdf)
    try:
        read = [[(found.text, found.format, found.ec_level)
                 for found in zxingcpp.read_barcodes(page.render(scale=RENDER_SCALE).to_pil())]
                for page in document]
    finally:
        document.close()

    assert read == [[(code, zxingcpp.BarcodeFormat.QRCode, "M")] for code in CODES]


def test_the_rectangles_drawn_cover_the_dark_modules_and_nothing_else() -> None:
    for code in CODES:
        drawn = symbol(code)
        covered = [[0] * drawn.size for _ in range(drawn.size)]
        for x, y, width in drawn.runs():
            covered[y][x:x + width] = [count + 1 for count in covered[y][x:x + width]]
        assert covered == [[int(drawn.dark(r, c)) for c in range(drawn.size)]
                           for r in range(drawn.size)]
