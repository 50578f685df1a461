"""The audit scenario told through the API: booked, cancelled, re-sized, event cancelled."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.fixtures.api import Caller

TYPES = ["Created", "SeatsBooked", "SeatsBooked", "BookingCancelled", "CategoryChanged",
         "BookingCancelled", "EventCancelled"]


def told_through_the_api(
    client: TestClient, admin: Caller, alice: Caller, bob: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> str:
    """Versions 1..7 of TYPES; returns the event id."""
    event = make_event(max_tickets_per_user=3, categories=[
        {"name": "General", "price": "25.00", "capacity": 4},
        {"name": "VIP", "price": "90.00", "capacity": 2},
    ])
    event_id = str(event["id"])
    booking = book(alice, event_id, 2, category="General").json()
    assert book(bob, event_id, 1, category="VIP").status_code == 201
    assert client.delete(f"/api/bookings/{booking['id']}", headers=alice.headers).is_success
    changed = client.put(f"/api/events/{event_id}", headers=admin.headers, json={
        "categories": [{"name": "General", "price": "25.00", "capacity": 6}]})
    assert changed.is_success, changed.text
    assert client.post(f"/api/events/{event_id}/cancel", headers=admin.headers).is_success
    return event_id
