"""Taxes: the rates an event's organizers set per category, and what each seat's price holds
of them. Pure rules over the event's state.

A tax rule has a name (VAT, sales tax), a rate in percent, and whether the categories' prices
include it (`inclusive`: the price is what the buyer pays, the tax part of it) or not (the
price is net: the buyer pays it plus the tax). Each seat's tax is rounded once, to the
currency's minor unit, halves up (`core.money.rounded`): a line's net, tax and gross are its
seats times a seat's, so a ticket refunded gives back exactly its own tax. A seat's line
records its `unit_price` (what the buyer pays, the gross), its `unit_tax`, and the rule's
`tax_name` and `tax_rate`, as taken when it was held or booked: a later change of the rules
changes no order made before.
"""

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from commands.domain.errors import DomainError
from commands.domain.events import TaxRule
from commands.domain.lifecycle import require_open
from commands.domain.lines import Line
from commands.domain.seats import resolve_category
from commands.domain.state import EventState
from core import error_codes as codes
from core.money import rounded

MAX_RULES = 10
NAME_LENGTH = 40


def invalid(message: str, *where: str | int) -> DomainError:
    refused = DomainError(message, code=codes.INVALID_TAX)
    refused.where = ("taxes", *where)
    return refused


def rules_set(event: EventState,
              asked: Sequence[dict[str, Any]]) -> dict[str, TaxRule] | None:
    """The event's tax rules as asked (each: `name`, `rate`, `inclusive`, `categories`), once
    valid; None when they are the rules it has (nothing to record)."""
    require_open(event)
    if len(asked) > MAX_RULES:
        raise invalid(f"An event has at most {MAX_RULES} tax rules")
    rules: dict[str, TaxRule] = {}
    taxed: set[str] = set()
    for index, rule in enumerate(asked):
        name = str(rule["name"]).strip()
        if not 0 < len(name) <= NAME_LENGTH or name in rules:
            raise invalid(f"Each tax rule has its own name of 1 to {NAME_LENGTH} characters",
                          index, "name")
        rate = Decimal(rule["rate"])
        if not (rate.is_finite() and 0 <= rate <= 100) or rate != rate.quantize(
                Decimal("0.001")):
            raise invalid("A tax rate is from 0 to 100 percent, in thousandths at most",
                          index, "rate")
        names = [resolve_category(event, c) for c in rule.get("categories") or ()]
        if taxed & set(names) or len(set(names)) != len(names):
            raise invalid("A category has one tax rule at most", index, "categories")
        taxed |= set(names)
        rules[name] = {"rate": rate, "inclusive": bool(rule["inclusive"]),
                       "categories": sorted(names)}
    return None if rules == event.tax_rules else rules


def rule_of(event: EventState, category: str) -> tuple[str, TaxRule] | None:
    for name, rule in event.tax_rules.items():
        if category in rule["categories"]:
            return name, rule
    return None


def seat_tax(price: Decimal, rule: TaxRule, currency: str) -> tuple[Decimal, Decimal]:
    """(gross, tax) of one seat whose category's price (or a voucher's) is `price`."""
    rate = rule["rate"]
    if rule["inclusive"]:
        return price, rounded(price * rate / (100 + rate), currency)
    tax = rounded(price * rate / 100, currency)
    return price + tax, tax


def taxed(event: EventState, lines: list[Line]) -> list[Line]:
    """The order's lines with each one's tax: its `unit_price` the gross a buyer pays (a list
    price made gross the same way), beside its `unit_tax`, `tax_name` and `tax_rate`. Lines of
    a category no rule names are as they were."""
    if not event.tax_rules:
        return lines
    found = []
    for line in lines:
        rule = rule_of(event, line["category"])
        if rule is None:
            found.append(line)
            continue
        name, terms = rule
        gross, tax = seat_tax(line["unit_price"], terms, event.currency)
        with_tax: Line = {**line, "unit_price": gross, "unit_tax": tax, "tax_name": name,
                          "tax_rate": terms["rate"]}
        if "list_price" in line:
            with_tax["list_price"] = seat_tax(line["list_price"], terms, event.currency)[0]
        found.append(with_tax)
    return found


def tax_summary(lines: Iterable[Line]) -> list[dict[str, Any]]:
    """Per tax rule and rate, in the order first met, what the lines cost: `net`, `tax` and
    `gross`; lines of no rule under `name` None and rate 0."""
    found: dict[tuple[str | None, Decimal], dict[str, Any]] = {}
    for line in lines:
        key = (line.get("tax_name"), line.get("tax_rate", Decimal(0)))
        row = found.setdefault(key, {"name": key[0], "rate": key[1], "net": Decimal(0),
                                     "tax": Decimal(0), "gross": Decimal(0)})
        tax = line.get("unit_tax", Decimal(0)) * line["quantity"]
        gross = line["unit_price"] * line["quantity"]
        row["tax"] += tax
        row["gross"] += gross
        row["net"] += gross - tax
    return list(found.values())
