"""An invoice's amounts: read exactly from its decimal strings, written with its currency's
decimals (none for the yen), as the XML states them and as a reader sees them on the page, in
its language."""

from decimal import Decimal

from core.money import exponent, has_minor_units_only
from workers.i18n.formats import plain_amount

MINUS = "\u2212"  # the typographic minus: a hyphen reads as a dash in a column of figures


def amount(text: str, currency: str) -> Decimal:
    """A decimal string of the invoice at its currency's places: "48" EUR is 48.00. An amount
    finer than the currency's minor unit is refused, since the ledger never makes one."""
    value = Decimal(text)
    if not value.is_finite() or not has_minor_units_only(value, currency):
        raise ValueError(f"{text!r} is not an amount of {currency}")
    return value.quantize(Decimal(1).scaleb(-exponent(currency)))


def stated(value: Decimal) -> str:
    """An amount as the XML states it: digits and a point, no grouping, no exponent."""
    return f"{value:f}"


def shown(value: Decimal, currency: str, language: str | None = None,
          negative: bool = False) -> str:
    """An amount as the page shows it in `language`: digits grouped by thousands as it groups
    them, the currency's decimals, and a minus when `negative` (a cancellation's amounts)
    unless it is zero."""
    text = plain_amount(value, currency, language)
    return f"{MINUS}{text}" if negative and value else text
