"""Orders across categories (`POST /api/events/{id}/holds` with `lines`): several categories
held at once, all or none, under one expiry and the per-user limit; confirmed or paid for, one
booking with each line's tickets; paid through Stripe for the lines' total, and a ticket
refunded at its own line's price."""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import stripe
from fastapi.testclient import TestClient

from commands.audit.verify import verify_store
from query_api.service.write_side import get_ledger
from tests.fixtures.api import Caller, assert_error
from tests.support.accounts import accounts_in_store
from tests.support.cards import card
from tests.support.stripe_notices import StripeNotices

GENERAL_AND_VIP = [{"name": "General", "price": "10.00", "capacity": 5},
                   {"name": "VIP", "price": "25.00", "capacity": 2}]


@pytest.fixture
def paying(stripe_on: StripeNotices, client: TestClient) -> TestClient:
    """The app under test, taking payments through localstripe (asked for before the client)."""
    return client


def order(client: TestClient, who: Caller, event_id: str, **lines: int) -> Any:
    body = {"lines": [{"category": name, "quantity": n} for name, n in lines.items()]}
    return client.post(f"/api/events/{event_id}/holds", json=body, headers=who.headers)


def seats(client: TestClient, event_id: str) -> dict[str, tuple[int, int, int]]:
    """Each category's (sold, held, available), as the read side tells it."""
    found = client.get(f"/api/events/{event_id}").json()["categories"]
    return {c["name"]: (c["sold"], c["held"], c["available"]) for c in found}


def test_an_order_across_categories_is_held_then_booked_as_one_booking(
    client: TestClient, make_event: Callable[..., dict[str, Any]], alice: Caller,
) -> None:
    event = make_event(categories=[{**c, "price": "0.00"} for c in GENERAL_AND_VIP])
    r = order(client, alice, event["id"], General=2, VIP=1)
    assert r.status_code == 201, r.text
    held = r.json()
    assert [(line["category"], line["quantity"]) for line in held["lines"]] == [
        ("General", 2), ("VIP", 1)]
    assert (held["quantity"], held["total"]) == (3, "0.00")
    assert seats(client, event["id"]) == {"General": (0, 2, 3), "VIP": (0, 1, 1)}

    r = client.post(f"/api/holds/{held['id']}/confirm", headers=alice.headers)
    assert r.status_code == 201, r.text
    booked = r.json()
    assert [t["category"] for t in booked["tickets"]] == ["General", "General", "VIP"]
    assert [(line["category"], line["quantity"]) for line in booked["lines"]] == [
        ("General", 2), ("VIP", 1)]
    read = client.get(f"/api/bookings/{booked['id']}", headers=alice.headers).json()
    assert (read["lines"], read["tickets"]) == (booked["lines"], booked["tickets"])
    assert seats(client, event["id"]) == {"General": (2, 0, 3), "VIP": (1, 0, 1)}

    # Its VIP ticket refunded: that category's seat comes back, and only it.
    vip = booked["tickets"][2]["code"]
    r = client.post(f"/api/bookings/{booked['id']}/refunds", json={"tickets": [vip]},
                    headers=alice.headers)
    assert r.status_code == 201, r.text
    assert seats(client, event["id"]) == {"General": (2, 0, 3), "VIP": (0, 0, 2)}
    r = client.post(f"/api/bookings/{booked['id']}/cancel", json={}, headers=alice.headers)
    assert r.status_code == 200, r.text
    assert seats(client, event["id"]) == {"General": (0, 0, 5), "VIP": (0, 0, 2)}
    assert verify_store(get_ledger())["ok"]


def test_an_order_is_held_whole_or_not_at_all(
    client: TestClient, make_event: Callable[..., dict[str, Any]], alice: Caller,
) -> None:
    event = make_event(categories=GENERAL_AND_VIP, max_tickets_per_user=4)
    assert_error(order(client, alice, event["id"], General=2, VIP=3), 400, "NOT_ENOUGH_SEATS")
    assert_error(order(client, alice, event["id"], General=3, VIP=2), 400,
                 "USER_LIMIT_EXCEEDED")
    assert_error(order(client, alice, event["id"], General=1, Balcony=1), 400,
                 "UNKNOWN_CATEGORY")
    twice = {"lines": [{"category": "VIP", "quantity": 1}, {"category": "VIP", "quantity": 1}]}
    assert_error(client.post(f"/api/events/{event['id']}/holds", json=twice,
                             headers=alice.headers), 422, "CATEGORY_NAMED_TWICE")
    both = {"category": "VIP", "lines": [{"category": "General", "quantity": 1}]}
    assert_error(client.post(f"/api/events/{event['id']}/holds", json=both,
                             headers=alice.headers), 422, "VALIDATION_ERROR")
    none: dict[str, list[Any]] = {"lines": []}
    assert_error(client.post(f"/api/events/{event['id']}/holds", json=none,
                             headers=alice.headers), 422, "VALIDATION_ERROR")
    assert seats(client, event["id"]) == {"General": (0, 0, 5), "VIP": (0, 0, 2)}


def test_an_order_refused_for_one_of_its_lines_names_that_line(
    client: TestClient, make_event: Callable[..., dict[str, Any]], alice: Caller, bob: Caller,
) -> None:
    event = make_event(categories=GENERAL_AND_VIP)
    assert order(client, bob, event["id"], VIP=2).status_code == 201
    body = assert_error(order(client, alice, event["id"], General=2, VIP=1), 400, "SOLD_OUT")
    assert body["detail"] == [{"loc": ["body", "lines", 1], "msg": body["message"],
                               "type": "SOLD_OUT"}]
    body = assert_error(order(client, alice, event["id"], General=6, VIP=1), 400,
                        "NOT_ENOUGH_SEATS")
    assert [d["loc"] for d in body["detail"]] == [["body", "lines", 0]]
    # One category asked in the single form: the request names no other part to point at.
    single = client.post(f"/api/events/{event['id']}/holds",
                         json={"category": "VIP", "quantity": 1}, headers=alice.headers)
    assert "detail" not in assert_error(single, 400, "SOLD_OUT")


def test_an_order_with_an_idempotency_key_is_held_once(
    client: TestClient, make_event: Callable[..., dict[str, Any]], alice: Caller,
) -> None:
    event = make_event(categories=GENERAL_AND_VIP)
    key = {"Idempotency-Key": "order-1"}
    body = {"lines": [{"category": "General", "quantity": 1}, {"category": "VIP", "quantity": 1}]}
    first = client.post(f"/api/events/{event['id']}/holds", json=body,
                        headers=alice.headers | key)
    again = client.post(f"/api/events/{event['id']}/holds", json=body,
                        headers=alice.headers | key)
    assert (first.status_code, again.status_code) == (201, 200), again.text
    assert again.json()["id"] == first.json()["id"]
    other = {"lines": [{"category": "General", "quantity": 2}, {"category": "VIP", "quantity": 1}]}
    assert_error(client.post(f"/api/events/{event['id']}/holds", json=other,
                             headers=alice.headers | key), 409, "IDEMPOTENCY_KEY_REUSED")


def test_an_order_is_paid_for_its_lines_total_and_a_ticket_refunded_at_its_own_price(
    paying: TestClient, provider: stripe.StripeClient,
    make_event: Callable[..., dict[str, Any]], alice: Caller, admin: Caller,
) -> None:
    event = make_event(categories=GENERAL_AND_VIP)
    held = order(paying, alice, event["id"], General=2, VIP=1).json()
    assert held["total"] == "45.00"
    assert_error(paying.post(f"/api/holds/{held['id']}/confirm", headers=alice.headers),
                 409, "PAYMENT_REQUIRED")

    r = paying.post(f"/api/holds/{held['id']}/payment",
                    json={"payment_method": card(provider)}, headers=alice.headers)
    assert r.status_code == 201, r.text
    paid = r.json()
    assert (paid["status"], paid["amount"]) == ("succeeded", "45.00")
    assert provider.v1.payment_intents.retrieve(paid["intent_id"]).amount == 4500
    booked = paying.get(f"/api/bookings/{paid['booking_id']}", headers=alice.headers).json()
    assert (booked["total_amount"], len(booked["tickets"])) == ("45.00", 3)

    vip = next(t["code"] for t in booked["tickets"] if t["category"] == "VIP")
    r = paying.post(f"/api/bookings/{booked['id']}/refunds",
                    json={"tickets": [vip], "reason": "Moved"}, headers=admin.headers)
    assert r.status_code == 201, r.text
    assert (r.json()["amount"], r.json()["status"]) == ("25.00", "refunded")
    refunds = provider.v1.refunds.list(params={"payment_intent": paid["intent_id"]})
    assert [x.amount for x in refunds.data] == [2500]

    r = paying.post(f"/api/bookings/{booked['id']}/cancel", json={"reason": "Gone"},
                    headers=admin.headers)
    assert r.status_code == 200, r.text
    refunds = provider.v1.refunds.list(params={"payment_intent": paid["intent_id"]})
    assert sorted(x.amount for x in refunds.data) == [2000, 2500]
    assert verify_store(get_ledger())["ok"]


def test_buyers_ordering_the_last_seats_of_two_categories_at_once_take_whole_orders_only(
    paying: TestClient, provider: stripe.StripeClient,
    make_event: Callable[..., dict[str, Any]],
) -> None:
    event = make_event(categories=[{"name": "General", "price": "10.00", "capacity": 12},
                                   {"name": "VIP", "price": "25.00", "capacity": 4}])
    buyers = [headers for _, headers in accounts_in_store(
        {f"Orderer{i}": "customer" for i in range(16)}).values()]
    body = {"lines": [{"category": "General", "quantity": 2}, {"category": "VIP", "quantity": 1}]}

    def ordered(headers: dict[str, str]) -> Any:
        return paying.post(f"/api/events/{event['id']}/holds", json=body, headers=headers)

    with ThreadPoolExecutor(8) as pool:
        asked = list(pool.map(ordered, buyers))
    won = [(r.json()["id"], buyers[i]) for i, r in enumerate(asked) if r.status_code == 201]
    # VIP runs out first: four whole orders, and no General seat held for a refused one.
    assert len(won) == 4, [r.status_code for r in asked]
    assert {r.json()["code"] for r in asked if r.status_code != 201} == {"SOLD_OUT"}
    assert seats(paying, event["id"]) == {"General": (0, 8, 4), "VIP": (0, 4, 0)}

    def pay_for(held: tuple[str, dict[str, str]]) -> Any:
        hold_id, headers = held
        return paying.post(f"/api/holds/{hold_id}/payment",
                           json={"payment_method": card(provider)}, headers=headers)

    with ThreadPoolExecutor(4) as pool:
        paid = list(pool.map(pay_for, won))
    assert [(r.status_code, r.json()["amount"]) for r in paid] == [(201, "45.00")] * 4
    assert seats(paying, event["id"]) == {"General": (8, 0, 4), "VIP": (4, 0, 0)}
    assert verify_store(get_ledger())["ok"]
