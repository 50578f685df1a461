"""A message row as the e-mail sent, its bytes made once: headers, the template's text, and its
PDF attached, made now from the row's data: a confirmation's tickets, or an invoice's or a
cancellation's Factur-X PDF (the document the invoices' API serves, drawn the same way).

Its Message-ID is the row's id, the same on every attempt: a mail client or server that got it
twice (a send resumed after a worker died) can tell. The PDFs' makers (fpdf2, zxing-cpp,
factur-x) are loaded on the first message that carries one (by the webhooks' worker before its
pool forks: `workers.celery_app`): a process that imports the mail's job for its scheduler or
the Celery app, and never sends one, is not made to load them here.

A plain message (ASCII headers that fit on their lines: nearly every one) is written directly
(`plain_wire`); any other is built with the standard library's classic MIME classes
(`email.mime`, the `compat32` policy), whose headers are strings as written: the modern
`EmailMessage` parses each header it is given into a tree and folds it back when written,
which cost three times the rest of the e-mail. Both ways write the same bytes. Names and
subjects not in ASCII are written as RFC 2047 encoded words; a message to or from an address
not in ASCII (`zoë@…`) is written in UTF-8 as it is (RFC 6532), which only a server that takes
SMTPUTF8 is handed.

Every header is one line whatever the names it is made of hold: the standard library writes a
UTF-8 header through `str.splitlines`, which ends a line at U+2028, NEL and other characters
that are no CR or LF, so a name holding one would write a header of its own. Each such
character is a space in every header (`core.single_line`), on both paths: names stored before
the API refused them are mailed too. And a header reads back as the text it was made of: text
a reader would decode as encoded words ("=?utf-8?q?...?=") is written as encoded words itself,
in either message; an international message's headers are folded here, through the same
`Header` as the classic policy's, since the modern policy would fold such a value by parsing
it, which decodes it.
"""

import json
from datetime import datetime, timedelta
from email.charset import Charset
from email.header import Header
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.policy import SMTPUTF8, compat32
from email.utils import format_datetime, formataddr, parseaddr, quote
from functools import lru_cache
from typing import Any, NamedTuple

from core.settings import Settings
from core.single_line import one_line
from workers.mail import plain_wire, templates
from workers.mail.plain_wire import LINESEP, MAX_LINE, TEXT, Attachment
from workers.mail.tables import CONFIRMATION, INVOICE_CANCELLED, INVOICE_ISSUED

# As SMTP carries a message: CRLF line ends, and no ">" put before a line starting "From "
# (that is for mbox files). The outbox's .eml files are the same bytes.
ON_THE_WIRE = compat32.clone(linesep=LINESEP, mangle_from_=False)
# An international message's headers come folded from `words` and `address`: written as they are.
IN_UTF8 = SMTPUTF8.clone(refold_source="none")
# Folded on its spaces, its UTF-8 as it is (RFC 6532): no header encoding, which the
# standard library says with None (typeshed types the attribute as the encodings' ints alone).
AS_WRITTEN = Charset("utf-8")
AS_WRITTEN.header_encoding = None  # type: ignore[assignment]


class Letter(NamedTuple):
    """A message as handed over: whom the envelope names, the bytes, and whether they need
    a server that takes SMTPUTF8 (an address not in ASCII, written as it is)."""

    recipient: str
    data: bytes
    international: bool


def compose(row: Any, settings: Settings) -> Letter:
    """The e-mail of a `mail_messages` row: written directly when it is plain (`plain_wire`),
    else by the standard library, the same bytes either way."""
    data = json.loads(row.data)
    subject, body = templates.render(row.kind, data)  # in the language its data records
    international = not (row.recipient_email.isascii() and settings.mail_from.isascii())
    attachment = attached(row.kind, data, row.subject_id)
    headers = {"From": address("From", *sender_address(settings.mail_from),
                               international=international),
               "To": address("To", row.recipient_name, row.recipient_email,
                             international=international),
               "Subject": words("Subject", one_line(subject), international=international),
               "Date": date_header(row.created_at),
               "Message-ID": f"<{row.id}@{one_line(domain(settings.mail_from))}>",
               "X-Ledger-Message-Kind": row.kind}
    # A boundary no part can hold: QP writes "=" only before two hex digits or a line's end,
    # base64 never writes "_".
    boundary = f"=_{row.id.hex}"
    written = None if international else plain_wire.written(headers, body, attachment, boundary)
    if written is None:
        written = by_the_standard_library(headers, body, attachment, boundary,
                                          international=international)
    return Letter(row.recipient_email, written, international)


def attached(kind: str, data: dict[str, Any], subject_id: Any) -> Attachment | None:
    """The PDF a message of `kind` carries, made from its recorded data (None: it carries
    none)."""
    if kind == CONFIRMATION and data.get("tickets"):
        from workers.mail.pdf_tickets import tickets_pdf  # noqa: PLC0415 - on first use

        return Attachment(f"tickets-{data.get('booking_id', subject_id)}.pdf", "pdf",
                          tickets_pdf(data))
    if kind in (INVOICE_ISSUED, INVOICE_CANCELLED):
        from workers.invoices.document import invoice_pdf  # noqa: PLC0415 - on first use

        invoice = data["invoice"]
        return Attachment(templates.invoice_file(invoice["number"]), "pdf",
                          invoice_pdf(invoice, data.get("language")))
    return None


def by_the_standard_library(headers: dict[str, Any], body: str,
                            attachment: Attachment | None, boundary: str, *,
                            international: bool) -> bytes:
    """The message built with the classic MIME classes (`email.mime`), whose headers are
    strings as written (the modern `EmailMessage` would parse each into a tree and fold it
    back), and written under the classic policy, or the international one."""
    message: Message = MIMENonMultipart("text", "plain")
    message.set_payload(body, TEXT)
    if attachment is not None:
        part = MIMEApplication(attachment.data, attachment.content_type)
        part.add_header("Content-Disposition", "attachment", filename=attachment.filename)
        message = MIMEMultipart("mixed", boundary=boundary, _subparts=[message, part])
    for name, value in headers.items():
        message[name] = value
    return message.as_bytes(policy=IN_UTF8 if international else ON_THE_WIRE)


def words(header: str, text: str, *, international: bool) -> str | Header:
    """Text on one line (a subject, a display name) as `header` holds it, read back as it is:
    in an ASCII message, as written when it is ASCII that no reader takes for encoded words,
    else as encoded words (RFC 2047); in an international one, folded here (`folded`)."""
    if international:
        return folded(header, text)
    if text.isascii() and "=?" not in text:
        return text
    return Header(text, "utf-8", header_name=header)


def folded(header: str, text: str) -> str:
    """Text as an international message's `header` holds it, folded on its spaces: in UTF-8 as
    it is, or as encoded words when a reader would take some of it for encoded words."""
    charset = Charset("utf-8") if "=?" in text else AS_WRITTEN
    return Header(text, charset, header_name=header).encode(linesep=LINESEP)


def address(header: str, name: str, email: str, *, international: bool) -> str | Header:
    """An address header's value, whatever characters the name holds, on one line as read: in
    an ASCII message a name not in ASCII as encoded words, one in ASCII quoted as its signs
    need; in an international one, the name and the address as written."""
    name, email = one_line(name), one_line(email)
    if not international:
        if name.isascii() and "=?" not in name:
            return formataddr((name, email))
        value = Header(name, "utf-8", header_name=header)
        value.append(f"<{email}>", "us-ascii")
        return value
    if not name:
        return email
    shown = folded(header, name if "=?" in name else f'"{quote(name)}"')
    used = len(shown.rpartition(LINESEP)[2]) + (0 if LINESEP in shown else len(header) + 2)
    # The address on the name's last line when it fits there, else on a line of its own.
    space = " " if used + len(email) + 3 <= MAX_LINE else LINESEP + " "
    return f"{shown}{space}<{email}>"


def date_header(created_at: datetime) -> str:
    """The Date: of a message made at `created_at` (RFC 5322 counts whole seconds): formatted
    once per second, which a burst's messages share."""
    # Keyed by the offset too: two times in different zones are equal datetimes, written apart.
    return date_of_second(created_at.replace(microsecond=0), created_at.utcoffset())


@lru_cache(maxsize=64)
def date_of_second(at: datetime, offset: timedelta | None) -> str:
    return format_datetime(at)


@lru_cache(maxsize=8)
def sender_address(sender: str) -> tuple[str, str]:
    """MAIL_FROM's name and address, parsed once rather than for every message."""
    return parseaddr(sender)


@lru_cache(maxsize=8)
def domain(sender: str) -> str:
    """The domain of the From: address, for Message-IDs ('localhost' without one)."""
    email = sender_address(sender)[1]
    return email.rpartition("@")[2] or "localhost"
