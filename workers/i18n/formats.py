"""Money and times as a buyer reads them in their language, by Babel (CLDR): "€1,234.50" in
English, "1.234,50 €" in German, "1234,50 zł" in Polish; "Sat, 12 Dec 2026, 19:00",
"Sa., 12. Dez. 2026, 19:00", "sob., 12 gru 2026, 19:00". Amounts stay `Decimal` from their
decimal strings to the text: never a float."""

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_currency, format_decimal

from core.languages import Language, language_or_default

# The regional conventions each language is written with: British English (day before month,
# a 24-hour clock), as the ledger wrote before it had languages.
LOCALES: dict[Language, str] = {"en": "en_GB", "de": "de_DE", "pl": "pl_PL"}
# Digits grouped, with the currency's own number of decimals, and no currency sign.
PLAIN_AMOUNT = "#,##0.00"


def locale_of(language: str | None) -> str:
    return LOCALES[language_or_default(language)]


@lru_cache(maxsize=4096)
def money(amount: str, currency: str, language: str | None) -> str:
    """A decimal string in `currency` as the language writes it, sign and all; a currency code
    that is none (events recorded with none) as the plain number followed by it."""
    value = Decimal(amount)
    if not currency:
        return plain_amount(value, "", language)
    return format_currency(value, currency, locale=locale_of(language))


def plain_amount(value: Decimal, currency: str, language: str | None) -> str:
    """An amount as a column of figures shows it in the language: grouped, with the
    currency's decimals (none for the yen), no sign of the currency."""
    if not currency:
        return format_currency(value, "XXX", format=PLAIN_AMOUNT, locale=locale_of(language))
    return format_currency(value, currency, format=PLAIN_AMOUNT, locale=locale_of(language))


def rate(value: Decimal, language: str | None) -> str:
    """A tax rate's number as the language writes it, as many decimals as it has: "7.5",
    "7,5"."""
    return format_decimal(value, locale=locale_of(language), decimal_quantization=False)


def day_and_time(moment: datetime, language: str | None) -> str:
    """An aware time in its own zone or offset as the language writes a day and a time of
    the day (24-hour): "Sat, 12 Dec 2026, 19:00", "Sa., 12. Dez. 2026, 19:00"."""
    locale = locale_of(language)
    day = format_skeleton("yMMMEd", moment, tzinfo=moment.tzinfo, locale=locale)
    return f"{day}, {format_time(moment, 'HH:mm', tzinfo=moment.tzinfo, locale=locale)}"


def day_of(moment: date, language: str | None) -> str:
    """A day as the language writes it: "30 Nov 2026", "30.11.2026", "30 lis 2026"."""
    return format_date(moment, "medium", locale=locale_of(language))
