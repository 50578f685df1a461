"""A message's headers are the ones compose sets, one each, whatever the names it is made of
hold: a character that breaks a line (CR, LF, NEL, U+2028, U+2029, the other controls) or
reorders what is shown (a bidi override) is a space in every header, on the ASCII path and on
the SMTPUTF8 one (where the standard library writes a U+2028 as a real line break), so a name
stored before the API refused them cannot add a header."""

import json
import unicodedata
from datetime import UTC, datetime
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import SMTPUTF8, default
from types import SimpleNamespace
from typing import Any
from uuid import uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from core.settings import Settings
from workers.mail.compose import compose
from workers.mail.tables import CONFIRMATION

SETTINGS = Settings(secret_key="k" * 40, database_url="sqlite://",
                    mail_from="Tickets <tickets@ledger.test>")
HEADERS = ["MIME-Version", "Content-Type", "Content-Transfer-Encoding", "From", "To", "Subject",
           "Date", "Message-ID", "X-Ledger-Message-Kind"]
ADDRESSES = ["ann@example.com", "zoë@example.com"]  # the ASCII path, the SMTPUTF8 one
BIDI_CONTROLS = {*map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}
# Characters that break a header or fool its reader, mixed with signs addresses and encoded
# words give meaning to, so that the names drawn hit them often.
HOSTILE = st.lists(st.sampled_from(
    [*"\r\n\x85\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x00\t\u202e\u2066", *':<>"\\=?,;@()[]',
     " ", "a", "é", "Z", "Bcc", "Reply-To", "=?utf-8?q?x?="]), max_size=20).map("".join)
NAMES = st.one_of(st.text(max_size=60), HOSTILE)


def letter_of(event_name: str, buyer_name: str, address: str) -> Any:
    row = SimpleNamespace(
        data=json.dumps({"event": {"name": event_name}, "recipient_name": buyer_name}),
        kind=CONFIRMATION, recipient_name=buyer_name, recipient_email=address,
        created_at=datetime.now(UTC), id=uuid4(), subject_id=uuid4())
    return compose(row, SETTINGS)


def parsed(data: bytes, international: bool) -> EmailMessage:
    message = BytesParser(policy=SMTPUTF8 if international else default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    return message


def as_text(value: str) -> str:
    """A header's text as read from bytes (UTF-8 kept as escaped surrogates), in UTF-8."""
    return value.encode("utf-8", "surrogateescape").decode("utf-8")


def one_line(name: str) -> str:
    """The name as a header shows it: each character that breaks a line or reorders the text
    a space, the spaces as one."""
    kept = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") or c in BIDI_CONTROLS
                   else c for c in name)
    return " ".join(kept.split())


def squeezed(text: str) -> str:
    return "".join(text.split())


def test_an_event_name_with_line_separators_adds_no_header_to_a_non_ascii_address() -> None:
    event_name = "Gala\u2028Reply-To: attacker@evil.example\u2028X-Injected-By: organizer"
    letter = letter_of(event_name, "Zoë\u2028Bcc: spy@evil.example", "zoë@example.com")

    message = parsed(letter.data, letter.international)

    assert letter.international
    assert list(message.keys()) == HEADERS
    assert as_text(str(message["Subject"])) == (
        "Your tickets for Gala Reply-To: attacker@evil.example X-Injected-By: organizer")
    (to,) = message["To"].addresses
    assert as_text(to.display_name) == "Zoë Bcc: spy@evil.example"
    assert as_text(to.addr_spec) == "zoë@example.com"


@settings(max_examples=300, deadline=None)
@given(event_name=NAMES, buyer_name=NAMES, address=st.sampled_from(ADDRESSES))
def test_the_headers_are_the_ones_set_and_read_back_as_the_names_on_one_line(
    event_name: str, buyer_name: str, address: str,
) -> None:
    letter = letter_of(event_name, buyer_name, address)

    message = parsed(letter.data, letter.international)

    assert list(message.keys()) == HEADERS
    assert not message.defects
    assert as_text(str(message["Subject"])) == one_line(f"Your tickets for {event_name}")
    (to,) = message["To"].addresses
    assert as_text(to.addr_spec) == address
    # Python's reader keeps the fold between two encoded words of a display name as a space
    # (RFC 2047 drops it), so a long name is compared without its spaces.
    assert squeezed(as_text(to.display_name)) == squeezed(one_line(buyer_name))
