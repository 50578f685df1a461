"""Orders across categories on the Event aggregate: one hold of several categories' seats, all
or none, under one expiry; confirmed, one booking with each line's tickets; cancelled whole or
ticket by ticket, each category's seats back on sale and each ticket's own price given back.
"""

from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from commands.domain.claim import Claim, hold_claim
from commands.domain.errors import DomainError, RuleBroken
from commands.domain.event import Event
from commands.domain.lines import lines_of
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

_claims: dict[UUID, Claim] = {}


def concert(**overrides: Any) -> Event:
    """General at 10.00 (5 seats), VIP at 20.00 (3 seats)."""
    return given(new_event(categories=categories(General=5, VIP=3), **overrides))


def order(event: Event, lines: list[tuple[str, int]], user: str = "alice") -> UUID:
    hold_id = uuid4()
    event.hold(hold_id=hold_id, user_id=user, user_name=user.title(), lines=lines, now=NOW)
    _claims[hold_id] = hold_claim(event.pending_events[-1], event.id, "-")
    return hold_id


def confirm(event: Event, hold_id: UUID) -> UUID:
    quantity = event.holds[str(hold_id)]["quantity"]
    event.confirm_hold(_claims[hold_id], booking_id=uuid4(),
                       ticket_codes=[uuid4().hex for _ in range(quantity)], by=None, now=NOW)
    return remember(event.pending_events[-1], event.id)


def counts(event: Event) -> dict[str, tuple[int, int, int]]:
    """Each category's (sold, held, available)."""
    return {name: (c["sold"], event.held_by_category.get(name, 0), event.available(name))
            for name, c in event.categories.items()}


def test_an_order_holds_each_category_under_one_expiry() -> None:
    event = concert()
    order(event, [("General", 2), ("VIP", 1)])
    [held] = new_events(event)
    assert types([held]) == ["SeatsHeld"]
    assert held.category == "General" and held.quantity == 3
    assert held.lines == [{"category": "General", "quantity": 2, "unit_price": Decimal(10)},
                          {"category": "VIP", "quantity": 1, "unit_price": Decimal(20)}]
    assert counts(event) == {"General": (0, 2, 3), "VIP": (0, 1, 2)}
    assert event.held_by_user == {"alice": 3}


def test_one_category_is_recorded_as_before_without_lines() -> None:
    event = concert()
    order(event, [("VIP", 2)])
    [held] = new_events(event)
    assert held.lines is None and (held.category, held.quantity) == ("VIP", 2)
    assert held.unit_price == Decimal(20)


def test_confirmed_it_is_one_booking_with_each_lines_tickets() -> None:
    event = new_event(categories=categories(General=5, VIP=3))  # its Created kept to replay
    booking_id = confirm(event, order(event, [("General", 2), ("VIP", 1)]))
    assert counts(event) == {"General": (2, 0, 3), "VIP": (1, 0, 2)}
    booking = ref(booking_id)
    assert [line["category"] for line in lines_of(booking)] == ["General", "VIP"]
    assert booking.refund == Decimal(40)
    record = event.booking(booking_id)
    assert record["quantity"] == 3 and len(record["tickets"]) == 3
    # Replaying the stream rebuilds the same counts.
    assert counts(replay(event.collect_events())) == counts(event)


def test_a_ticket_refund_gives_back_its_own_lines_price_and_seat() -> None:
    event = concert()
    booking_id = confirm(event, order(event, [("General", 2), ("VIP", 1)]))
    booking = ref(booking_id)
    vip_ticket = list(booking.tickets)[2]
    new_events(event)
    event.cancel_tickets(booking, [vip_ticket], now=NOW)
    [cancelled] = new_events(event)
    assert cancelled.refund == Decimal(20)
    assert cancelled.lines == [{"category": "VIP", "quantity": 1, "unit_price": Decimal(20)}]
    assert counts(event) == {"General": (2, 0, 3), "VIP": (0, 0, 3)}
    assert booking.refund == Decimal(20)  # the two General seats left

    event.cancel_booking(booking, now=NOW)
    [whole] = new_events(event)
    assert whole.refund == Decimal(20) and whole.quantity == 2
    assert [(line["category"], line["quantity"]) for line in whole.lines] == [("General", 2)]
    assert counts(event) == {"General": (0, 0, 5), "VIP": (0, 0, 3)}


def test_a_released_order_gives_every_lines_seats_back() -> None:
    event = concert()
    hold_id = order(event, [("General", 2), ("VIP", 3)])
    event.release_hold(_claims[hold_id], by=None, now=NOW)
    released = new_events(event)[-1]
    assert len(released.lines) == 2
    assert counts(event) == {"General": (0, 0, 5), "VIP": (0, 0, 3)}
    assert event.held_by_user == {"alice": 0}


@pytest.mark.parametrize(("lines", "code"), [
    ([("General", 2), ("VIP", 4)], "NOT_ENOUGH_SEATS"),
    ([("General", 1), ("General", 1)], "CATEGORY_NAMED_TWICE"),
    ([("General", 1), ("Balcony", 1)], "UNKNOWN_CATEGORY"),
    ([("General", 1), ("VIP", 0)], "INVALID_QUANTITY"),
    ([], "INVALID_QUANTITY"),
])
def test_an_order_one_line_of_which_is_refused_holds_nothing(
        lines: list[tuple[str, int]], code: str) -> None:
    event = concert()
    kind = DomainError if code == "CATEGORY_NAMED_TWICE" else RuleBroken
    refused(event, lambda: order(event, lines), code, kind)
    assert event.holds == {}
    assert counts(event) == {"General": (0, 0, 5), "VIP": (0, 0, 3)}


def test_the_per_user_limit_counts_every_lines_seats() -> None:
    event = given(new_event(categories=categories(General=5, VIP=3), max_tickets_per_user=3))
    refused(event, lambda: order(event, [("General", 2), ("VIP", 2)]), "USER_LIMIT_EXCEEDED")
    order(event, [("General", 2), ("VIP", 1)])
    assert event.held_by_user == {"alice": 3}
