"""Delivery status notifications (RFC 3464) read with the standard library's `email`: which of
our messages a bounce is about, and what the receiving side said of its recipient.

A report is a `multipart/report; report-type=delivery-status` message whose
`message/delivery-status` part has one block of fields about the message (`Reporting-MTA`,
`Original-Envelope-Id`) and one per recipient (`Final-Recipient`, `Action`, `Status`,
`Diagnostic-Code`). The message it is about is named by the Message-ID of the returned
message or headers (`message/rfc822`, `text/rfc822-headers`) or by the envelope id the sender
gave (`ENVID`); ours is the message's id, `<id@domain>`.
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
OUR_ID = re.compile(r"<?\s*([0-9a-fA-F-]{32,36})(?:@[^>\s]*)?\s*>?")


class NotABounce(ValueError):
    """The message is no delivery report, or one that reports no failure or delay."""


class Bounce(NamedTuple):
    """What one report says of one of our messages' recipient."""

    message_id: UUID | None  # None: the report names no message of ours
    action: Action
    status: str  # the enhanced status code, as 5.1.1
    recipient: str
    diagnostic: str  # the receiving server's words, or the status alone
    reported_by: str  # the MTA that wrote the report

    def words(self) -> str:
        """The report as the organizer reads it, next to the message."""
        gone = "bounced" if self.action == "failed" else "delayed, still being tried"
        return f"{gone} ({self.reported_by}): {self.recipient}: {self.diagnostic}"[:500]


def read_report(raw: bytes) -> Bounce:
    """The gravest recipient's fate in a delivery report (NotABounce if it is none)."""
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
    return Bounce(
        message_id=original_id(message, about), action=action, status=status,
        recipient=value_of(gravest.get("Final-Recipient") or gravest.get("Original-Recipient"))
        or "the recipient",
        diagnostic=answer(gravest.get("Diagnostic-Code")) or f"status {status or 'unknown'}",
        reported_by=value_of(about.get("Reporting-MTA")) or "the receiving side")


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


def original_id(report: Message, about: Message) -> UUID | None:
    """The id of the message reported on: its returned Message-ID, else the envelope id."""
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
        if returned is not None and (found := ours(returned.get("Message-ID"))):
            return found
    return ours(about.get("Original-Envelope-Id"))


def ours(value: object) -> UUID | None:
    """The message id in a Message-ID or envelope id of ours, if it is one."""
    match = OUR_ID.fullmatch(str(value or "").strip())
    if match is None:
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
