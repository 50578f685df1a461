"""The vouchers' rules checked again over one event's stored stream (`invariants` asks): each
use of a known voucher, neither disabled nor outside its window, for the categories it names,
at the price it gives, never beyond its uses; a hold released or expired gives its uses back.
Its own counters, not the aggregate's code (`commands.domain.vouchers` is only asked for the
price a voucher gives, the one formula)."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from commands.domain.lines import Line
from commands.domain.vouchers import VoucherState, price_with, seats_using


@dataclass
class VoucherAudit:
    """The vouchers made on one event, their uses so far, and each active hold's."""

    currency: str = "EUR"
    terms: dict[str, VoucherState] = field(default_factory=dict)
    uses: dict[str, int] = field(default_factory=dict)
    by_hold: dict[str, tuple[str, int]] = field(default_factory=dict)  # hold -> (code, seats)

    def created(self, e: Any) -> list[str]:
        """Codes made: each new on the event. What is wrong, in words."""
        wrong = [f"voucher {_shown(code)} made twice" for code in e.codes if code in self.terms]
        for code in e.codes:
            self.terms[code] = {
                "discount": e.discount, "value": e.value, "max_uses": e.max_uses,
                "valid_from": e.valid_from, "valid_until": e.valid_until,
                "categories": e.categories, "label": e.label, "disabled": False}
        return wrong

    def disabled(self, e: Any) -> list[str]:
        found = self.terms.get(e.code)
        if found is None:
            return [f"voucher {_shown(e.code)} disabled before it was made"]
        self.terms[e.code] = {**found, "disabled": True}
        return []

    def used(self, code: str | None, lines: list[Line], at: datetime, what: str,
             hold: str | None = None) -> list[str]:
        """An order's lines priced by `code` (None: by no voucher) at `at`; a hold's uses kept
        until it ends."""
        seats = seats_using([dict(line) for line in lines])
        if code is None:
            return [f"{what} priced below its list price without a voucher"] if seats else []
        voucher = self.terms.get(code)
        if voucher is None:
            return [f"{what} used voucher {_shown(code)}, which was never made"]
        wrong = []
        if voucher["disabled"]:
            wrong.append(f"{what} used voucher {_shown(code)} once disabled")
        if (voucher["valid_from"] is not None and at < voucher["valid_from"]) or (
                voucher["valid_until"] is not None and at >= voucher["valid_until"]):
            wrong.append(f"{what} used voucher {_shown(code)} outside its validity")
        for line in lines:
            if "list_price" not in line:
                continue
            if voucher["categories"] is not None and line["category"] not in voucher[
                    "categories"]:
                wrong.append(f"{what} used voucher {_shown(code)} in {line['category']!r}")
            if line["unit_price"] != price_with(voucher, line["list_price"], self.currency):
                wrong.append(f"{what} priced {line['category']!r} at {line['unit_price']}, "
                             f"not the voucher's price of {line['list_price']}")
        self.uses[code] = self.uses.get(code, 0) + seats
        if self.uses[code] > voucher["max_uses"]:
            wrong.append(f"voucher {_shown(code)} used for {self.uses[code]} seats, more than "
                         f"its {voucher['max_uses']}")
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
