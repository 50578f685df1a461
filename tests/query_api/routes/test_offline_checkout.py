"""Paying a hold by bank transfer, through the payment provider port like a card: the buyer
picks the event's offline method at checkout, the hold is booked at once with its price owed and
a reference to quote, the organizers mark the money received, a cancellation's refund is given
back by hand; and an event that refuses a method refuses it. Through HTTP, with no card provider,
and beside localstripe."""

from collections.abc import Callable
from typing import Any

import stripe
from fastapi.testclient import TestClient

from commands.audit.verify import verify_store
from query_api.service.write_side import get_ledger
from tests.fixtures.api import Caller, assert_error
from tests.support.cards import card
from tests.support.stripe_notices import StripeNotices


def hold(client: TestClient, who: Caller, event_id: str, quantity: int = 2) -> dict[str, Any]:
    r = client.post(f"/api/events/{event_id}/holds", json={"quantity": quantity},
                    headers=who.headers)
    assert r.status_code == 201, r.text
    return dict(r.json())


def pay(client: TestClient, who: Caller, hold_id: str, **body: Any) -> Any:
    return client.post(f"/api/holds/{hold_id}/payment", json=body, headers=who.headers)


def booking(client: TestClient, who: Caller, booking_id: str, position: int) -> Any:
    found = client.get(f"/api/bookings/{booking_id}", params={"min_position": position},
                       headers=who.headers)
    assert found.status_code == 200, found.text
    return found.json()


def test_a_hold_paid_by_transfer_is_booked_owed_marked_received_and_refunded_by_hand(
    client: TestClient, make_event: Callable[..., dict[str, Any]], alice: Caller,
    admin: Caller,
) -> None:
    methods = client.get("/api/payments/methods")
    assert methods.status_code == 200
    assert methods.json() == {"items": [{"name": "offline", "label": "Bank transfer",
                                         "by_default": True, "books_seats_first": True}]}
    event = make_event(price="25.00", total_seats=6, payment_methods=["offline"])
    assert event["payment_methods"] == ["offline"]
    held = hold(client, alice, event["id"])

    r = pay(client, alice, held["id"], method="offline")
    assert r.status_code == 201, r.text
    paid = r.json()
    assert (paid["status"], paid["amount"], paid["provider"]) == ("awaiting_payment", "50.00",
                                                                 "offline")
    assert paid["reference"].startswith("BT-") and paid["booking_id"]
    again = pay(client, alice, held["id"], method="offline")
    assert again.status_code == 200 and again.json()["reference"] == paid["reference"]

    owed = booking(client, alice, paid["booking_id"], paid["position"])
    assert owed["status"] == "confirmed" and len(owed["tickets"]) == 2
    assert (owed["payment"]["status"], owed["payment"]["reference"]) == (
        "awaiting_payment", paid["reference"])
    listed = client.get(f"/api/events/{event['id']}/bookings", headers=admin.headers,
                        params={"min_position": paid["position"]}).json()["items"]
    assert [b["payment"]["status"] for b in listed] == ["awaiting_payment"]

    r = client.post(f"/api/bookings/{paid['booking_id']}/payment",
                    json={"method": "bank_transfer", "reference": paid["reference"]},
                    headers=admin.headers)
    assert r.status_code == 201, r.text
    assert (r.json()["status"], r.json()["amount"]) == ("succeeded", "50.00")
    received = booking(client, alice, paid["booking_id"], r.json()["position"])
    assert received["payment"]["status"] == "succeeded"
    assert verify_store(get_ledger())["ok"]

    r = client.delete(f"/api/bookings/{paid['booking_id']}", headers=alice.headers)
    assert r.status_code == 200, r.text
    cancelled = booking(client, alice, paid["booking_id"], r.json()["position"])
    assert cancelled["payment"]["status"] == "refund_pending"  # owed back, by hand
    r = client.post(f"/api/bookings/{paid['booking_id']}/payment/refund",
                    json={"reference": "Back by transfer"}, headers=admin.headers)
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["refunded"]) == ("refunded", "50.00")
    assert verify_store(get_ledger())["ok"]


def test_an_events_methods_are_checked_when_chosen_and_when_paying(
    client: TestClient, make_event: Callable[..., dict[str, Any]], alice: Caller,
    admin: Caller,
) -> None:
    event = make_event(price="10.00", total_seats=4)
    assert event["payment_methods"] is None  # never chose: every method the server has
    for methods, code in (([], "NO_PAYMENT_METHOD"), (["stripe"], "UNKNOWN_PAYMENT_METHOD")):
        r = client.put(f"/api/events/{event['id']}", json={"payment_methods": methods},
                       headers=admin.headers)
        assert_error(r, 422, code)
    held = hold(client, alice, event["id"], quantity=1)
    assert_error(pay(client, alice, held["id"], method="cheque"), 422, "UNKNOWN_PAYMENT_METHOD")
    assert_error(pay(client, alice, held["id"], payment_method="pm_card_visa"), 409,
                 "PAYMENTS_OFF")  # no card provider: as before methods were named


def test_an_event_that_takes_cards_only_refuses_a_transfer(
    stripe_on: StripeNotices, client: TestClient, provider: stripe.StripeClient,
    make_event: Callable[..., dict[str, Any]], alice: Caller, admin: Caller,
) -> None:
    methods = client.get("/api/payments/methods").json()["items"]
    assert [(m["name"], m["by_default"]) for m in methods] == [("stripe", True),
                                                              ("offline", False)]
    event = make_event(price="12.00", total_seats=4)
    r = client.put(f"/api/events/{event['id']}", json={"payment_methods": ["stripe"]},
                   headers=admin.headers)
    assert r.status_code == 200, r.text
    shown = client.get(f"/api/events/{event['id']}",
                       params={"min_position": r.json()["position"]}).json()
    assert shown["payment_methods"] == ["stripe"]
    held = hold(client, alice, event["id"], quantity=1)

    assert_error(pay(client, alice, held["id"], method="offline"), 409,
                 "PAYMENT_METHOD_NOT_ACCEPTED")
    assert client.get(f"/api/holds/{held['id']}", headers=alice.headers).json()["status"] \
        == "active"  # nothing booked
    r = pay(client, alice, held["id"], method="stripe", payment_method=card(provider))
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "succeeded"

    never_chose = make_event(price="12.00", total_seats=4)  # the default: the card alone
    assert_error(pay(client, alice, hold(client, alice, never_chose["id"], quantity=1)["id"],
                     method="offline"), 409, "PAYMENT_METHOD_NOT_ACCEPTED")
    both = make_event(price="12.00", total_seats=4, payment_methods=["stripe", "offline"])
    r = pay(client, alice, hold(client, alice, both["id"], quantity=1)["id"], method="offline")
    assert (r.status_code, r.json()["status"]) == (201, "awaiting_payment")
    assert verify_store(get_ledger())["ok"]
