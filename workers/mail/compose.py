"""A message row as the e-mail sent, its bytes made once: headers, the template's text, and a
confirmation's tickets as one PDF attachment.

Its Message-ID is the row's id, the same on every attempt: a mail client or server that got it
twice (a send resumed after a worker died) can tell. The PDF's makers (fpdf2, zxing-cpp) are
loaded on the first confirmation sent (by the webhooks' worker before its pool forks:
`workers.celery_app`): the API processes that import the mail's job for its scheduler or the
Celery app, and never send one, do not carry them.

The message is built with the standard library's classic MIME classes (`email.mime`, the
`compat32` policy), whose headers are strings as written: the modern `EmailMessage` parses
each header it is given into a tree and folds it back when written, which cost three times the
rest of the e-mail, on every buyer's confirmation. Names and subjects not in ASCII are written
as RFC 2047 encoded words; a message to or from an address not in ASCII (`zoë@…`) is written
in UTF-8 as it is (RFC 6532), which only a server that takes SMTPUTF8 is handed.
"""

import json
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.policy import SMTPUTF8, Compat32
from email.utils import format_datetime, formataddr, parseaddr, quote
from typing import Any, NamedTuple

from core.settings import Settings
from workers.mail import templates
from workers.mail.tables import CONFIRMATION


class Compat32OnTheWire(Compat32):
    """The classic policy, a header that needs no folding written as it is.

    `compat32` folds every header through an `email.header.Header` it builds, parses and
    encodes again, which cost about as much as the rest of the message's bytes; an ASCII
    value that fits on its line comes out of it unchanged, so it is written directly (the
    bytes are the same). Any other value is folded by the classic policy."""

    def fold_binary(self, name: str, value: Any) -> bytes:
        if isinstance(value, str) and value.isascii() and self.fits(name, value):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)

    def fits(self, name: str, value: str) -> bool:
        """Whether the header is one line within the policy's length as written."""
        limit = self.max_line_length
        return ("\n" not in value and "\r" not in value
                and (limit is None or len(name) + 2 + len(value) <= limit))


# As SMTP carries a message: CRLF line ends, and no ">" put before a line starting "From "
# (that is for mbox files). The outbox's .eml files are the same bytes.
ON_THE_WIRE = Compat32OnTheWire(linesep="\r\n", mangle_from_=False)
TEXT = Charset("utf-8")
TEXT.body_encoding = QP  # 7-bit, which any server takes; Latin text stays readable in an .eml


class Letter(NamedTuple):
    """A message as handed over: whom the envelope names, the bytes, and whether they need
    a server that takes SMTPUTF8 (an address not in ASCII, written as it is)."""

    recipient: str
    data: bytes
    international: bool


def compose(row: Any, settings: Settings) -> Letter:
    """The e-mail of a `mail_messages` row."""
    data = json.loads(row.data)
    subject, body = templates.render(row.kind, data)
    international = not (row.recipient_email.isascii() and settings.mail_from.isascii())
    message: Message = MIMENonMultipart("text", "plain")
    message.set_payload(body, TEXT)
    if row.kind == CONFIRMATION and data.get("tickets"):
        from workers.mail.pdf_tickets import tickets_pdf  # noqa: PLC0415 - on first use

        tickets = MIMEApplication(tickets_pdf(data), "pdf")
        tickets.add_header("Content-Disposition", "attachment",
                           filename=f"tickets-{data.get('booking_id', row.subject_id)}.pdf")
        # A boundary no part can hold: QP writes "=" only before two hex digits or a line's
        # end, base64 never writes "_". The generator would otherwise make one and search the
        # parts for it with a regular expression compiled for each message.
        message = MIMEMultipart("mixed", boundary=f"=_{row.id.hex}",
                                _subparts=[message, tickets])
    written = {"From": address(*parseaddr(settings.mail_from), international=international),
               "To": address(row.recipient_name, row.recipient_email,
                             international=international),
               "Subject": subject if international or subject.isascii() else Header(
                   subject, "utf-8"),
               "Date": format_datetime(row.created_at),
               "Message-ID": f"<{row.id}@{domain(settings.mail_from)}>",
               "X-Ledger-Message-Kind": row.kind}
    for name, value in written.items():
        message[name] = value
    return Letter(row.recipient_email,
                  message.as_bytes(policy=SMTPUTF8 if international else ON_THE_WIRE),
                  international)


def address(name: str, email: str, *, international: bool) -> str | Header:
    """An address header's value, whatever characters the name holds: in an ASCII message a
    name not in ASCII as encoded words, one in ASCII quoted as its signs need; in an
    international one, the name and the address as written."""
    if international:
        return f'"{quote(name)}" <{email}>' if name else email
    if name.isascii():
        return formataddr((name, email))
    value = Header(name, "utf-8")
    value.append(f"<{email}>", "us-ascii")
    return value


def domain(sender: str) -> str:
    """The domain of the From: address, for Message-IDs ('localhost' without one)."""
    email = parseaddr(sender)[1]
    return email.rpartition("@")[2] or "localhost"
