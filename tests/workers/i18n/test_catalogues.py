"""The missing-key check: the template (`workers/locales/messages.pot`) holds every text the
code marks, and every language's catalogue translates every text of the template, each plural
form, none fuzzy, with the same `{fields}`. A failure names the language and the text."""

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from core.languages import DEFAULT_LANGUAGE, LANGUAGES
from workers.i18n.catalogues import LOCALES, catalogue_path

WORKERS = LOCALES.parent
TEMPLATE = LOCALES / "messages.pot"
# As docs/i18n.md's `pybabel extract` is told: only the markers, none of gettext's own names.
KEYWORDS = {"N_": None, "NP_": (1, 2)}
FIELD = re.compile(r"\{(\w*)\}")
TRANSLATED = [language for language in LANGUAGES if language != DEFAULT_LANGUAGE]


def read(path: Path) -> Catalog:
    with path.open("rb") as po:
        return read_po(po)


def texts(value: object) -> tuple[str, ...]:
    """A message's id or translation as its texts: one, or its plural forms."""
    return (value,) if isinstance(value, str) else tuple(value or ())  # type: ignore[arg-type]


def key(message: Message) -> str:
    """A message's text as a failure names it: its singular."""
    return repr(texts(message.id)[0][:60])


def marked_in_code() -> set[str | tuple[str, ...]]:
    with (LOCALES / "babel.cfg").open() as config:
        # Babel's command-line module has no type hints.
        method_map, options_map = parse_mapping_cfg(config)  # type: ignore[no-untyped-call]
    return {found[2] for found in extract_from_dir(WORKERS, method_map, options_map,
                                                     keywords=KEYWORDS)}


def test_the_template_holds_every_text_the_code_marks_and_no_other() -> None:
    in_template = {message.id for message in read(TEMPLATE) if message.id}
    in_code = marked_in_code()
    missing, stale = in_code - in_template, in_template - in_code
    assert not missing and not stale, (
        "workers/locales/messages.pot is not what the code marks: run pybabel extract and "
        f"update (docs/i18n.md).\n  not in it: {sorted(map(str, missing))}\n"
        f"  no longer marked: {sorted(map(str, stale))}")


def test_every_language_offered_but_english_has_a_catalogue() -> None:
    assert [lang for lang in TRANSLATED if not catalogue_path(lang).is_file()] == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_catalogue_translates_every_text_of_the_template(language: str) -> None:
    catalogue = read(catalogue_path(language))
    problems = []
    for wanted in read(TEMPLATE):
        if not wanted.id:
            continue
        found = catalogue.get(wanted.id)
        forms = () if found is None else texts(found.string)
        if found is None:
            problems.append(f"{language}: {key(wanted)} is missing")
        elif found.fuzzy:
            problems.append(f"{language}: {key(wanted)} is fuzzy")
        elif isinstance(wanted.id, tuple) and len(forms) != catalogue.num_plurals:
            problems.append(f"{language}: {key(wanted)} has {len(forms)} plural forms, "
                            f"not {catalogue.num_plurals}")
        elif not all(forms):
            problems.append(f"{language}: {key(wanted)} is not translated")
        elif any(set(FIELD.findall(form)) != fields_of(wanted) for form in forms):
            problems.append(f"{language}: {key(wanted)} has other {{fields}} than its text")
    assert not problems, "\n".join(problems)


def fields_of(message: Message) -> set[str]:
    return {field for text in texts(message.id) for field in FIELD.findall(text)}
