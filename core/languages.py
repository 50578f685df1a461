"""The languages a buyer may choose (account, e-mails, tickets, invoices): one list, read by the
API, which refuses any other, and by the workers, which write in them."""

from typing import Final, Literal, TypeGuard, get_args

Language = Literal["en", "de", "pl"]
LANGUAGES: Final[tuple[Language, ...]] = get_args(Language)
# What an account that never chose is written to in, and what a catalogue falls back to.
DEFAULT_LANGUAGE: Final[Language] = "en"


def is_supported(code: object) -> TypeGuard[Language]:
    """Whether `code` is one of the languages, exactly as listed (lower case, no region)."""
    return code in LANGUAGES


def language_or_default(code: str | None) -> Language:
    """The account's language; an empty or no longer offered one reads as the default."""
    return code if is_supported(code) else DEFAULT_LANGUAGE
