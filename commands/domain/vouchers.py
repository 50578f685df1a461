"""Vouchers: codes an event's organizers hand out that change what seats cost. Pure rules over
the event's state.

A voucher takes a percentage off, an amount off, or sets the price (0 included), on the
categories it names (none named: every one), within its validity window, for at most
`max_uses` seats. A seat held with it uses it; a hold released or expired gives the use back;
a hold confirmed, or seats booked outright, keep it, and a cancellation does not give it back
(the seats were sold at its price: an organizer who wants it used again raises its uses).
Decided in the `Event` aggregate with the seats, under the event's lock: never used more
than allowed, however many buyers redeem it at once.
"""

import re
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from commands.domain.errors import Conflict, DomainError, RuleBroken
from commands.domain.events import VoucherState
from commands.domain.lifecycle import require_open
from commands.domain.lines import Line
from commands.domain.seats import available, resolve_category
from commands.domain.state import EventState
from core import error_codes as codes
from core.money import has_minor_units_only, rounded

PERCENT, AMOUNT_OFF, SET_PRICE = "percent", "amount_off", "set_price"
DISCOUNTS = (PERCENT, AMOUNT_OFF, SET_PRICE)
MAX_CODES = 1000  # made at once: a batch for a press list, not a table dump
MAX_USES = 100_000
CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{3,31}")  # as buyers type them, upper-cased
LABEL_LENGTH = 80


def code_of(typed: str) -> str:
    """A code as the ledger keeps it: as typed, without surrounding spaces, upper-cased."""
    return typed.strip().upper()


def invalid(message: str, field: str, index: int | None = None) -> DomainError:
    refused = DomainError(message, code=codes.INVALID_VOUCHER)
    refused.where = (field,) if index is None else (field, index)
    return refused


def new_vouchers(event: EventState, typed: Iterable[str], *, discount: str,  # noqa: PLR0913
                 value: Decimal, max_uses: int, valid_from: datetime | None,
                 valid_until: datetime | None, categories: list[str] | None,
                 label: str | None, now: datetime, reserve: bool = False) -> dict[str, Any]:
    """What a `VouchersCreated` of these codes and terms records, once they are valid: codes
    of 4 to 32 letters, digits, '-' or '_', new on this event; a discount that makes no
    price negative; a window that ends after it begins, and not in the past; and, for
    vouchers that `reserve` their seats, one category with that many seats on sale now."""
    require_open(event)
    made = [code_of(c) for c in typed]
    if not 0 < len(made) <= MAX_CODES:
        raise invalid(f"A voucher batch holds 1 to {MAX_CODES} codes", "codes")
    for index, code in enumerate(made):
        if not CODE.fullmatch(code):
            raise invalid("A code is 4 to 32 letters, digits, '-' or '_', starting with a "
                          "letter or digit", "codes", index)
        if code in event.vouchers or code in made[:index]:
            refused = Conflict(f"A voucher {code!r} exists on this event already",
                               code=codes.VOUCHER_CODE_TAKEN)
            refused.where = ("codes", index)
            raise refused
    names = sorted({resolve_category(event, name) for name in categories}) if categories \
        else None
    _require_valid_discount(event, discount, value, names)
    if not 1 <= max_uses <= MAX_USES:
        raise invalid(f"A voucher is used for 1 to {MAX_USES} seats", "max_uses")
    if valid_until is not None and valid_until <= now:
        raise invalid("The voucher's validity would be over already", "valid_until")
    if valid_from is not None and valid_until is not None and valid_until <= valid_from:
        raise invalid("The voucher's validity must end after it begins", "valid_until")
    label = (label or "").strip() or None
    if label is not None and len(label) > LABEL_LENGTH:
        raise invalid(f"A voucher's label has at most {LABEL_LENGTH} characters", "label")
    if reserve:
        _require_room_to_reserve(event, names, max_uses * len(made), valid_until)
    return {"codes": made, "discount": discount, "value": value, "max_uses": max_uses,
            "valid_from": valid_from, "valid_until": valid_until, "categories": names,
            "label": label, "reserve": reserve}


def _require_room_to_reserve(event: EventState, names: list[str] | None, seats: int,
                             valid_until: datetime | None) -> None:
    """A voucher reserving seats names its one category, keeps them until used or disabled
    (no end to release them on its own), and finds that many on sale now."""
    if names is None or len(names) != 1:
        raise invalid("A voucher that reserves seats applies to one category: name it",
                      "categories")
    if valid_until is not None:
        raise invalid("A voucher that reserves seats keeps them until it is used or "
                      "disabled: give it no end", "valid_until")
    left = available(event, names[0])
    if seats > left:
        refused = RuleBroken(f"Only {left} seats of {names[0]!r} are on sale; {seats} cannot "
                             "be reserved", code=codes.NOT_ENOUGH_SEATS)
        refused.where = ("max_uses",)
        raise refused


def _require_valid_discount(event: EventState, discount: str, value: Decimal,
                            names: list[str] | None) -> None:
    if discount not in DISCOUNTS:
        raise invalid(f"A discount is one of {', '.join(DISCOUNTS)}", "discount")
    if discount == PERCENT:
        if not 0 < value <= 100 or value != value.quantize(Decimal("0.01")):
            raise invalid("A percentage off is more than 0 and at most 100, in hundredths",
                          "value")
        return
    if value < 0 or not has_minor_units_only(value, event.currency):
        raise invalid(f"An amount is 0 or more, in whole minor units of {event.currency}",
                      "value")
    if discount == AMOUNT_OFF:
        if value == 0:
            raise invalid("An amount off is more than 0", "value")
        cheapest = min(event.categories[name]["price"] for name in names or event.categories)
        if value > cheapest:
            raise invalid(f"{value} off would make a price of {cheapest} negative", "value")


def disabled(event: EventState, typed: str) -> str | None:
    """The code of a voucher to disable; None when it is disabled already (nothing to
    record: disabling is idempotent)."""
    code = code_of(typed)
    found = event.vouchers.get(code)
    if found is None:
        raise DomainError(f"No voucher {code!r} on this event", code=codes.VOUCHER_NOT_FOUND)
    return None if found["disabled"] else code


def redeemed(event: EventState, typed: str, lines: list[Line],
             now: datetime) -> tuple[str, list[Line]]:
    """The voucher's code and the order's lines at its price, each line it applies to with
    its `list_price` (the category's) beside its `unit_price` (the voucher's), once it may be
    used now for those lines' seats."""
    code = code_of(typed)
    voucher = event.vouchers.get(code)
    if voucher is None:
        raise _refused(f"No voucher {code!r} on this event", codes.VOUCHER_NOT_FOUND)
    if voucher["disabled"]:
        raise _refused("This voucher was disabled by the event's organizers",
                       codes.VOUCHER_DISABLED)
    if voucher["valid_from"] is not None and now < voucher["valid_from"]:
        raise _refused("This voucher is not valid yet", codes.VOUCHER_NOT_YET_VALID,
                       {"valid_from": voucher["valid_from"]})
    if voucher["valid_until"] is not None and now >= voucher["valid_until"]:
        raise _refused("This voucher has expired", codes.VOUCHER_EXPIRED,
                       {"valid_until": voucher["valid_until"]})
    priced: list[Line] = []
    seats = 0
    for line in lines:
        if voucher["categories"] is None or line["category"] in voucher["categories"]:
            seats += line["quantity"]
            priced.append({**line, "unit_price": price_with(voucher, line["unit_price"],
                                                            event.currency),
                           "list_price": line["unit_price"]})
        else:
            priced.append(line)
    if seats == 0:
        raise _refused("This voucher does not apply to the seats chosen",
                       codes.VOUCHER_WRONG_CATEGORY, {"categories": voucher["categories"]})
    left = voucher["max_uses"] - event.voucher_uses.get(code, 0)
    if seats > left:
        message = ("This voucher has been used up" if left <= 0 else
                   f"This voucher is good for {left} more seat{'s' if left != 1 else ''}; "
                   f"{seats} asked")
        raise _refused(message, codes.VOUCHER_EXHAUSTED, {"uses_left": max(left, 0)})
    return code, priced


def _refused(message: str, code: codes.ErrorCode,
             facts: dict[str, Any] | None = None) -> DomainError:
    refused = DomainError(message, code=code, facts=facts)
    refused.where = ("voucher",)
    return refused


def price_with(voucher: VoucherState, price: Decimal, currency: str) -> Decimal:
    """A seat's price with the voucher, in whole minor units, never below 0."""
    if voucher["discount"] == PERCENT:
        return rounded(price * (100 - voucher["value"]) / 100, currency)
    if voucher["discount"] == AMOUNT_OFF:
        return max(price - voucher["value"], Decimal(0))
    return voucher["value"]


def seats_using(lines: Iterable[dict[str, Any]] | None) -> int:
    """Seats of an order's lines priced by a voucher (those with a `list_price`)."""
    return sum(int(line["quantity"]) for line in lines or () if "list_price" in line)
