"""A booking with a ticket checked in: no one cancels it, nor refunds that ticket, through the
booking's own routes; the event's cancellation still cancels and refunds it."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.fixtures.api import Caller, assert_error


def test_a_booking_with_a_checked_in_ticket_is_cancelled_only_with_its_event(
    client: TestClient, admin: Caller, alice: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> None:
    event_id = make_event()["id"]
    booking = book(alice, event_id, 2).json()
    url = f"/api/bookings/{booking['id']}"
    used, unused = (t["code"] for t in booking["tickets"])
    checked_in = client.post(f"/api/tickets/{used}/check-in", headers=admin.headers)
    assert checked_in.status_code == 200, checked_in.text

    assert_error(client.delete(url, headers=alice.headers), 400, "TICKET_ALREADY_USED")
    assert_error(client.post(f"{url}/cancel", headers=admin.headers, json={"reason": "Fraud"}),
                 400, "TICKET_ALREADY_USED")
    assert_error(client.post(f"{url}/refunds", headers=admin.headers,
                             json={"tickets": [unused, used], "reason": "Seat broken"}),
                 400, "TICKET_ALREADY_USED")
    shown = client.get(url, headers=alice.headers).json()
    assert (shown["status"], [t["status"] for t in shown["tickets"]]) == (
        "confirmed", ["used", "active"])

    cancelled = client.post(f"/api/events/{event_id}/cancel", headers=admin.headers,
                            json={"reason": "The venue flooded"})
    assert cancelled.status_code == 200, cancelled.text
    shown = client.get(url, headers=alice.headers).json()
    assert (shown["status"], [t["status"] for t in shown["tickets"]]) == (
        "cancelled", ["cancelled", "cancelled"])
