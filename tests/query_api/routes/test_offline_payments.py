"""Paid at the door or by bank transfer: with no payment provider, an event's organizer marks a
booking paid (`POST /api/bookings/{id}/payment`), and marks the refund its cancellation asks for
given back (`POST /api/bookings/{id}/payment/refund`); each is recorded as its payment's events,
which verify holds against the booking."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from commands.audit.verify import verify_store
from query_api.service.write_side import get_ledger
from tests.fixtures.api import Caller, assert_error
from tests.support.waiting import eventually


def mark_paid(client: TestClient, who: Caller, booking_id: str, **body: Any) -> Any:
    return client.post(f"/api/bookings/{booking_id}/payment",
                       json={"method": "bank_transfer"} | body, headers=who.headers)


def mark_refunded(client: TestClient, who: Caller, booking_id: str) -> Any:
    return client.post(f"/api/bookings/{booking_id}/payment/refund",
                       json={"reference": "Cash back at the desk"}, headers=who.headers)


def payment_of(client: TestClient, who: Caller, booking_id: str, position: int) -> Any:
    found = client.get(f"/api/bookings/{booking_id}", params={"min_position": position},
                       headers=who.headers)
    assert found.status_code == 200, found.text
    return found.json()["payment"]


def test_an_organizer_marks_a_booking_paid_by_transfer_once_and_the_buyer_sees_it(
    client: TestClient, make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
    alice: Caller, bob: Caller, admin: Caller,
) -> None:
    event = make_event(price="25.00", total_seats=6)
    booked = book(alice, event["id"], quantity=2).json()
    assert payment_of(client, alice, booked["id"], booked["position"]) is None  # owed

    assert_error(mark_paid(client, alice, booked["id"]), 403)  # buyers do not mark their own
    r = mark_paid(client, admin, booked["id"], reference="TR-2030-0042")
    assert r.status_code == 201, r.text
    assert r.json() | {"position": 0} == {
        "booking_id": booked["id"], "status": "succeeded", "provider": "offline",
        "method": "bank_transfer", "amount": "50.00", "refunded": "0.00", "currency": "EUR",
        "position": 0}
    assert_error(mark_paid(client, admin, booked["id"], method="door"), 409, "ALREADY_PAID")
    shown = payment_of(client, alice, booked["id"], r.json()["position"])
    assert (shown["provider"], shown["status"], shown["amount"]) == ("offline", "succeeded",
                                                                      "50.00")

    free = make_event(price="0.00", total_seats=2)
    gratis = book(bob, free["id"]).json()
    assert_error(mark_paid(client, admin, gratis["id"]), 409, "NOTHING_TO_PAY")
    gone = book(bob, event["id"]).json()
    assert client.delete(f"/api/bookings/{gone['id']}", headers=bob.headers).status_code == 200
    assert_error(mark_paid(client, admin, gone["id"]), 400, "ALREADY_CANCELLED")
    assert_error(client.post(f"/api/bookings/{booked['id']}/payment",
                             json={"method": "cheque"}, headers=admin.headers), 422)
    assert verify_store(get_ledger())["ok"]


def test_a_refund_of_money_taken_at_the_door_waits_for_the_organizer_to_give_it_back(
    client: TestClient, make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
    alice: Caller, admin: Caller,
) -> None:
    event = make_event(price="30.00", total_seats=4)
    booked = book(alice, event["id"], quantity=2).json()
    assert mark_paid(client, admin, booked["id"], method="door").status_code == 201
    assert_error(mark_refunded(client, admin, booked["id"]), 409, "NO_REFUND_OWED")

    code = booked["tickets"][0]["code"]
    r = client.post(f"/api/bookings/{booked['id']}/refunds",
                    json={"tickets": [code], "reason": "Sold twice"}, headers=admin.headers)
    assert r.status_code == 201, r.text
    assert (r.json()["amount"], r.json()["status"]) == ("30.00", "refund_pending")
    r = mark_refunded(client, admin, booked["id"])
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["refunded"]) == ("refunded", "30.00")

    # The booking cancelled: the rest is owed back, then given back.
    assert client.delete(f"/api/bookings/{booked['id']}", headers=alice.headers).status_code == 200
    r = mark_refunded(client, admin, booked["id"])
    assert (r.json()["status"], r.json()["refunded"]) == ("refunded", "60.00")
    assert eventually(lambda: payment_of(client, alice, booked["id"], r.json()["position"])
                      ["refunded"] == "60.00")
    # The money, from the payment's events: 60.00 taken, 60.00 given back in two parts.
    since = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    # (Read once the bookings read model, which holds the money moves, has the last refund.)
    report = client.get("/api/audit/revenue", headers=admin.headers,
                        params={"from": since, "event_id": event["id"]}).json()
    (total,) = report["totals"]
    assert (total["collected"], total["returned"], total["collected_net"]) == (
        "60.00", "60.00", "0.00")
    assert (total["revenue"], total["refunded"]) == ("60.00", "60.00")  # the sales' side
    assert verify_store(get_ledger())["ok"]
