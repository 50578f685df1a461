"""Text that stays on one line and reads in the order it is written: the names of people,
events, venues and categories, and the e-mail headers made of them.

The API refuses these characters in names (`query_api.schemas.common`), and the e-mail makes
each a space in every header it writes (`workers.mail.compose`), which covers names stored
before the API refused them. Refused: every character Unicode says ends a line or controls a
device, each a line's end to `str.splitlines`, which the standard library writes a UTF-8
header with (the C0 and C1 controls, category Cc: CR, LF, NEL, VT, FF and the separators
U+001C-U+001E among them; the line and paragraph separators, Zl and Zp); and the bidi
embeddings, overrides and isolates, which show a name in another order than it reads
(U+202A-U+202E, U+2066-U+2069). The other format characters stay: the zero-width joiner of an
emoji or a Persian name, the direction marks a mixed name needs.
"""

import re
from functools import cache

# Category Cc is closed (Unicode never adds to it); Zl and Zp hold one character each, which
# a test checks against the running Python's Unicode database.
CONTROLS = frozenset(map(chr, [*range(0x00, 0x20), *range(0x7F, 0xA0)]))
SEPARATORS = frozenset({"\u2028", "\u2029"})
BIDI_CONTROLS = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
REFUSED = CONTROLS | SEPARATORS | BIDI_CONTROLS
# Made once: `str.translate` with it costs about what copying the text does.
_AS_SPACES = str.maketrans(dict.fromkeys(REFUSED, " "))


@cache
def _refused_pattern(allowed: str) -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(c) for c in sorted(REFUSED - set(allowed))) + "]")


def first_refused(text: str, allowed: str = "") -> str | None:
    """The first character of `text` that a name may not hold, those in `allowed` aside."""
    found = _refused_pattern(allowed).search(text)
    return found.group() if found else None


def one_line(text: str) -> str:
    """`text` with each refused character a space and its runs of spaces one: a header's
    value that no name can end or reorder."""
    return " ".join(text.translate(_AS_SPACES).split())
