"""What each seat should cost, re-derived from one event's stored stream (`invariants` asks):
its categories' prices and its tax rules as recorded so far, and the price a line held or
booked then must carry, with a voucher's terms or none. The formulas are the domain's
(`vouchers.price_with`, `taxes.seat_tax`): the one definition of a price; the state they are
applied to is this pass's own."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from commands.domain.events import TaxRule, VoucherState
from commands.domain.lines import Line
from commands.domain.taxes import seat_tax
from commands.domain.vouchers import price_with


@dataclass
class PriceBook:
    currency: str = "EUR"
    prices: dict[str, Decimal] = field(default_factory=dict)  # category -> its price now
    rules: dict[str, TaxRule] = field(default_factory=dict)  # by name

    def created(self, e: Any) -> None:
        self.currency = e.currency
        self.prices = {c["name"]: Decimal(c["price"]) for c in e.categories}

    def category(self, e: Any) -> None:
        self.prices[e.name] = Decimal(e.price)

    def taxes_set(self, e: Any) -> None:
        self.rules = {r["name"]: {"rate": Decimal(r["rate"]), "inclusive": r["inclusive"],
                                  "categories": list(r["categories"])} for r in e.rules}

    def wrong(self, line: Line, voucher: VoucherState | None) -> str | None:
        """What is wrong with a line held or booked now (None: nothing): its price, list price
        and tax as the category's price, the voucher and the event's tax rule make them."""
        price = self.prices.get(line["category"])
        if price is None:
            return None  # an unknown category: the capacity rule reports it
        rule = next(((name, r) for name, r in self.rules.items()
                     if line["category"] in r["categories"]), None)
        paid = price if voucher is None or "list_price" not in line else price_with(
            voucher, price, self.currency)
        listed = price
        tax = Decimal(0)
        if rule is not None:
            paid, tax = seat_tax(paid, rule[1], self.currency)
            listed = seat_tax(listed, rule[1], self.currency)[0]
        if rule is not None and (line.get("tax_name"), line.get("tax_rate")) != (
                rule[0], rule[1]["rate"]):
            return f"{line['category']!r} taxed as {line.get('tax_name')!r}, not {rule[0]!r}"
        if rule is None and "tax_name" in line:
            return f"{line['category']!r} taxed by {line['tax_name']!r}, a rule it is not under"
        if (line["unit_price"], line.get("unit_tax", Decimal(0))) != (paid, tax):
            return (f"{line['category']!r} at {line['unit_price']} with "
                    f"{line.get('unit_tax', Decimal(0))} of tax, not {paid} with {tax}")
        if "list_price" in line and line["list_price"] != listed:
            return f"{line['category']!r} listed at {line['list_price']}, not {listed}"
        return None
