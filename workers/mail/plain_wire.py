"""The bytes of a plain message written directly: the same bytes the standard library's
generator writes under the classic policy (`compose`), for the messages nearly every buyer is
sent: ASCII headers that each fit on their line, a text part, and at most one attachment
whose name needs no quoting.

Why own this: the standard library builds a tree of message objects, copies each part into a
generator of its own and asks the policy to fold every header, which cost more CPU than the
tickets' PDF, on every booking's confirmation. A message like that has nothing to fold or
encode, so its bytes are a few strings joined. Anything else (a header too long for its line,
a name not in ASCII, a filename with signs to quote) answers None, and the standard library
writes it; the tests hold the two ways to the same bytes.
"""

import base64
import re
from email.charset import QP, Charset
from typing import NamedTuple

LINESEP = "\r\n"  # as SMTP carries a message; the outbox's .eml files are the same bytes
MAX_LINE = 78  # RFC 5322's, to which the classic policy folds a header
TEXT = Charset("utf-8")
TEXT.body_encoding = QP  # 7-bit, which any server takes; Latin text stays readable in an .eml
# The charset's parameter, set after the part was made, moves Content-Type below MIME-Version,
# as the standard library writes it.
TEXT_PART = ('MIME-Version: 1.0\r\nContent-Type: text/plain; charset="utf-8"\r\n'
                     "Content-Transfer-Encoding: quoted-printable\r\n")
LINE_END = re.compile(r"\r\n|\r|\n")  # what the generator takes for a line's end
PLAIN_FILENAME = re.compile(r"[A-Za-z0-9._-]+")


class Attachment(NamedTuple):
    filename: str
    content_type: str  # its subtype under application/, as "pdf"
    data: bytes


def written(headers: dict[str, object], body: str, attachment: Attachment | None,
            boundary: str) -> bytes | None:
    """The message's bytes, or None when it needs the standard library: a header to fold or
    encode (any value that is not a plain string), or an attachment's name to quote."""
    lines = header_lines(headers)
    if lines is None:
        return None
    text = LINE_END.sub(LINESEP, TEXT.body_encode(body))
    if attachment is None:
        return f"{TEXT_PART}{lines}{LINESEP}{text}".encode("ascii")
    disposition = disposition_header(attachment.filename)
    if disposition is None:
        return None
    head = (f'Content-Type: multipart/mixed; boundary="{boundary}"\r\nMIME-Version: 1.0\r\n'
            f"{lines}\r\n--{boundary}\r\n{TEXT_PART}\r\n{text}\r\n--{boundary}\r\n"
            f"Content-Type: application/{attachment.content_type}\r\nMIME-Version: 1.0\r\n"
            f"Content-Transfer-Encoding: base64\r\n{disposition}\r\n")
    return b"".join((head.encode("ascii"),
                     base64.encodebytes(attachment.data).replace(b"\n", b"\r\n"),
                     f"\r\n--{boundary}--\r\n".encode("ascii")))


def header_lines(headers: dict[str, object]) -> str | None:
    """Each header on a line of its own, as written: None when one is not a string of
    printable ASCII (no control character, which the generator may take for a line's end)
    that fits within MAX_LINE."""
    lines = []
    for name, value in headers.items():
        if not (isinstance(value, str) and value.isascii() and value.isprintable()
                and len(name) + 2 + len(value) <= MAX_LINE):
            return None
        lines.append(f"{name}: {value}\r\n")
    return "".join(lines)


def disposition_header(filename: str) -> str | None:
    """The attachment's Content-Disposition as the classic policy writes it: on one line when
    it fits, else folded after "attachment;" (None when the name would need quoting or its own
    line does not fit)."""
    if not PLAIN_FILENAME.fullmatch(filename):
        return None
    one_line = f'Content-Disposition: attachment; filename="{filename}"'
    if len(one_line) <= MAX_LINE:
        return one_line + LINESEP
    second = f' filename="{filename}"'
    if len(second) > MAX_LINE:
        return None
    return f"Content-Disposition: attachment;{LINESEP}{second}{LINESEP}"
