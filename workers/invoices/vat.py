"""Which EN 16931 VAT category each line of an invoice falls in: the one rule the XML and the
page both follow."""

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

STANDARD_RATE, ZERO_RATED, EXEMPT, NOT_SUBJECT = "S", "Z", "E", "O"
# The exemption reason EN 16931 asks of a "not subject to VAT" breakdown, as a code.
NOT_SUBJECT_CODE = "VATEX-EU-O"


def categories(lines: Sequence[Mapping[str, Any]]) -> list[str]:
    """Each line's category: standard rated when its tax rule has a rate, zero rated when
    its rule's rate is 0. A line under no tax rule is "not subject to VAT" when no line is
    taxed; beside taxed lines it is exempt instead, since EN 16931 allows "not subject" only
    on an invoice with nothing else on it (BR-O-11, BR-O-12)."""
    taxed = [line["tax_name"] is not None for line in lines]
    untaxed = NOT_SUBJECT if not any(taxed) else EXEMPT
    return [(STANDARD_RATE if Decimal(line["tax_rate"]) > 0 else ZERO_RATED) if is_taxed
            else untaxed
            for line, is_taxed in zip(lines, taxed, strict=True)]


def has_rate(category: str) -> bool:
    """Whether a line or breakdown of `category` states a rate: every one but "not subject"
    (BR-O-05), exempt ones at 0 (BR-E-05)."""
    return category != NOT_SUBJECT


def rate(line: Mapping[str, Any], category: str) -> str:
    """The rate a line of `category` states: its rule's, 0 when exempt."""
    return "0" if category == EXEMPT else percent(line["tax_rate"])


def percent(text: str) -> str:
    """A rate as written for people and the XML alike: "20", "7.5", never "20.00"."""
    return f"{Decimal(text).normalize():f}"
