"""Booking seats, reading, cancelling and checking in: every rule through HTTP."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.fixtures.api import Caller, assert_error

MakeEvent = Callable[..., dict[str, Any]]


def seats_left(client: TestClient, event_id: str) -> int:
    return int(client.get(f"/api/events/{event_id}").json()["available_seats"])


def test_booking_issues_tickets_and_takes_seats(
    client: TestClient, alice: Caller, make_event: MakeEvent, book: Any
) -> None:
    event = make_event(total_seats=5, price="12.50")
    response = book(alice, event["id"], 2)
    assert response.status_code == 201, response.text
    booking = response.json()
    assert set(booking) == {
        "id",
        "event_id",
        "user_id",
        "user_name",
        "category",
        "quantity",
        "unit_price",
        "total_amount",
        "list_total",
        "taxes",
        "voucher",
        "lines",
        "status",
        "tickets",
        "created_at",
        "cancelled_by",
        "cancellation_reason",
        "position",
        "payment",
    }
    assert booking["payment"] is None  # not paid through a provider (owed at the door)
    assert (booking["event_id"], booking["user_id"], booking["user_name"]) == (
        event["id"],
        str(alice.id),
        "Alice",
    )
    assert (booking["category"], booking["quantity"], booking["status"]) == (
        "General",
        2,
        "confirmed",
    )
    assert (booking["unit_price"], booking["total_amount"]) == ("12.50", "25.00")
    assert booking["lines"] == [{"category": "General", "quantity": 2, "unit_price": "12.50",
                                 "list_price": None, "unit_tax": None, "tax_name": None,
                                 "tax_rate": None}]
    codes = [t["code"] for t in booking["tickets"]]
    assert len(set(codes)) == 2 and all(len(c) >= 22 for c in codes)
    assert {(t["status"], t["category"]) for t in booking["tickets"]} == {("active", "General")}
    assert response.headers["x-position"] == str(booking["position"])
    assert seats_left(client, event["id"]) == 3
    shown = client.get(f"/api/bookings/{booking['id']}", headers=alice.headers)
    assert shown.status_code == 200
    assert {k: v for k, v in shown.json().items() if k != "position"} == {
        k: v for k, v in booking.items() if k != "position"
    }
    assert shown.json()["position"] <= booking["position"]


def test_category_must_be_named_when_there_are_several(
    client: TestClient, alice: Caller, make_event: MakeEvent, book: Any
) -> None:
    event = make_event(
        categories=[
            {"name": "A", "price": "1", "capacity": 2},
            {"name": "B", "price": "2", "capacity": 2},
        ]
    )
    assert_error(book(alice, event["id"], 1), 400, "CATEGORY_REQUIRED")
    assert_error(book(alice, event["id"], 1, category="C"), 400, "UNKNOWN_CATEGORY")
    response = book(alice, event["id"], 2, category="B")
    assert response.status_code == 201 and response.json()["total_amount"] == "4.00"


def test_sixth_booking_for_five_seats_is_sold_out(
    client: TestClient, signup: Callable[[str], Caller], make_event: MakeEvent, book: Any
) -> None:
    event = make_event(total_seats=5)
    for i in range(5):
        assert book(signup(f"Fan{i}"), event["id"]).status_code == 201
    assert_error(book(signup("Late"), event["id"]), 400, "SOLD_OUT")
    assert seats_left(client, event["id"]) == 0


def test_more_than_left_is_refused_whole(
    client: TestClient, alice: Caller, bob: Caller, make_event: MakeEvent, book: Any
) -> None:
    event = make_event(total_seats=5)
    assert book(alice, event["id"], 3).status_code == 201
    assert_error(book(bob, event["id"], 3), 400, "NOT_ENOUGH_SEATS")
    assert seats_left(client, event["id"]) == 2
    assert book(bob, event["id"], 2).status_code == 201


def test_cancel_frees_seats_at_once_and_only_once(
    client: TestClient, alice: Caller, bob: Caller, make_event: MakeEvent, book: Any
) -> None:
    event = make_event(total_seats=1)
    booking = book(alice, event["id"]).json()
    assert_error(book(bob, event["id"]), 400, "SOLD_OUT")
    response = client.delete(f"/api/bookings/{booking['id']}", headers=alice.headers)
    assert response.status_code == 200, response.text
    cancelled = response.json()
    assert cancelled["status"] == "cancelled"
    assert {t["status"] for t in cancelled["tickets"]} == {"cancelled"}
    assert response.headers["x-position"] == str(cancelled["position"])
    assert book(bob, event["id"]).status_code == 201
    assert_error(
        client.delete(f"/api/bookings/{booking['id']}", headers=alice.headers),
        400,
        "ALREADY_CANCELLED",
    )


def test_per_user_limit(
    client: TestClient, alice: Caller, bob: Caller, make_event: MakeEvent, book: Any
) -> None:
    event = make_event(total_seats=10, max_tickets_per_user=2)
    assert book(alice, event["id"], 2).status_code == 201
    assert_error(book(alice, event["id"], 1), 400, "USER_LIMIT_EXCEEDED")
    assert_error(book(bob, event["id"], 3), 400, "USER_LIMIT_EXCEEDED")
    assert book(bob, event["id"], 2).status_code == 201


def test_cancelling_the_event_cancels_its_bookings(
    client: TestClient, admin: Caller, alice: Caller, make_event: MakeEvent, book: Any
) -> None:
    event = make_event(total_seats=5, price="10.00")
    booking = book(alice, event["id"], 2).json()
    assert (
        client.post(f"/api/events/{event['id']}/cancel", headers=admin.headers).status_code == 200
    )
    assert_error(book(alice, event["id"]), 400, "EVENT_CANCELLED")
    shown = client.get(f"/api/bookings/{booking['id']}", headers=alice.headers).json()
    assert shown["status"] == "cancelled"
    assert {t["status"] for t in shown["tickets"]} == {"cancelled"}
    stats = client.get("/api/admin/stats", headers=admin.headers).json()
    [eur] = stats["totals"]["money"]
    assert (eur["currency"], eur["refunds"], eur["net"]) == ("EUR", "20.00", "0.00")


def test_idempotency_key_replays_the_first_booking(
    client: TestClient, alice: Caller, make_event: MakeEvent, book: Any
) -> None:
    event = make_event(total_seats=5)
    key = {"Idempotency-Key": "order-42"}
    first = book(alice, event["id"], 2, headers=key)
    assert first.status_code == 201 and "idempotent-replayed" not in first.headers
    again = book(alice, event["id"], 2, headers=key)
    assert again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["tickets"] == first.json()["tickets"]
    assert seats_left(client, event["id"]) == 3
    assert_error(book(alice, event["id"], 3, headers=key), 409, "IDEMPOTENCY_KEY_REUSED")
    for bad in ("", "k" * 201):
        assert_error(book(alice, event["id"], 1, headers={"Idempotency-Key": bad}), 422)


def test_idempotency_keys_are_per_user(
    client: TestClient, alice: Caller, bob: Caller, make_event: MakeEvent, book: Any
) -> None:
    event = make_event(total_seats=5)
    key = {"Idempotency-Key": "same"}
    assert book(alice, event["id"], headers=key).status_code == 201
    assert book(bob, event["id"], headers=key).status_code == 201
    assert seats_left(client, event["id"]) == 3


def test_delete_right_after_booking_works(
    client: TestClient, alice: Caller, make_event: MakeEvent, book: Any
) -> None:
    event = make_event()
    for _ in range(3):
        booking = book(alice, event["id"]).json()
        response = client.delete(f"/api/bookings/{booking['id']}", headers=alice.headers)
        assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert seats_left(client, event["id"]) == 5
