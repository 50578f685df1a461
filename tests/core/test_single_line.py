"""What a name may not hold is every character this Python's Unicode database says ends a line
or controls a device (categories Cc, Zl, Zp: all that `str.splitlines` ends a line at), and the
bidi embeddings, overrides and isolates; the joiners and direction marks names need stay."""

import sys
import unicodedata

import pytest

from core.single_line import REFUSED, first_refused, one_line


def test_every_control_and_separator_of_this_unicode_database_is_refused() -> None:
    wanted = {chr(c) for c in range(sys.maxunicode + 1)
              if unicodedata.category(chr(c)) in ("Cc", "Zl", "Zp")}

    assert wanted <= REFUSED
    assert {c for c in map(chr, range(sys.maxunicode + 1))
            if len(f"a{c}b".splitlines()) > 1} <= REFUSED


@pytest.mark.parametrize("kept", ["\u200d", "\u200c", "\u200e", "\u200f", "\u061c", "\ufeff",
                                  "\u00a0", "\u00ad"])
def test_format_characters_a_name_may_need_are_kept(kept: str) -> None:
    assert first_refused(f"a{kept}b") is None


def test_the_first_refused_character_is_named_and_what_is_allowed_is_left() -> None:
    assert first_refused("Gala\u202e\u2028x") == "\u202e"
    assert first_refused("two\nlines\ttab", allowed="\t\n\r") is None
    assert first_refused("two\u2028lines", allowed="\t\n\r") == "\u2028"


def test_one_line_makes_each_refused_character_a_space_and_the_spaces_one() -> None:
    assert one_line(" Gala\u2028Reply-To: x\r\n\x85\u202eend ") == "Gala Reply-To: x end"
