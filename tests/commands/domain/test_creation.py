"""Creating an event: every creation rule, and what the Created event holds."""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from commands.domain.errors import RuleBroken
from commands.domain.event import Event
from tests.commands.given import NOW, STARTS, categories, new_event, new_events


def test_a_new_event_is_active_with_nothing_sold() -> None:
    event = new_event(name="  Concert  ", categories=categories(Stalls=4, Balcony=6),
                      max_tickets_per_user=3)

    [created] = new_events(event)
    assert isinstance(created, Event.Created)
    assert created.name == "Concert"
    assert created.currency == "EUR"
    assert created.created_at == NOW
    assert [c["name"] for c in created.categories] == ["Stalls", "Balcony"]
    assert event.status == "active"
    assert event.max_tickets_per_user == 3
    assert event.categories == {
        "Stalls": {"price": Decimal(10), "capacity": 4, "sold": 0},
        "Balcony": {"price": Decimal(20), "capacity": 6, "sold": 0},
    }
    assert (event.total_seats, event.available_seats) == (10, 10)


def test_a_free_event_without_an_end_is_fine() -> None:
    event = new_event(ends_at=None, categories=[{"name": "Free", "price": "0", "capacity": 1}])

    assert event.categories["Free"]["price"] == 0


def refused(code: str, **overrides: Any) -> None:
    with pytest.raises(RuleBroken) as refusal:
        new_event(**overrides)
    assert refusal.value.code == code


@pytest.mark.parametrize("starts_at", [NOW, NOW - timedelta(days=1)])
def test_an_event_must_start_in_the_future(starts_at: datetime) -> None:
    refused("STARTS_IN_PAST", starts_at=starts_at, ends_at=None)


@pytest.mark.parametrize("ends_at", [STARTS, STARTS - timedelta(minutes=1)])
def test_an_event_must_end_after_it_starts(ends_at: datetime) -> None:
    refused("INVALID_EVENT", ends_at=ends_at)


def test_a_naive_start_is_refused() -> None:
    refused("INVALID_EVENT", starts_at=STARTS.replace(tzinfo=None), ends_at=None)


def test_a_naive_end_is_refused() -> None:
    refused("INVALID_EVENT", ends_at=(STARTS + timedelta(hours=1)).replace(tzinfo=None))


@pytest.mark.parametrize("name", ["", "   "])
def test_an_event_needs_a_name(name: str) -> None:
    refused("INVALID_EVENT", name=name)


def test_an_event_needs_a_category() -> None:
    refused("INVALID_EVENT", categories=[])


def test_category_names_must_be_unique() -> None:
    refused("INVALID_CATEGORY", categories=[
        {"name": "General", "price": "1", "capacity": 1},
        {"name": "General", "price": "2", "capacity": 2},
    ])


def test_a_category_needs_a_name() -> None:
    refused("INVALID_CATEGORY", categories=[{"name": " ", "price": "1", "capacity": 1}])


@pytest.mark.parametrize("price", ["-0.01", "10.001"])
def test_a_price_is_non_negative_with_at_most_two_decimals(price: str) -> None:
    refused("INVALID_PRICE", categories=[{"name": "General", "price": price, "capacity": 1}])


@pytest.mark.parametrize("capacity", [0, -5])
def test_a_category_needs_at_least_one_seat(capacity: int) -> None:
    refused("INVALID_CAPACITY",
            categories=[{"name": "General", "price": "1", "capacity": capacity}])


@pytest.mark.parametrize("currency", ["EU", "EURO", "E1R", ""])
def test_currency_is_a_three_letter_code(currency: str) -> None:
    refused("INVALID_EVENT", currency=currency)


@pytest.mark.parametrize("limit", [0, -1])
def test_a_per_user_limit_is_at_least_one(limit: int) -> None:
    refused("INVALID_EVENT", max_tickets_per_user=limit)
