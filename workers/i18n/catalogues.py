"""The words of e-mails, tickets and invoices in each language: gettext catalogues read with
Babel from `workers/locales/<language>/LC_MESSAGES/messages.po`.

The texts are written in English in the code, marked with `N_` (a text) or `NP_` (a text with
its plural), which `pybabel extract` finds (docs/i18n.md); English is that source and has no
catalogue of its own. A catalogue is read from its `.po` on its language's first use in a
process, compiled in memory and kept (no `.mo` file is built or committed: docs/decisions.md);
a text it lacks, or holds as fuzzy, is written in English.
"""

from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any, NamedTuple

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from core.languages import DEFAULT_LANGUAGE, language_or_default

LOCALES = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"


class Plural(NamedTuple):
    """A text whose words follow a count: its English singular and plural (a catalogue holds
    as many forms as its language's plural rule has: three in Polish)."""

    singular: str
    plural: str


def N_(text: str) -> str:
    """`text`, marked for the catalogues: translated where it is used (`Words.text`)."""
    return text


def NP_(singular: str, plural: str) -> Plural:
    """A text with its plural, marked for the catalogues (`Words.plural`)."""
    return Plural(singular, plural)


def catalogue_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


class Words:
    """One language's words: a marked text translated and filled in."""

    def __init__(self, language: str, translations: NullTranslations) -> None:
        self.language = language
        self._translations = translations

    def text(self, text: str, /, **values: Any) -> str:
        """`text` in this language, its `{fields}` filled from `values` (none: as it is)."""
        said = self._translations.gettext(text)
        return said.format(**values) if values else said

    def plural(self, text: Plural, count: int, /, **values: Any) -> str:
        """The form of `text` this language uses for `count`, filled from `values` and
        `count` itself."""
        said = self._translations.ngettext(text.singular, text.plural, count)
        return said.format(count=count, **values)


@cache
def words(language: str | None) -> Words:
    """The words of `language` (an account's; none, or one not offered: English)."""
    chosen = language_or_default(language)
    if chosen == DEFAULT_LANGUAGE:
        return Words(chosen, NullTranslations())
    return Words(chosen, translations(chosen))


def translations(language: str) -> Translations:
    """The language's catalogue read from its `.po` and compiled in memory, its fuzzy entries
    left out (as `pybabel compile` leaves them)."""
    with catalogue_path(language).open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)
