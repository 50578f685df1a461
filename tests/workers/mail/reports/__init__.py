"""Delivery reports as Postfix, Exim and Gmail write them, about a message of ours whose id is
`SAMPLE_ID`, sent from `SAMPLE_DOMAIN`, to the sample's recipient; mail that is not one; and
hostile ones, nested deep or in many parts. `report` reads a sample, naming another message or
recipient if asked."""

from pathlib import Path
from uuid import UUID

SAMPLE_ID = UUID("0b7f3c52-8d1e-4a6b-9f20-3c5d7e8a9b10")
SAMPLE_DOMAIN = "ledger.test"  # the domain of the samples' From: and Message-IDs
# The address each sample reports on (as Final-Recipient, Original-Recipient and in the text).
RECIPIENTS = {"postfix-user-unknown": "ann@example.com", "postfix-delayed": "ann@example.com",
              "exim-permanent-error": "ben@example.org",
              "gmail-no-such-user": "cleo.gone@gmail.com"}
REPORT_HEAD = (b"From: MAILER-DAEMON@mx.ledger.test\nTo: bounces@ledger.test\n"
               b"MIME-Version: 1.0\n")


def report(name: str, about: UUID | str | None = None, to: str | None = None) -> bytes:
    """The sample `name`.eml, about message `about` and recipient `to` instead of the sample's."""
    raw = (Path(__file__).parent / f"{name}.eml").read_bytes()
    if about is not None:
        raw = raw.replace(str(SAMPLE_ID).encode(), str(about).encode())
    if to is not None:
        raw = raw.replace(RECIPIENTS[name].encode(), to.encode())
    return raw


def nested(depth: int, kind: str = "multipart/mixed") -> bytes:
    """A delivery report whose first part holds another part `depth` times over: multiparts
    each with its own boundary, or messages (`message/rfc822`) each in the one before."""
    top = (REPORT_HEAD + b'Content-Type: multipart/report; report-type=delivery-status; '
           b'boundary="b0"\n\n--b0\n')
    if kind == "message/rfc822":
        return top + b"Content-Type: message/rfc822\n\n" * depth + b"\nx\n--b0--\n"
    opening = b"".join(f'Content-Type: multipart/mixed; boundary="b{n}"\n\n--b{n}\n'.encode()
                       for n in range(1, depth + 1))
    closing = b"".join(f"--b{n}--\n".encode() for n in range(depth, 0, -1))
    return top + opening + b"Content-Type: text/plain\n\nx\n" + closing + b"--b0--\n"


def in_parts(count: int) -> bytes:
    """A delivery report of `count` parts side by side."""
    parts = b"".join(b"--b0\nContent-Type: text/plain\n\nx\n" for _ in range(count))
    return (REPORT_HEAD + b'Content-Type: multipart/report; report-type=delivery-status; '
            b'boundary="b0"\n\n' + parts + b"--b0--\n")
