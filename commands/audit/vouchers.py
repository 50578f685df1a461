"""The vouchers' rules checked again over one event's stored stream (`invariants` asks): each
use of a known voucher, neither disabled nor outside its window, for the categories it names,
never beyond its uses (a hold released or expired gives its uses back); and every line held or
booked at the price the event's prices, taxes and its voucher make (`prices.PriceBook`). Its
own counters, not the aggregate's code."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from commands.audit.prices import PriceBook
from commands.domain.events import VoucherState
from commands.domain.lines import Line
from commands.domain.vouchers import seats_using

VOUCHER, PRICE = "voucher", "price"  # the rules its problems break
Problem = tuple[str, str]  # (rule, what is wrong in words)


@dataclass
class VoucherAudit:
    """The vouchers made on one event, their uses so far, and each active hold's; the prices
    its lines must carry, from the event's `PriceBook`."""

    prices: PriceBook
    terms: dict[str, VoucherState] = field(default_factory=dict)
    uses: dict[str, int] = field(default_factory=dict)
    by_hold: dict[str, tuple[str, int]] = field(default_factory=dict)  # hold -> (code, seats)

    def created(self, e: Any) -> list[Problem]:
        """Codes made: each new on the event. What is wrong: (rule, words)."""
        wrong = [(VOUCHER, f"voucher {_shown(code)} made twice")
                 for code in e.codes if code in self.terms]
        for code in e.codes:
            self.terms[code] = {
                "discount": e.discount, "value": e.value, "max_uses": e.max_uses,
                "valid_from": e.valid_from, "valid_until": e.valid_until,
                "categories": e.categories, "label": e.label, "disabled": False}
        return wrong

    def disabled(self, e: Any) -> list[Problem]:
        found = self.terms.get(e.code)
        if found is None:
            return [(VOUCHER, f"voucher {_shown(e.code)} disabled before it was made")]
        self.terms[e.code] = {**found, "disabled": True}
        return []

    def used(self, code: str | None, lines: list[Line], at: datetime, what: str,
             hold: str | None = None) -> list[Problem]:
        """An order's lines priced by `code` (None: by no voucher) at `at`, each at the price
        the event's prices, taxes and the voucher make (rule `price`); a hold's uses kept
        until it ends."""
        seats = seats_using([dict(line) for line in lines])
        voucher = None if code is None else self.terms.get(code)
        wrong: list[Problem] = [(PRICE, f"{what} priced {problem}") for problem in (
            self.prices.wrong(line, voucher) for line in lines) if problem]
        if code is None:
            if seats:
                wrong.append((VOUCHER, f"{what} priced below its list price without a voucher"))
            return wrong
        if voucher is None:
            return [(VOUCHER, f"{what} used voucher {_shown(code)}, which was never made")]
        if voucher["disabled"]:
            wrong.append((VOUCHER, f"{what} used voucher {_shown(code)} once disabled"))
        if (voucher["valid_from"] is not None and at < voucher["valid_from"]) or (
                voucher["valid_until"] is not None and at >= voucher["valid_until"]):
            wrong.append((VOUCHER, f"{what} used voucher {_shown(code)} outside its validity"))
        for line in lines:
            if "list_price" in line and voucher["categories"] is not None and line[
                    "category"] not in voucher["categories"]:
                wrong.append((VOUCHER, f"{what} used voucher {_shown(code)} in "
                                       f"{line['category']!r}"))
        self.uses[code] = self.uses.get(code, 0) + seats
        if self.uses[code] > voucher["max_uses"]:
            wrong.append((VOUCHER, f"voucher {_shown(code)} used for {self.uses[code]} seats, "
                                   f"more than its {voucher['max_uses']}"))
        if hold is not None:
            self.by_hold[hold] = (code, seats)
        return wrong

    def hold_ended(self, hold: str, *, gives_back: bool) -> None:
        """A hold released or expired (`gives_back`) frees its uses; confirmed, keeps them."""
        found = self.by_hold.pop(hold, None)
        if found is not None and gives_back:
            self.uses[found[0]] -= found[1]


def _shown(code: str) -> str:
    """A code as problems name it: its first characters, never the whole of a money-off
    secret (verify's problems are read by auditors, as the log's digests are)."""
    return repr(code[:3] + "…") if len(code) > 3 else repr(code)
