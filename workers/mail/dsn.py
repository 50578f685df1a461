"""Delivery status notifications (RFC 3464) read with the standard library's `email`: which of
our messages a bounce is about, and what the receiving side said of its recipient.

A report is a `multipart/report; report-type=delivery-status` message whose
`message/delivery-status` part has one block of fields about the message (`Reporting-MTA`,
`Original-Envelope-Id`) and one per recipient (`Final-Recipient`, `Action`, `Status`,
`Diagnostic-Code`). The message it is about is named by the Message-ID of the returned
message or headers (`message/rfc822`, `text/rfc822-headers`) or by the envelope id the sender
gave (`ENVID`); ours is the message's id, `<id@domain>`, the domain of our From: address (an
envelope id is the id alone, as the sender gives it). A report names its recipient as the
receiving side finally addressed it and, when it knows it, as first addressed.

Anyone may mail the bounce address, so a report is bounded before it is parsed: its size, how
many parts it may hold, and how deep they may nest (the parser nests a generator per level, and
checks every line against every boundary open above it, so depth times lines is its cost and a
deep enough report exhausts Python's recursion). A delivery report nests a few levels (the
report, its text's alternatives, the message returned and that message's parts).
"""

import email
import re
from email.message import Message
from email.parser import HeaderParser
from email.policy import compat32
from typing import Literal, NamedTuple
from uuid import UUID

Action = Literal["failed", "delayed"]
# The recipients' actions a report may give, the gravest first: delivered, relayed and
# expanded say the message went on, so they record nothing.
GRAVITY: tuple[Action, ...] = ("failed", "delayed")
# A multi-line SMTP answer's continuation: its code and status again before each line.
REPEATED_CODE = re.compile(r"^\s*\d{3}[ -](?:\d\.\d{1,3}\.\d{1,3}\s+)?")
OUR_ID = re.compile(r"<?\s*([0-9a-fA-F-]{32,36})(?:@([^>\s]*))?\s*>?")
# A report's bounds. Its size: a report returning a whole confirmation, tickets' PDF and all,
# fits (most servers return the headers alone, as asked). The media types that open a level
# (multipart/..., message/...) named anywhere in it, a bound of how deep it nests; and the
# lines that may open a part (each part's boundary line starts with "--").
MAX_REPORT_BYTES = 256 * 1024
MAX_CONTAINER_TYPES = 16
MAX_PART_LINES = 64
CONTAINER_TYPES = (b"multipart/", b"message/")


class NotABounce(ValueError):
    """The message is no delivery report, or one that reports no failure or delay."""


class ReportTooLarge(NotABounce):
    """The report is larger than any delivery report this ledger reads."""


class Bounce(NamedTuple):
    """What one report says of one of our messages' recipient."""

    message_id: UUID | None  # None: the report names no message of ours
    action: Action
    status: str  # the enhanced status code, as 5.1.1
    recipient: str
    diagnostic: str  # the receiving server's words, or the status alone
    reported_by: str  # the MTA that wrote the report
    addresses: frozenset[str] = frozenset()  # the recipient's, final and original, lower case

    def words(self) -> str:
        """The report as the organizer reads it, next to the message."""
        gone = "bounced" if self.action == "failed" else "delayed, still being tried"
        return f"{gone} ({self.reported_by}): {self.recipient}: {self.diagnostic}"[:500]

    def names(self, address: str) -> bool:
        """Whether the report is about `address`, as finally or as originally addressed."""
        return address.strip().lower() in self.addresses


def read_report(raw: bytes, domain: str) -> Bounce:
    """The gravest recipient's fate in a delivery report about a message of `domain`'s
    (NotABounce if it is none, or one out of bounds; its message_id None if not ours)."""
    check_bounds(raw)
    message = email.message_from_bytes(raw, policy=compat32)
    if (message.get_content_type() != "multipart/report"
            or str(message.get_param("report-type") or "").lower() != "delivery-status"):
        raise NotABounce("not a delivery status report (multipart/report; "
                         "report-type=delivery-status)")
    fields = status_fields(message)
    if not fields:
        raise NotABounce("a report without its message/delivery-status part")
    about, recipients = fields[0], fields[1:]
    reported = [r for r in recipients if action_of(r) in GRAVITY]
    if not reported:
        raise NotABounce("a report of no failure nor delay (delivered, relayed or expanded)")
    gravest = min(reported, key=lambda r: GRAVITY.index(action_of(r)))
    action: Action = "failed" if action_of(gravest) == "failed" else "delayed"
    status = value_of(gravest.get("Status")) or ""
    named = [value_of(gravest.get(field)) for field in ("Final-Recipient", "Original-Recipient")]
    return Bounce(
        message_id=original_id(message, about, domain), action=action, status=status,
        recipient=next((n for n in named if n), "the recipient"),
        diagnostic=answer(gravest.get("Diagnostic-Code")) or f"status {status or 'unknown'}",
        reported_by=value_of(about.get("Reporting-MTA")) or "the receiving side",
        addresses=frozenset(n.strip("<>").lower() for n in named if n))


def check_bounds(raw: bytes) -> None:
    """Refuse a report too large, nesting too deep or in too many parts, before parsing it:
    counts of bytes, of container media types and of lines opening a part, each an upper
    bound of what the parser would build (a media type's name is never folded apart)."""
    if len(raw) > MAX_REPORT_BYTES:
        raise ReportTooLarge(f"larger than a delivery report is read at ({len(raw)} bytes, "
                             f"at most {MAX_REPORT_BYTES})")
    lowered = raw.lower()
    if sum(lowered.count(kind) for kind in CONTAINER_TYPES) > MAX_CONTAINER_TYPES:
        raise NotABounce(f"nested deeper than a delivery report (more than "
                         f"{MAX_CONTAINER_TYPES} multipart or message parts)")
    # The parser ends a line at CR, LF or both: a part's boundary line follows any of them.
    part_lines = raw.count(b"\n--") + raw.count(b"\r--") + raw.startswith(b"--")
    if part_lines > MAX_PART_LINES:
        raise NotABounce(f"in more parts than a delivery report (more than {MAX_PART_LINES} "
                         "boundary lines)")


def action_of(recipient: Message) -> str:
    """What the report says was done for a recipient, in lower case."""
    return str(recipient.get("Action") or "").strip().lower()


def status_fields(report: Message) -> list[Message]:
    """The delivery-status part's blocks: the message's fields, then each recipient's."""
    for part in report.walk():
        if part.get_content_type() == "message/delivery-status":
            blocks = part.get_payload()
            return [b for b in blocks if isinstance(b, Message)] if isinstance(blocks, list) else []
    return []


def original_id(report: Message, about: Message, domain: str) -> UUID | None:
    """The id of our message reported on: the returned Message-ID decides (ours only with our
    domain); without one, the envelope id (the id alone, as we give it, or with our domain)."""
    for part in report.walk():
        kind = part.get_content_type()
        returned: Message | None = None
        payload = part.get_payload()
        if kind == "message/rfc822" and isinstance(payload, list) and payload:
            returned = payload[0] if isinstance(payload[0], Message) else None
        elif kind == "text/rfc822-headers":
            text = part.get_payload(decode=True)
            if isinstance(text, bytes):
                returned = HeaderParser().parsestr(text.decode("utf-8", "replace"))
        if returned is not None and returned.get("Message-ID") is not None:
            return ours(returned.get("Message-ID"), domain)
    return ours(about.get("Original-Envelope-Id"), domain, bare=True)


def ours(value: object, domain: str, *, bare: bool = False) -> UUID | None:
    """The message id in a Message-ID or envelope id of ours (`id@domain`, or the id alone
    when `bare`), if it is one."""
    match = OUR_ID.fullmatch(str(value or "").strip())
    if match is None:
        return None
    named = match.group(2)
    if not (named.lower() == domain.lower() if named is not None else bare):
        return None
    try:
        return UUID(match.group(1))
    except ValueError:
        return None


def value_of(field: object) -> str:
    """A report field's value without its type (`rfc822; a@b` is `a@b`), on one line."""
    text = " ".join(str(field or "").split())
    kind, semicolon, rest = text.partition(";")
    return rest.strip() if semicolon and " " not in kind.strip() else text


def answer(field: object) -> str:
    """A diagnostic's words, a multi-line SMTP answer as one line with its code once."""
    first, *rest = str(field or "").splitlines() or [""]
    text = " ".join([first, *(REPEATED_CODE.sub("", line) for line in rest)])
    return re.sub(r"^(\d{3})-", r"\1 ", value_of(text))
