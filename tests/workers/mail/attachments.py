"""A mailed confirmation's PDF as a reader sees it: each page's text and its QR codes, read
from the page as a viewer renders it (the codes are drawn, not embedded as images)."""

import io
from typing import Any

import pypdf
import pypdfium2
import pytest
import zxingcpp

# A viewer's page at twice 72 dpi: a QR code's module is several pixels wide.
RENDER_SCALE = 2
# An event's name for each of the tickets' PDF writers: one in Latin-1 is written in the PDF's
# standard faces, one in Cyrillic drawn by fpdf2 in DejaVu.
BOTH_WRITERS = pytest.mark.parametrize("name", ["Jazz night", "Ночь джаза"])


def pdf_pages(message: Any) -> list[tuple[str, list[str]]]:
    """The attached PDF's pages: each page's text, and what its QR codes decode to."""
    (attachment,) = [part for part in message.iter_attachments()]
    assert attachment.get_content_type() == "application/pdf"
    return pages_of(attachment.get_content())


def pages_of(pdf: bytes) -> list[tuple[str, list[str]]]:
    """A PDF's pages: each page's text, and what its QR codes decode to."""
    texts = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    rendered = pypdfium2.PdfDocument(pdf)
    try:
        codes = [[code.text for code in zxingcpp.read_barcodes(
                      page.render(scale=RENDER_SCALE).to_pil())]
                 for page in rendered]
    finally:
        rendered.close()
    return list(zip(texts, codes, strict=True))
