"""Malformed input of every kind gets a 4xx with a stable code, never a 500."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from core.settings import get_settings
from tests.fixtures.api import Caller, assert_error

MakeEvent = Callable[..., dict[str, Any]]
UNKNOWN = "7c9e6679-7425-40de-944b-e07fc1f90ae7"


def test_malformed_json_is_422(client: TestClient, admin: Caller, make_event: MakeEvent) -> None:
    event = make_event()
    headers = admin.headers | {"Content-Type": "application/json"}
    for path in ("/api/events", f"/api/events/{event['id']}/book", "/api/auth/signup"):
        for raw in (b'{"quantity": ', b"{'a': 1}", b"\xff\xfe", b"[1, 2"):
            response = client.post(path, content=raw, headers=headers)
            assert_error(response, 422, "MALFORMED_JSON")


def test_wrong_body_shapes_are_422(
    client: TestClient,
    admin: Caller,
    make_event: MakeEvent,
) -> None:
    event = make_event()
    for body in ([1], "text", None, 5, {"quantity": 1, "seats": 2}):
        response = client.post(f"/api/events/{event['id']}/book", json=body, headers=admin.headers)
        assert_error(response, 422, "VALIDATION_ERROR")
    response = client.post(
        f"/api/events/{event['id']}/book",
        content=b"quantity=1",
        headers=admin.headers | {"Content-Type": "text/plain"},
    )
    assert_error(response, 422)


@pytest.mark.parametrize(
    "quantity", [0, -1, -(10**30), 10**30, 1.5, "2", "two", True, None, [1], {"n": 1}]
)
def test_bad_quantities_are_422(
    client: TestClient, alice: Caller, make_event: MakeEvent, book: Any, quantity: Any
) -> None:
    response = book(alice, make_event()["id"], quantity)
    body = assert_error(response, 422, "VALIDATION_ERROR")
    assert body["detail"][0]["loc"] == ["body", "quantity"]
    assert "input" not in body["detail"][0]


def test_quantity_above_the_per_booking_maximum_is_422(
    client: TestClient, alice: Caller, make_event: MakeEvent, book: Any
) -> None:
    event = make_event(total_seats=1000)
    top = get_settings().max_tickets_per_booking
    body = assert_error(book(alice, event["id"], top + 1), 422, "VALIDATION_ERROR")
    assert body["detail"][0]["loc"] == ["body", "quantity"]
    assert book(alice, event["id"], top).status_code == 201


@pytest.mark.parametrize(
    "bad_id",
    [
        "not-a-uuid",
        "123",
        "7c9e6679-7425-40de-944b",
        "%20",
        "7c9e6679742540de944be07fc1f90ae7x",
        "' OR 1=1 --",
    ],
)
def test_malformed_ids_are_422(client: TestClient, admin: Caller, bad_id: str) -> None:
    for method, path in (
        ("GET", f"/api/events/{bad_id}"),
        ("PUT", f"/api/events/{bad_id}"),
        ("POST", f"/api/events/{bad_id}/book"),
        ("POST", f"/api/events/{bad_id}/cancel"),
        ("GET", f"/api/events/{bad_id}/bookings"),
        ("GET", f"/api/bookings/{bad_id}"),
        ("DELETE", f"/api/bookings/{bad_id}"),
        ("GET", f"/api/users/{bad_id}/bookings"),
        ("GET", f"/api/admin/stats?event_id={bad_id}"),
    ):
        response = client.request(method, path, json={"quantity": 1}, headers=admin.headers)
        assert 400 <= response.status_code < 500, (method, path, response.text)
        assert_error(response, response.status_code)


def test_unknown_ids_are_404(client: TestClient, admin: Caller, alice: Caller) -> None:
    for method, path, who, code in (
        ("GET", f"/api/events/{UNKNOWN}", admin, "EVENT_NOT_FOUND"),
        ("PUT", f"/api/events/{UNKNOWN}", admin, "EVENT_NOT_FOUND"),
        ("POST", f"/api/events/{UNKNOWN}/book", alice, "EVENT_NOT_FOUND"),
        ("POST", f"/api/events/{UNKNOWN}/cancel", admin, "EVENT_NOT_FOUND"),
        ("POST", f"/api/events/{UNKNOWN}/complete", admin, "EVENT_NOT_FOUND"),
        ("GET", f"/api/bookings/{UNKNOWN}", alice, "BOOKING_NOT_FOUND"),
        ("DELETE", f"/api/bookings/{UNKNOWN}", alice, "BOOKING_NOT_FOUND"),
        ("DELETE", f"/api/bookings/{UNKNOWN}", admin, "BOOKING_NOT_FOUND"),
        ("POST", f"/api/bookings/{UNKNOWN}/cancel", admin, "BOOKING_NOT_FOUND"),
    ):
        body: dict[str, Any] = ({"quantity": 1} if path.endswith("book") else
                                {"reason": "X"} if path.endswith("cancel") else {"name": "X"})
        response = client.request(method, path, json=body, headers=who.headers)
        assert_error(response, 404, code)


def test_unknown_routes_and_methods_have_codes(client: TestClient) -> None:
    assert_error(client.get("/api/nowhere"), 404, "NOT_FOUND")
    assert_error(client.patch("/api/events"), 405, "METHOD_NOT_ALLOWED")


def test_login_form_needs_its_fields(client: TestClient) -> None:
    assert_error(
        client.post("/api/auth/token", data={"username": "a@example.com"}), 422, "VALIDATION_ERROR"
    )
    assert_error(client.post("/api/auth/token", json={"username": "a", "password": "b"}), 422)


def test_validation_details_never_echo_passwords(client: TestClient) -> None:
    body = {"email": "bad", "password": "my-secret-password", "name": "A"}
    response = client.post("/api/auth/signup", json=body)
    assert_error(response, 422, "VALIDATION_ERROR")
    assert "my-secret-password" not in response.text
