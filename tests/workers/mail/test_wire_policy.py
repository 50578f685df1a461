"""The policy a message is written with writes each header as the classic `compat32` policy
folds it: the same bytes, whether a header fits on its line, is too long for it, holds a line
break or is not in ASCII."""

from email.header import Header
from email.mime.text import MIMEText
from email.policy import compat32

import pytest

from workers.mail.compose import ON_THE_WIRE

CLASSIC = compat32.clone(linesep="\r\n", mangle_from_=False)
LONG = "Your tickets for " + "the grand annual philharmonic winter gala " * 3


@pytest.mark.parametrize("subject", [
    "Your tickets for Jazz night",  # fits: written as it is
    LONG,  # folded on spaces
    "x" * 120,  # no space to fold on
    "Two\r\n lines",  # a line break of its own
    "Ночь джаза",  # not in ASCII: encoded words
    Header("Café Zürich", "utf-8"),  # already a header
])
def test_a_header_is_written_as_the_classic_policy_folds_it(subject: object) -> None:
    message = MIMEText("Hello", "plain", "utf-8")
    message["Subject"] = subject  # type: ignore[assignment]
    message["Message-ID"] = "<0f3c@example.com>"

    assert message.as_bytes(policy=ON_THE_WIRE) == message.as_bytes(policy=CLASSIC)
