"""A booking's tickets as one PDF, one page each: the ticket code as a QR code and as text, the
event's name, venue, start in its zone, and the ticket's category.

The QR code holds the code alone, as the check-in desk reads it (`POST /api/tickets/{code}/
check-in`). The PDF's built-in fonts cover Latin-1: other characters are shown as "?" (the
e-mail's text carries every name as written).
"""

import io
from typing import Any

import segno
from fpdf import FPDF

from workers.mail.templates import shown

PAGE_MM = (148.0, 210.0)  # A5, portrait
QR_SIZE_MM = 90.0
QR_SCALE = 10  # pixels per module of the image embedded: sharp when printed


def tickets_pdf(data: dict[str, Any]) -> bytes:
    """The PDF of a confirmation's tickets (`data` as the subscriber records it)."""
    event = data.get("event") or {}
    starts = shown(event.get("starts_at"), event.get("timezone") or "UTC")
    pdf = FPDF(format=PAGE_MM)
    pdf.set_auto_page_break(auto=False)
    pdf.set_title(latin(f"Tickets: {event.get('name') or ''}"))
    for number, ticket in enumerate(data.get("tickets") or [], start=1):
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 18)
        pdf.multi_cell(0, 9, latin(event.get("name") or ""), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 12)
        for line in (event.get("venue") or "", starts, f"Category: {ticket['category']}",
                     f"Ticket {number} of {len(data['tickets'])}"):
            if line:
                pdf.cell(0, 7, latin(line), new_x="LMARGIN", new_y="NEXT")
        left = (pdf.w - QR_SIZE_MM) / 2
        pdf.image(qr_png(ticket["code"]), x=left, y=pdf.get_y() + 6, w=QR_SIZE_MM,
                  h=QR_SIZE_MM)
        pdf.set_y(pdf.get_y() + QR_SIZE_MM + 10)
        pdf.set_font("Courier", "B", 11)
        pdf.multi_cell(0, 6, latin(ticket["code"]), align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def qr_png(code: str) -> io.BytesIO:
    """The code as a QR code, a PNG image."""
    image = io.BytesIO()
    segno.make(code, error="m", micro=False).save(image, kind="png", scale=QR_SCALE, border=4)
    image.seek(0)
    return image


def latin(text: str) -> str:
    """Text the built-in fonts can draw."""
    return text.encode("latin-1", "replace").decode("latin-1")
