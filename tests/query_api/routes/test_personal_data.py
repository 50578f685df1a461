"""A person's data, on both backends: everything held about a buyer (two bookings, one paid and
partly refunded, a hold, an invoice, the messages sent) downloads as one JSON file,
by themself or by an admin answering a request received by mail; nobody else gets it."""

import json
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.fixtures.api import Caller, assert_error
from tests.support.waiting import eventually

SELLER = {"name": "Jazz Nights GmbH", "address": "Torstraße 1\n10119 Berlin", "country": "DE",
          "prefix": "JN-"}
BUYER = {"name": "Alice Martin", "company": "ACME SARL", "address": "1 rue X\n75001 Paris",
         "country": "FR"}


def test_a_buyer_downloads_everything_held_about_them_and_only_they_and_admins_may(
    client: TestClient, organizer: Callable[[str], Caller], alice: Caller, bob: Caller,
    admin: Caller, auditor: Caller,
) -> None:
    seller = organizer("Olga")
    client.put("/api/organizers/me/seller", json=SELLER, headers=seller.headers)
    event = client.post("/api/events", headers=seller.headers, json={
        "name": "Free Jazz", "starts_at": "2031-05-01T19:00:00Z", "total_seats": 10,
        "price": "0.00"}).json()
    booked = client.post(f"/api/events/{event['id']}/book", json={"quantity": 2},
                         headers=alice.headers).json()
    client.post(f"/api/bookings/{booked['id']}/invoice", json=BUYER, headers=alice.headers)
    held = client.post(f"/api/events/{event['id']}/holds", json={"quantity": 1},
                       headers=alice.headers).json()
    client.post(f"/api/events/{event['id']}/book", json={"quantity": 1}, headers=bob.headers)
    # A second booking, paid at the door, one of its two tickets refunded.
    paid_event = client.post("/api/events", headers=seller.headers, json={
        "name": "Paid Jazz", "starts_at": "2031-05-02T19:00:00Z", "total_seats": 10,
        "price": "30.00"}).json()
    paid = client.post(f"/api/events/{paid_event['id']}/book", json={"quantity": 2},
                       headers=alice.headers).json()
    assert client.post(f"/api/bookings/{paid['id']}/payment", json={"method": "door"},
                       headers=admin.headers).status_code == 201
    refund = client.post(f"/api/bookings/{paid['id']}/refunds", headers=admin.headers, json={
        "tickets": [paid["tickets"][0]["code"]], "reason": "Sold twice"})
    assert refund.status_code == 201, refund.text
    assert client.post(f"/api/bookings/{paid['id']}/payment/refund", headers=admin.headers,
                       json={"reference": "Cash back"}).status_code == 200
    client.post(f"/api/events/{paid_event['id']}/book", json={"quantity": 1}, headers=bob.headers)

    def mine() -> dict[str, Any]:
        r = client.get("/api/users/me/data", headers=alice.headers)
        assert r.status_code == 200, r.text
        assert r.headers["content-disposition"].startswith("attachment;")
        return dict(r.json())

    data = eventually(lambda: (found := mine())["messages"] and found)
    assert data["account"]["email"] == alice.email
    assert [b["id"] for b in data["bookings"]] == [booked["id"], paid["id"]]  # not bob's
    assert len(data["bookings"][0]["tickets"]) == 2
    [payment] = [p for p in data["payments"] if p["booking_id"] == paid["id"]]
    assert (payment["amount"], payment["refunded"]) == ("60.00", "30.00"), payment
    assert [h["id"] for h in data["holds"]] == [held["id"]]
    assert [i["number"] for i in data["invoices"]] == ["JN-00001"]
    assert data["invoices"][0]["buyer"]["company"] == "ACME SARL"
    assert {m["kind"] for m in data["messages"]} >= {"booking_confirmed"}
    assert all(m["recipient_email"] == alice.email for m in data["messages"])
    assert bob.email not in json.dumps(data) and str(bob.id) not in json.dumps(data)

    for who in (bob, auditor):
        assert_error(client.get(f"/api/users/{alice.id}/data", headers=who.headers), 403)
    assert client.get(f"/api/users/{alice.id}/data", headers=admin.headers).json()[
        "account"]["id"] == str(alice.id)
    assert_error(client.get("/api/users/00000000-0000-4000-8000-000000000000/data",
                            headers=admin.headers), 404, "USER_NOT_FOUND")
    assert client.get("/api/users/me/data").status_code == 401
