"""A message row as the e-mail sent: headers, the template's text, and a confirmation's
tickets as one PDF attachment.

Its Message-ID is the row's id, the same on every attempt: a mail client or server that got it
twice (a send resumed after a worker died) can tell. The PDF's makers (fpdf2, zxing-cpp) are
loaded on the first confirmation sent: the API processes that import the mail's job for its
scheduler or the Celery app, and never send one, do not carry them.
"""

import json
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr, quote
from typing import Any

from core.settings import Settings
from workers.mail import templates
from workers.mail.tables import CONFIRMATION


def compose(row: Any, settings: Settings) -> EmailMessage:
    """The e-mail of a `mail_messages` row."""
    data = json.loads(row.data)
    subject, body = templates.render(row.kind, data)
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = recipient(row.recipient_name, row.recipient_email)
    message["Subject"] = subject
    message["Date"] = format_datetime(row.created_at)
    message["Message-ID"] = f"<{row.id}@{domain(settings.mail_from)}>"
    message["X-Ledger-Message-Kind"] = row.kind
    message.set_content(body)
    if row.kind == CONFIRMATION and data.get("tickets"):
        from workers.mail.pdf_tickets import tickets_pdf  # noqa: PLC0415 - on first use

        message.add_attachment(tickets_pdf(data), maintype="application", subtype="pdf",
                               filename=f"tickets-{data.get('booking_id', row.subject_id)}.pdf")
    return message


def recipient(name: str, email: str) -> Address | str:
    """The To: of a buyer, whatever characters the name holds. An address whose local part is
    not ASCII (`zoë@…`) is written as it is: only a server that takes SMTPUTF8 can be handed
    it (smtplib refuses the others, and the message is `failed` with why)."""
    if email.isascii():
        return Address(display_name=name, addr_spec=email)
    return f'"{quote(name)}" <{email}>'


def domain(sender: str) -> str:
    """The domain of the From: address, for Message-IDs ('localhost' without one)."""
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "localhost"
