"""An order's lines: the seats of each category a hold, a booking or a cancellation spans.

Most take seats of one category, and their events say so in `category`, `quantity` and
`unit_price` alone. An order across categories records its `lines` too, in the order they were
asked, and the single fields then say the first line's category and price and the seats of
all lines (`quantity`). Whoever counts seats or money per category reads them through
`lines_of`, never the single fields. A booking's tickets follow its lines: the first line's
quantity of codes is the first line's, and so on.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NotRequired, TypedDict


class Line(TypedDict):
    category: str
    quantity: int
    unit_price: Decimal  # what each seat costs the buyer
    # A voucher's line: the category's price before it (`commands.domain.vouchers`).
    list_price: NotRequired[Decimal]
    # A taxed line (`commands.domain.taxes`): the tax each seat's `unit_price` holds, and the
    # rule's name and rate when it was taken.
    unit_tax: NotRequired[Decimal]
    tax_name: NotRequired[str]
    tax_rate: NotRequired[Decimal]


def _field(record: Any, name: str) -> Any:
    return record.get(name) if isinstance(record, dict) else getattr(record, name, None)


def lines_of(record: Any) -> list[Line]:
    """The lines of an event or a record (a dict): its `lines`, or the one its single fields
    tell. A single-category cancellation records no price (its `refund` says the money): 0
    then."""
    lines = _field(record, "lines")
    if lines:
        return [_line(line) for line in lines]
    price = _field(record, "unit_price")
    return [{"category": _field(record, "category"), "quantity": int(_field(record, "quantity")),
             "unit_price": Decimal(0) if price is None else price}]


# What a line may tell beside its category, seats and price, each a decimal but the name.
PRICED = ("list_price", "unit_tax", "tax_rate")


def _line(recorded: dict[str, Any]) -> Line:
    line: Line = {"category": recorded["category"], "quantity": int(recorded["quantity"]),
                  "unit_price": Decimal(recorded.get("unit_price", 0))}
    for key in PRICED:
        if key in recorded:
            line[key] = Decimal(recorded[key])  # type: ignore[literal-required]
    if "tax_name" in recorded:
        line["tax_name"] = str(recorded["tax_name"])
    return line


def recorded(lines: list[Line]) -> list[dict[str, Any]] | None:
    """What an event records as its `lines`: None for one category at its price (its single
    fields say it all); a voucher's price or a tax is always told per line."""
    if len(lines) == 1 and lines[0].keys() <= {"category", "quantity", "unit_price"}:
        return None
    return [dict(line) for line in lines]


def single_fields(lines: list[Line]) -> dict[str, Any]:
    """The single fields an event of these lines records beside them."""
    return {"category": lines[0]["category"], "quantity": seats_in(lines),
            "unit_price": lines[0]["unit_price"]}


def seats_by_category(lines: Iterable[Line]) -> dict[str, int]:
    """Seats per category of some lines (a category named twice adds up)."""
    found: dict[str, int] = {}
    for line in lines:
        found[line["category"]] = found.get(line["category"], 0) + line["quantity"]
    return found


def ticket_categories(record: Any, codes: Iterable[str]) -> dict[str, str]:
    """Each of a booking's ticket codes (in the order it recorded them), with its line's
    category; `record`: its event, its own stream or a row."""
    codes = list(codes)
    lines = _field(record, "lines")
    if not lines:
        return dict.fromkeys(codes, _field(record, "category"))
    return {code: line["category"] for code, line in ticket_lines(codes, lines).items()}


def seats_in(lines: Iterable[Line]) -> int:
    return sum(line["quantity"] for line in lines)


def total_of(lines: Iterable[Line]) -> Decimal:
    """What the lines cost: each line's seats at its price."""
    return sum((line["unit_price"] * line["quantity"] for line in lines), Decimal(0))


def list_total_of(lines: Iterable[Line]) -> Decimal:
    """What the lines would cost without a voucher: each line's seats at its list price."""
    return sum((line.get("list_price", line["unit_price"]) * line["quantity"]
                for line in lines), Decimal(0))


def ticket_lines(ticket_codes: Iterable[str], lines: list[Line]) -> dict[str, Line]:
    """Each ticket code's line, the codes taken in the order the booking recorded them."""
    codes = iter(ticket_codes)
    # The count comes first: zip stops on it before taking a code of the next line.
    return {code: line for line in lines
            for _, code in zip(range(line["quantity"]), codes, strict=False)}


def lines_of_tickets(codes: Iterable[str], of_ticket: dict[str, Line]) -> list[Line]:
    """The lines tickets `codes` make: how many of each category, at its price, in the
    order their categories first come."""
    counts: dict[str, Line] = {}
    for code in codes:
        line = of_ticket[code]
        found = counts.get(line["category"])
        if found is None:
            found = counts[line["category"]] = {**line, "quantity": 0}
        found["quantity"] += 1
    return list(counts.values())
