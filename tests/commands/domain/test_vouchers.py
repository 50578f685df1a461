"""Vouchers on the Event aggregate: made by its organizers, redeemed with the seats under the
event's lock, never used more than allowed; a hold released or expired gives its uses back,
a confirmed one keeps them; the price before and after told on each line."""

from datetime import timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from commands.domain.actor import Actor
from commands.domain.claim import Claim, hold_claim
from commands.domain.errors import Conflict, DomainError, Forbidden
from commands.domain.event import Event
from commands.domain.lines import lines_of, list_total_of, total_of
from commands.domain.vouchers import price_with
from tests.commands.given import (
    NOW,
    categories,
    given,
    new_event,
    new_events,
    ref,
    refused,
    remember,
    replay,
    types,
)

ORGANIZER = Actor(id="org-1", admin=False)
_claims: dict[UUID, Claim] = {}


def concert(**overrides: Any) -> Event:
    """General at 10.00 (5 seats), VIP at 20.00 (3 seats), run by org-1."""
    return given(new_event(categories=categories(General=5, VIP=3), organizer_id="org-1",
                           organizer_name="Org", **overrides))


def make(event: Event, *codes: str, drain: bool = True, **terms: Any) -> list[str]:
    fields: dict[str, Any] = {"discount": "percent", "value": Decimal(50), "max_uses": 10,
                              "valid_from": None, "valid_until": None, "categories": None,
                              "label": None}
    made = event.create_vouchers(list(codes) or ["SPRING"], by=ORGANIZER, now=NOW,
                                 **(fields | terms))
    if drain:
        new_events(event)
    return made


def hold(event: Event, voucher: str | None, user: str = "alice", quantity: int = 1,
         category: str | None = "General", lines: list[tuple[str, int]] | None = None,
         now: Any = NOW) -> UUID:
    hold_id = uuid4()
    event.hold(hold_id=hold_id, user_id=user, user_name=user.title(),
               category=None if lines else category, quantity=quantity, lines=lines,
               now=now, voucher=voucher)
    _claims[hold_id] = hold_claim(event.pending_events[-1], event.id, "-")
    return hold_id


def confirm(event: Event, hold_id: UUID) -> UUID:
    quantity = event.holds[str(hold_id)]["quantity"]
    event.confirm_hold(_claims[hold_id], booking_id=uuid4(),
                       ticket_codes=[uuid4().hex for _ in range(quantity)], by=None, now=NOW)
    return remember(event.pending_events[-1], event.id)


@pytest.mark.parametrize(("discount", "value", "price", "expected"), [
    ("percent", "50", "10.00", "5.00"),
    ("percent", "33.33", "10.00", "6.67"),  # 6.667 rounded half up
    ("percent", "12.5", "0.20", "0.18"),  # 0.175: the half rounds up
    ("percent", "100", "20.00", "0.00"),
    ("amount_off", "2.50", "10.00", "7.50"),
    ("set_price", "0", "20.00", "0"),
    ("set_price", "7.00", "20.00", "7.00"),
])
def test_a_voucher_prices_a_seat_in_whole_cents(discount: str, value: str, price: str,
                                                 expected: str) -> None:
    terms: Any = {"discount": discount, "value": Decimal(value)}
    assert price_with(terms, Decimal(price), "eur") == Decimal(expected)


def test_a_voucher_made_is_recorded_with_its_codes_upper_cased() -> None:
    event = concert()
    event.create_vouchers([" spring-26 ", "Press_1"], by=ORGANIZER, now=NOW,
                          discount="amount_off", value=Decimal("5.00"), max_uses=3,
                          valid_from=None, valid_until=NOW + timedelta(days=1),
                          categories=["VIP"], label="press", )
    [made] = new_events(event)
    assert types([made]) == ["VouchersCreated"]
    assert made.codes == ["SPRING-26", "PRESS_1"] and made.categories == ["VIP"]
    assert made.by == "org-1" and made.label == "press"


def test_a_held_seat_takes_the_voucher_price_and_tells_the_list_price() -> None:
    event = concert()
    make(event)
    hold(event, "spring", quantity=2)
    [held] = new_events(event)
    assert held.voucher == "SPRING" and held.unit_price == Decimal("5.00")
    assert held.lines == [{"category": "General", "quantity": 2,
                           "unit_price": Decimal("5.00"), "list_price": Decimal(10)}]
    assert total_of(lines_of(held)) == Decimal("10.00")
    assert list_total_of(lines_of(held)) == Decimal("20")
    assert event.voucher_uses == {"SPRING": 2}


def test_across_categories_only_the_lines_it_applies_to_are_discounted() -> None:
    event = concert()
    make(event, categories=["VIP"], value=Decimal(25))
    hold(event, "SPRING", lines=[("General", 1), ("VIP", 2)])
    [held] = new_events(event)
    assert [line.get("list_price") for line in held.lines] == [None, Decimal(20)]
    assert total_of(lines_of(held)) == Decimal("40.00")  # 10 + 2 x 15.00
    assert event.voucher_uses == {"SPRING": 2}


def test_uses_never_exceed_the_voucher_and_the_refusal_says_how_many_are_left() -> None:
    event = concert()
    make(event, max_uses=3)
    hold(event, "SPRING", quantity=2)
    new_events(event)
    refused(event, lambda: hold(event, "SPRING", user="bob", quantity=2),
            "VOUCHER_EXHAUSTED", DomainError)
    try:
        hold(event, "SPRING", user="bob", quantity=2)
    except DomainError as refusal:
        assert refusal.facts == {"uses_left": 1} and refusal.where == ("voucher",)
    hold(event, "SPRING", user="bob", quantity=1)
    assert event.voucher_uses == {"SPRING": 3}


def test_a_released_or_expired_hold_gives_its_uses_back_a_confirmed_one_keeps_them() -> None:
    event = new_event(categories=categories(General=5, VIP=3), organizer_id="org-1",
                      organizer_name="Org")
    make(event, max_uses=2, drain=False)
    released = hold(event, "SPRING")
    hold(event, "SPRING", user="bob")  # to expire
    assert event.voucher_uses == {"SPRING": 2}
    event.release_hold(_claims[released], by=None, now=NOW)
    assert event.voucher_uses == {"SPRING": 1}
    event.expire_holds(now=NOW + timedelta(hours=1))
    assert event.voucher_uses == {"SPRING": 0}
    kept = hold(event, "SPRING", user="carol", now=NOW + timedelta(hours=1))
    event.confirm_hold(_claims[kept], booking_id=uuid4(), ticket_codes=["c-1"], by=None,
                       now=NOW + timedelta(hours=1))
    assert event.voucher_uses == {"SPRING": 1}
    history = new_events(event)
    assert history[-1].voucher == "SPRING" and history[-1].unit_price == Decimal("5.00")
    assert replay(history).voucher_uses == {"SPRING": 1}


def test_a_booking_outright_uses_the_voucher_too() -> None:
    event = concert()
    make(event, discount="set_price", value=Decimal(0), max_uses=1)
    event.book(booking_id=uuid4(), user_id="alice", user_name="Alice", category="VIP",
               quantity=1, ticket_codes=["v-1"], now=NOW, pay_first=True, voucher="spring")
    [booked] = new_events(event)
    assert booked.unit_price == Decimal(0) and booked.settlement is None
    assert booked.lines[0]["list_price"] == Decimal(20)
    assert event.voucher_uses == {"SPRING": 1}
    refused(event, lambda: event.book(booking_id=uuid4(), user_id="bob", user_name="Bob",
                                      category="VIP", quantity=1, ticket_codes=["v-2"],
                                      now=NOW, voucher="SPRING"),
            "VOUCHER_EXHAUSTED", DomainError)


def test_a_free_hold_by_voucher_is_confirmed_without_a_payment() -> None:
    event = concert()
    make(event, value=Decimal(100))
    booking = confirm(event, hold(event, "SPRING", category="VIP"))
    assert ref(booking).status == "confirmed"


@pytest.mark.parametrize(("change", "code"), [
    ({"valid_from": NOW + timedelta(hours=1)}, "VOUCHER_NOT_YET_VALID"),
    ({"valid_until": NOW + timedelta(seconds=1)}, "VOUCHER_EXPIRED"),
    ({"categories": ["VIP"]}, "VOUCHER_WRONG_CATEGORY"),
])
def test_a_voucher_outside_its_terms_is_refused(change: dict[str, Any], code: str) -> None:
    event = concert()
    make(event, **change)
    later = NOW + timedelta(seconds=5) if code == "VOUCHER_EXPIRED" else NOW
    refused(event, lambda: hold(event, "SPRING", now=later), code, DomainError)


def test_an_unknown_or_disabled_voucher_is_refused_and_disabling_is_once() -> None:
    event = concert()
    make(event)
    refused(event, lambda: hold(event, "AUTUMN"), "VOUCHER_NOT_FOUND", DomainError)
    event.disable_voucher("spring", by=ORGANIZER, now=NOW)
    event.disable_voucher("SPRING", by=ORGANIZER, now=NOW)
    assert types(new_events(event)) == ["VoucherDisabled"]
    refused(event, lambda: hold(event, "SPRING"), "VOUCHER_DISABLED", DomainError)


@pytest.mark.parametrize(("terms", "field"), [
    ({"discount": "amount_off", "value": Decimal("10.01")}, "value"),  # General costs 10
    ({"discount": "percent", "value": Decimal(101)}, "value"),
    ({"discount": "percent", "value": Decimal(0)}, "value"),
    ({"discount": "set_price", "value": Decimal("-1")}, "value"),
    ({"discount": "set_price", "value": Decimal("1.005")}, "value"),
    ({"discount": "half", "value": Decimal(1)}, "discount"),
    ({"max_uses": 0}, "max_uses"),
    ({"valid_until": NOW}, "valid_until"),
    ({"valid_from": NOW + timedelta(days=2), "valid_until": NOW + timedelta(days=1)},
     "valid_until"),
])
def test_invalid_terms_are_refused_naming_their_field(terms: dict[str, Any],
                                                      field: str) -> None:
    event = concert()
    refused(event, lambda: make(event, **terms), "INVALID_VOUCHER", DomainError)
    with pytest.raises(DomainError) as refusal:
        make(event, **terms)
    assert refusal.value.where == (field,)


def test_codes_are_unique_on_an_event_and_well_formed() -> None:
    event = concert()
    make(event, "SPRING")
    refused(event, lambda: make(event, "NEW1", "spring"), "VOUCHER_CODE_TAKEN", Conflict)
    refused(event, lambda: make(event, "no spaces"), "INVALID_VOUCHER", DomainError)
    refused(event, lambda: make(event, "TWIN", "twin"), "VOUCHER_CODE_TAKEN", Conflict)


def test_only_its_organizers_make_or_disable_vouchers() -> None:
    event = concert()
    stranger = Actor(id="org-2", admin=False)
    refused(event, lambda: event.create_vouchers(
        ["SPRING"], by=stranger, now=NOW, discount="percent", value=Decimal(10), max_uses=1,
        valid_from=None, valid_until=None, categories=None, label=None),
        "NOT_EVENT_ORGANIZER", Forbidden)
    make(event)
    refused(event, lambda: event.disable_voucher("SPRING", by=stranger, now=NOW),
            "NOT_EVENT_ORGANIZER", Forbidden)


def test_a_snapshot_keeps_the_vouchers_and_their_uses() -> None:
    event = concert()
    make(event, max_uses=2)
    hold(event, "SPRING")
    new_events(event)
    again: Any = Event.Snapshot.take(event).mutate(None)
    assert again.vouchers == event.vouchers and again.voucher_uses == {"SPRING": 1}
    twin = event.fork()
    hold(twin, "SPRING", user="bob")
    assert event.voucher_uses == {"SPRING": 1} and twin.voucher_uses == {"SPRING": 2}


def hidden_concert() -> Event:
    """General on sale to anyone; Backstage (3 seats at 20.00) hidden: a voucher unlocks it."""
    cats = categories(General=5, Backstage=3)
    cats[1]["hidden"] = True
    return given(new_event(categories=cats, organizer_id="org-1", organizer_name="Org"))


def test_a_hidden_category_is_on_sale_only_with_a_voucher_naming_it() -> None:
    event = hidden_concert()
    assert event.categories["Backstage"].get("hidden") and "hidden" not in event.categories[
        "General"]
    refused(event, lambda: hold(event, None, category="Backstage"), "UNKNOWN_CATEGORY")
    refused(event, lambda: event.book(booking_id=uuid4(), user_id="bob", user_name="Bob",
                                      category="Backstage", quantity=1, ticket_codes=["t1"],
                                      now=NOW), "UNKNOWN_CATEGORY")
    make(event, "ANYTHING")  # every category: it names none, so it unlocks no hidden one
    refused(event, lambda: hold(event, "anything", category="Backstage"), "UNKNOWN_CATEGORY")
    make(event, "CREW", categories=["Backstage"], discount="percent", value=Decimal(100))
    refused(event, lambda: event.join_waitlist(
        place_id=uuid4(), user_id="bob", user_name="Bob", category="Backstage", quantity=1,
        now=NOW), "UNKNOWN_CATEGORY")

    held = hold(event, "crew", category="Backstage", quantity=2)
    [line] = event.holds[str(held)]["lines"]
    assert (line["category"], line["unit_price"], line["list_price"]) == (
        "Backstage", Decimal(0), Decimal(20))
    hold(event, None, user="bob", category="General")  # the rest sells as ever
    event.set_category("Backstage", Decimal(20), 3, hidden=False)  # made public
    hold(event, None, user="cy", category="Backstage")
    assert "hidden" not in event.categories["Backstage"]


def test_hiding_a_category_is_a_change_and_a_disabled_voucher_no_longer_unlocks_it() -> None:
    event = hidden_concert()
    make(event, "CREW", categories=["Backstage"])
    event.set_category("Backstage", Decimal(20), 3, hidden=True)
    assert new_events(event) == []  # hidden already: nothing to record
    event.set_category("General", Decimal(10), 5, hidden=True)
    assert types(new_events(event)) == ["CategoryChanged"]
    event.disable_voucher("CREW", by=ORGANIZER, now=NOW)
    new_events(event)
    refused(event, lambda: hold(event, "crew", category="Backstage"), "UNKNOWN_CATEGORY")


def test_a_voucher_reserving_seats_keeps_them_off_general_sale_for_its_holders() -> None:
    event = concert()  # General: 5 seats
    refused(event, lambda: make(event, "BLOCK", reserve=True, max_uses=2),
            "INVALID_VOUCHER", DomainError)  # no category named
    refused(event, lambda: make(event, "BLOCK", reserve=True, categories=["General"],
                                max_uses=6), "NOT_ENOUGH_SEATS")
    refused(event, lambda: make(event, "BLOCK", reserve=True, categories=["General"],
                                max_uses=2, valid_until=NOW + timedelta(days=1)),
            "INVALID_VOUCHER", DomainError)
    make(event, "BLOCK", reserve=True, categories=["General"], max_uses=2)
    assert event.available("General") == 3
    refused(event, lambda: hold(event, None, quantity=4), "NOT_ENOUGH_SEATS")
    hold(event, None, user="bob", quantity=3)  # the rest on sale to anyone
    assert event.available("General") == 0
    held = hold(event, "block", user="carol", quantity=2)  # the holder takes the reserved two
    assert event.available("General") == 0 and event.voucher_uses == {"BLOCK": 2}
    event.release_hold(_claims[held], by=None, now=NOW)  # reserved for its holders again
    released = new_events(event)[-1]
    assert (type(released).__name__, released.voucher) == ("HoldReleased", "BLOCK")
    assert event.available("General") == 0 and event.voucher_uses == {"BLOCK": 0}
    refused(event, lambda: event.set_category("General", Decimal(10), 4), "CAPACITY_BELOW_SOLD")
    event.disable_voucher("BLOCK", by=ORGANIZER, now=NOW)  # its seats back on sale
    assert event.available("General") == 2
