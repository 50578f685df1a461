"""Amounts in a currency's minor unit, as payment providers count them (ISO 4217 exponents)."""

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

# The currencies whose minor unit is not a hundredth: Stripe's zero-decimal currencies, and
# the ISO 4217 three-decimal ones.
EXPONENTS = {
    **dict.fromkeys(("BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF",
                     "UGX", "VND", "VUV", "XAF", "XOF", "XPF"), 0),
    **dict.fromkeys(("BHD", "JOD", "KWD", "OMR", "TND"), 3),
}


def exponent(currency: str) -> int:
    return EXPONENTS.get(currency.upper(), 2)


def to_minor(amount: Decimal, currency: str) -> int:
    """`amount` (in the currency's major unit) in its minor unit: 12.50 EUR is 1250."""
    scaled = amount.scaleb(exponent(currency)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
    return int(scaled)


def from_minor(amount: int, currency: str) -> Decimal:
    """The minor unit back in the major: 1250 EUR cents is 12.50."""
    return Decimal(amount).scaleb(-exponent(currency)).quantize(
        Decimal(1).scaleb(-exponent(currency)))


def rounded(amount: Decimal, currency: str) -> Decimal:
    """A price the ledger computes (a discount's, later a tax's) in whole minor units, halves
    rounded up, away from zero, as shop receipts and invoices round: 9.995 EUR is 10.00.
    Rounded once, per unit price: a line's total is its seats times a rounded price."""
    return amount.quantize(Decimal(1).scaleb(-exponent(currency)), rounding=ROUND_HALF_UP)


def has_minor_units_only(amount: Decimal, currency: str) -> bool:
    """Whether `amount` is exact in the currency's minor unit (12.345 EUR is not)."""
    return amount == rounded(amount, currency)
