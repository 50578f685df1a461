"""Taxes on the Event aggregate: rules set per category by its organizers; each seat held or
booked takes its tax, rounded once per seat to the currency's minor unit, halves up; prices
including the tax keep their gross, prices without it add it; a voucher's price is taxed as the
category's would be; orders made before a change keep their tax."""

from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from commands.domain.actor import Actor
from commands.domain.errors import DomainError, Forbidden
from commands.domain.event import Event
from commands.domain.lines import Line, lines_of, total_of
from commands.domain.taxes import seat_tax, tax_summary
from tests.commands.given import NOW, given, new_event, new_events, refused

ORGANIZER = Actor(id="org-1", admin=False)


def concert(*categories: tuple[str, str], currency: str = "eur") -> Event:
    return given(new_event(
        categories=[{"name": n, "price": Decimal(p), "capacity": 50} for n, p in categories],
        organizer_id="org-1", organizer_name="Org", currency=currency))


def rule(name: str, rate: str, inclusive: bool, *categories: str) -> dict[str, Any]:
    return {"name": name, "rate": rate, "inclusive": inclusive, "categories": list(categories)}


# (price, rate, inclusive, seats) -> (gross per seat, tax per seat, line net, tax, gross), each
# worked out by hand: inclusive, tax = price x rate / (100 + rate); exclusive, tax = price x
# rate / 100 and gross = price + tax; a seat's tax rounded half up to the cent, a line the seats
# times a seat's.
CASES = [
    ("10.00", "20", True, 1, "10.00", "1.67", "8.33", "1.67", "10.00"),  # 1.666..
    ("10.00", "20", True, 3, "10.00", "1.67", "24.99", "5.01", "30.00"),
    ("25.50", "7", True, 2, "25.50", "1.67", "47.66", "3.34", "51.00"),  # 1.6682..
    ("10.00", "20", False, 1, "12.00", "2.00", "10.00", "2.00", "12.00"),
    ("19.99", "8.875", False, 4, "21.76", "1.77", "79.96", "7.08", "87.04"),  # 1.7741..
    ("0.10", "5", False, 3, "0.11", "0.01", "0.30", "0.03", "0.33"),  # 0.005 rounds up
    ("0.30", "5", True, 2, "0.30", "0.01", "0.58", "0.02", "0.60"),  # 0.01428..
    ("99.00", "0", True, 2, "99.00", "0.00", "198.00", "0.00", "198.00"),
    ("12.34", "100", False, 1, "24.68", "12.34", "12.34", "12.34", "24.68"),
]


@pytest.mark.parametrize(("price", "rate", "inclusive", "seats", "gross", "tax", "line_net",
                          "line_tax", "line_gross"), CASES)
def test_a_seats_tax_and_a_lines_sums_are_those_worked_out_by_hand(
    price: str, rate: str, inclusive: bool, seats: int, gross: str, tax: str, line_net: str,
    line_tax: str, line_gross: str,
) -> None:
    event = concert(("General", price))
    event.set_taxes([rule("VAT", rate, inclusive, "General")], by=ORGANIZER)
    event.hold(hold_id=uuid4(), user_id="ann", user_name="Ann", category="General",
               quantity=seats, now=NOW)
    [_, held] = new_events(event)
    [line] = lines_of(held)
    assert (line["unit_price"], line["unit_tax"]) == (Decimal(gross), Decimal(tax))
    assert seat_tax(Decimal(price), {"rate": Decimal(rate), "inclusive": inclusive,
                                     "categories": []}, "EUR") == (Decimal(gross), Decimal(tax))
    [summary] = tax_summary([line])
    assert (summary["net"], summary["tax"], summary["gross"]) == (
        Decimal(line_net), Decimal(line_tax), Decimal(line_gross))
    assert total_of([line]) == Decimal(line_gross)


def test_an_order_across_rates_sums_each_rate_and_an_untaxed_category_apart() -> None:
    event = concert(("Stalls", "30.00"), ("Books", "12.00"), ("Cloakroom", "2.00"))
    event.set_taxes([rule("VAT 20%", "20", True, "Stalls"),
                     rule("VAT 5.5%", "5.5", True, "Books")], by=ORGANIZER)
    event.hold(hold_id=uuid4(), user_id="ann", user_name="Ann",
               lines=[("Stalls", 2), ("Books", 3), ("Cloakroom", 1)], now=NOW)
    [_, held] = new_events(event)
    by_rate = {(s["name"], s["rate"]): (s["net"], s["tax"], s["gross"])
               for s in tax_summary(lines_of(held))}
    assert by_rate == {
        ("VAT 20%", Decimal(20)): (Decimal("50.00"), Decimal("10.00"), Decimal("60.00")),
        # 12.00 x 5.5 / 105.5 = 0.6256 a seat: 0.63, three seats 1.89
        ("VAT 5.5%", Decimal("5.5")): (Decimal("34.11"), Decimal("1.89"), Decimal("36.00")),
        (None, Decimal(0)): (Decimal("2.00"), Decimal(0), Decimal("2.00")),
    }


def test_a_voucher_price_is_taxed_and_its_list_price_made_gross_alike() -> None:
    event = concert(("General", "10.00"))
    event.set_taxes([rule("Sales tax", "10", False, "General")], by=ORGANIZER)
    event.create_vouchers(["HALF"], by=ORGANIZER, now=NOW, discount="percent",
                          value=Decimal(50), max_uses=5, valid_from=None, valid_until=None,
                          categories=None, label=None)
    event.hold(hold_id=uuid4(), user_id="ann", user_name="Ann", category="General",
               quantity=1, now=NOW, voucher="half")
    [*_, held] = new_events(event)
    [line] = lines_of(held)
    expected: Line = {"category": "General", "quantity": 1, "unit_price": Decimal("5.50"),
                      "list_price": Decimal("11.00"), "unit_tax": Decimal("0.50"),
                      "tax_name": "Sales tax", "tax_rate": Decimal(10)}
    assert line == expected


def test_a_booking_outright_and_an_offer_take_the_tax_too() -> None:
    event = concert(("General", "10.00"))
    event.set_taxes([rule("VAT", "20", True, "General")], by=ORGANIZER)
    event.book(booking_id=uuid4(), user_id="ann", user_name="Ann", category="General",
               quantity=2, ticket_codes=["t-1", "t-2"], now=NOW)
    [_, booked] = new_events(event)
    assert lines_of(booked)[0]["unit_tax"] == Decimal("1.67")


def test_orders_before_a_change_keep_their_tax() -> None:
    event = concert(("General", "10.00"))
    event.set_taxes([rule("VAT", "20", True, "General")], by=ORGANIZER)
    event.hold(hold_id=uuid4(), user_id="ann", user_name="Ann", category="General",
               quantity=1, now=NOW)
    event.set_taxes([rule("VAT", "10", True, "General")], by=ORGANIZER)
    [first] = event.holds.values()
    assert lines_of(first)[0]["unit_tax"] == Decimal("1.67")
    event.set_taxes([rule("VAT", "10", True, "General")], by=ORGANIZER)  # the same: nothing
    assert [type(e).__name__ for e in new_events(event)] == ["TaxesSet", "SeatsHeld",
                                                             "TaxesSet"]
    event.set_taxes([], by=ORGANIZER)
    event.hold(hold_id=uuid4(), user_id="bo", user_name="Bo", category="General",
               quantity=1, now=NOW)
    [*_, untaxed] = new_events(event)
    assert untaxed.lines is None and untaxed.unit_price == Decimal("10.00")


@pytest.mark.parametrize(("rules", "where"), [
    ([rule("VAT", "100.5", True, "General")], ("taxes", 0, "rate")),
    ([rule("VAT", "-1", True, "General")], ("taxes", 0, "rate")),
    ([rule("VAT", "7.1234", True, "General")], ("taxes", 0, "rate")),
    ([rule("", "7", True, "General")], ("taxes", 0, "name")),
    ([rule("VAT", "7", True, "General"), rule("VAT", "8", True)], ("taxes", 1, "name")),
    ([rule("A", "7", True, "General"), rule("B", "8", True, "General")],
     ("taxes", 1, "categories")),
])
def test_invalid_rules_are_refused_naming_their_field(rules: list[dict[str, Any]],
                                                      where: tuple[Any, ...]) -> None:
    event = concert(("General", "10.00"))
    refused(event, lambda: event.set_taxes(rules, by=ORGANIZER), "INVALID_TAX", DomainError)
    with pytest.raises(DomainError) as refusal:
        event.set_taxes(rules, by=ORGANIZER)
    assert refusal.value.where == where


def test_only_its_organizers_set_its_taxes() -> None:
    event = concert(("General", "10.00"))
    refused(event, lambda: event.set_taxes([], by=Actor(id="org-2", admin=False)),
            "NOT_EVENT_ORGANIZER", Forbidden)
