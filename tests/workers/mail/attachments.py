"""A mailed confirmation's PDF as a reader sees it: each page's text and its QR codes."""

import io
from typing import Any

import pypdf
import zxingcpp


def pdf_pages(message: Any) -> list[tuple[str, list[str]]]:
    """The attached PDF's pages: each page's text, and what its QR codes decode to."""
    (attachment,) = [part for part in message.iter_attachments()]
    assert attachment.get_content_type() == "application/pdf"
    return pages_of(attachment.get_content())


def pages_of(pdf: bytes) -> list[tuple[str, list[str]]]:
    """A PDF's pages: each page's text, and what its QR codes decode to."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [(page.extract_text(), [code.text for image in page.images
                                   for code in zxingcpp.read_barcodes(image.image)])
            for page in reader.pages]
