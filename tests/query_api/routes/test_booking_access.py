"""Who sees which bookings, the booking lists, and checking tickets in."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.fixtures.api import Caller, assert_error

MakeEvent = Callable[..., dict[str, Any]]


def test_others_cannot_see_or_cancel_a_booking(
    client: TestClient,
    admin: Caller,
    alice: Caller,
    bob: Caller,
    auditor: Caller,
    make_event: MakeEvent,
    book: Any,
) -> None:
    booking = book(alice, make_event()["id"]).json()
    url = f"/api/bookings/{booking['id']}"
    assert_error(client.get(url, headers=bob.headers), 404, "BOOKING_NOT_FOUND")
    assert_error(client.delete(url, headers=bob.headers), 404, "BOOKING_NOT_FOUND")
    assert_error(client.delete(url, headers=auditor.headers), 403, "FORBIDDEN")
    assert client.get(url, headers=auditor.headers).status_code == 200
    assert client.get(url, headers=admin.headers).status_code == 200
    assert_error(client.delete(url, headers=admin.headers), 422, "REASON_REQUIRED")
    assert_error(client.post(f"{url}/cancel", headers=bob.headers, json={"reason": "Mine"}),
                 404, "BOOKING_NOT_FOUND")
    cancelled = client.post(f"{url}/cancel", headers=admin.headers, json={"reason": "Fraud"})
    assert cancelled.json()["status"] == "cancelled"


def test_auditors_cannot_book(
    client: TestClient, auditor: Caller, make_event: MakeEvent, book: Any
) -> None:
    assert_error(book(auditor, make_event()["id"]), 403, "FORBIDDEN")


def test_user_bookings_newest_first_and_paginated(
    client: TestClient,
    admin: Caller,
    alice: Caller,
    bob: Caller,
    make_event: MakeEvent,
    book: Any,
) -> None:
    event = make_event(total_seats=10)
    mine = [book(alice, event["id"]).json()["id"] for _ in range(3)]
    book(bob, event["id"])
    url = f"/api/users/{alice.id}/bookings"
    first = client.get(url, params={"limit": 2}, headers=alice.headers)
    assert first.status_code == 200
    page = first.json()
    assert first.headers["x-projection-position"] == str(page["position"])
    rest = client.get(url, params={"cursor": page["next_cursor"]}, headers=alice.headers).json()
    assert rest["next_cursor"] is None
    assert [b["id"] for b in page["items"] + rest["items"]] == mine[::-1]
    assert len(client.get(url, headers=admin.headers).json()["items"]) == 3
    assert_error(client.get(url, headers=bob.headers), 403, "FORBIDDEN")


def test_event_bookings_for_admins(
    client: TestClient,
    admin: Caller,
    alice: Caller,
    bob: Caller,
    make_event: MakeEvent,
    book: Any,
) -> None:
    event = make_event(total_seats=10)
    ids = [book(who, event["id"]).json()["id"] for who in (alice, bob, alice)]
    book(alice, make_event()["id"])
    page = client.get(f"/api/events/{event['id']}/bookings", headers=admin.headers).json()
    assert [b["id"] for b in page["items"]] == ids[::-1]
    assert_error(client.get(f"/api/events/{event['id']}/bookings", headers=alice.headers), 403)
    unknown = "/api/events/7c9e6679-7425-40de-944b-e07fc1f90ae7/bookings"
    assert_error(client.get(unknown, headers=admin.headers), 404, "EVENT_NOT_FOUND")


def test_check_in_once(
    client: TestClient, admin: Caller, alice: Caller, make_event: MakeEvent, book: Any
) -> None:
    booking = book(alice, make_event()["id"], 2).json()
    code = booking["tickets"][0]["code"]
    response = client.post(f"/api/tickets/{code}/check-in", headers=admin.headers)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "used"
    assert response.headers["x-position"] == str(response.json()["position"])
    assert_error(
        client.post(f"/api/tickets/{code}/check-in", headers=admin.headers),
        400,
        "TICKET_ALREADY_USED",
    )
    shown = client.get(f"/api/bookings/{booking['id']}", headers=alice.headers).json()
    assert [t["status"] for t in shown["tickets"]] == ["used", "active"]
    assert_error(
        client.delete(f"/api/bookings/{booking['id']}", headers=alice.headers),
        400,
        "TICKET_ALREADY_USED",
    )
    assert_error(
        client.post("/api/tickets/no-such-code/check-in", headers=admin.headers),
        404,
        "TICKET_NOT_FOUND",
    )
    assert_error(client.post(f"/api/tickets/{code}/check-in", headers=alice.headers), 403)


def test_cancelled_ticket_cannot_be_checked_in(
    client: TestClient, admin: Caller, alice: Caller, make_event: MakeEvent, book: Any
) -> None:
    booking = book(alice, make_event()["id"]).json()
    client.delete(f"/api/bookings/{booking['id']}", headers=alice.headers)
    code = booking["tickets"][0]["code"]
    assert_error(
        client.post(f"/api/tickets/{code}/check-in", headers=admin.headers), 400, "TICKET_CANCELLED"
    )
