"""Creating, listing, reading and changing events."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.fixtures.api import Caller, assert_error, future

MakeEvent = Callable[..., dict[str, Any]]


def as_read(command_view: dict[str, Any]) -> dict[str, Any]:
    """A command's event view as a read shows it: the same, without the command's position."""
    return {k: v for k, v in command_view.items() if k != "position"}


def test_create_with_categories(client: TestClient, admin: Caller) -> None:
    body = {
        "name": "Opera",
        "venue": "State Opera",
        "starts_at": "2031-06-15T19:00:00+02:00",
        "categories": [
            {"name": "Stalls", "price": "30.5", "capacity": 100},
            {"name": "Box", "price": 90, "capacity": 8},
        ],
        "max_tickets_per_user": 4,
    }
    response = client.post("/api/events", json=body, headers=admin.headers)
    assert response.status_code == 201
    event = response.json()
    assert event["starts_at"] == "2031-06-15T17:00:00Z"
    assert event["categories"] == [
        {"name": "Stalls", "price": "30.50", "capacity": 100, "sold": 0, "held": 0,
         "waitlisted": 0, "waiting": 0, "available": 100, "hidden": False,
         "reserved": 0},
        {"name": "Box", "price": "90.00", "capacity": 8, "sold": 0, "held": 0,
         "waitlisted": 0, "waiting": 0, "available": 8, "hidden": False,
         "reserved": 0},
    ]
    assert (event["total_seats"], event["available_seats"]) == (108, 108)
    assert event["currency"] == "EUR" and event["status"] == "active"
    assert event["max_tickets_per_user"] == 4
    assert isinstance(event["position"], int)
    assert response.headers["x-position"] == str(event["position"])
    shown = client.get(f"/api/events/{event['id']}").json()
    assert shown == as_read(event)


def test_create_with_total_seats_makes_one_general_category(make_event: MakeEvent) -> None:
    event = make_event(total_seats=50, price="12.00", currency="usd")
    assert event["categories"] == [
        {"name": "General", "price": "12.00", "capacity": 50, "sold": 0, "held": 0,
         "waitlisted": 0, "waiting": 0, "available": 50, "hidden": False,
         "reserved": 0}
    ]
    assert event["currency"] == "USD"
    free = make_event(total_seats=3, price=None)
    assert free["categories"][0]["price"] == "0.00"


def test_start_in_the_past_is_400(client: TestClient, admin: Caller) -> None:
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    body = {"name": "Late", "starts_at": past, "total_seats": 5}
    assert_error(
        client.post("/api/events", json=body, headers=admin.headers), 400, "STARTS_IN_PAST"
    )


def test_both_or_neither_seat_plan_is_422(client: TestClient, admin: Caller) -> None:
    both = {
        "name": "X",
        "starts_at": future(),
        "total_seats": 5,
        "categories": [{"name": "A", "price": 1, "capacity": 5}],
    }
    neither = {"name": "X", "starts_at": future()}
    for body in (both, neither):
        assert_error(
            client.post("/api/events", json=body, headers=admin.headers), 422, "VALIDATION_ERROR"
        )


def test_create_refuses_bad_fields(client: TestClient, admin: Caller) -> None:
    base = {"name": "X", "starts_at": future(), "total_seats": 5}
    for change in (
        {"name": ""},
        {"name": "x" * 201},
        {"starts_at": "2031-06-15T19:00:00"},
        {"starts_at": "tomorrow"},
        {"total_seats": 0},
        {"total_seats": 1_000_001},
        {"price": "-1"},
        {"price": "1.005"},
        {"price": "1e8"},
        {"price": "NaN"},
        {"currency": "EURO"},
        {"max_tickets_per_user": 0},
        {"surprise": 1},
        {"total_seats": "five"},
    ):
        response = client.post("/api/events", json=base | change, headers=admin.headers)
        assert_error(response, 422, "VALIDATION_ERROR")
    same_names = base | {
        "total_seats": None,
        "categories": [
            {"name": "A", "price": 1, "capacity": 1},
            {"name": "A", "price": 2, "capacity": 1},
        ],
    }
    del same_names["total_seats"]
    assert_error(
        client.post("/api/events", json=same_names, headers=admin.headers), 400, "INVALID_CATEGORY"
    )


def test_unknown_event_is_404(client: TestClient) -> None:
    assert_error(
        client.get("/api/events/7c9e6679-7425-40de-944b-e07fc1f90ae7"), 404, "EVENT_NOT_FOUND"
    )


def test_list_filters_by_text_dates_and_status(
    client: TestClient, admin: Caller, make_event: MakeEvent
) -> None:
    jazz = make_event(name="Jazz night", venue="Blue Hall", starts_at=future(10))
    rock = make_event(name="Rock show", venue="Arena 50%", starts_at=future(20))
    folk = make_event(name="Folk evening", venue="Blue Barn", starts_at=future(30))
    client.post(f"/api/events/{folk['id']}/cancel", headers=admin.headers)

    def ids(**params: Any) -> list[str]:
        response = client.get("/api/events", params=params)
        assert response.status_code == 200, response.text
        return [e["id"] for e in response.json()["items"]]

    assert ids() == [jazz["id"], rock["id"]]  # on sale: the cancelled one is not
    assert ids(status="all") == [jazz["id"], rock["id"], folk["id"]]
    assert ids(q="JAZZ") == [jazz["id"]]
    assert ids(q="blue") == [jazz["id"]]
    assert ids(q="blue", status="all") == [jazz["id"], folk["id"]]
    assert ids(q="50%") == [rock["id"]]
    assert ids(q="%") == [rock["id"]]
    assert ids(starts_after=future(15)) == [rock["id"], folk["id"]]
    assert ids(starts_before=future(25)) == [jazz["id"], rock["id"]]
    assert ids(starts_after=future(15), starts_before=future(25)) == [rock["id"]]
    assert ids(status="cancelled") == [folk["id"]]
    assert ids(status="active", q="blue") == [jazz["id"]]


def test_list_items_carry_availability_and_position(
    client: TestClient, make_event: MakeEvent
) -> None:
    made = make_event(
        categories=[
            {"name": "A", "price": "5", "capacity": 2},
            {"name": "B", "price": "7.25", "capacity": 3},
        ]
    )
    response = client.get("/api/events")
    page = response.json()
    assert page["items"] == [as_read(made)]
    assert page["position"] >= made["position"]
    assert response.headers["x-projection-position"] == str(page["position"])


def test_list_is_cursor_paginated_without_gaps_or_repeats(
    client: TestClient, make_event: MakeEvent
) -> None:
    same_time = future(5)
    made = [
        make_event(name=f"E{i}", starts_at=same_time if i % 2 else future(6 + i)) for i in range(7)
    ]
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/events", params=params).json()
        assert len(page["items"]) <= 3
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(e["id"] for e in made)
    assert len(seen) == len(set(seen))


def test_list_refuses_bad_paging_and_filters(client: TestClient) -> None:
    for params in (
        {"limit": 0},
        {"limit": 101},
        {"limit": "x"},
        {"status": "open"},
        {"starts_after": "2031-01-01T00:00:00"},
        {"starts_before": "soon"},
    ):
        assert_error(client.get("/api/events", params=params), 422, "VALIDATION_ERROR")
    for cursor in ("garbage!", "eyJhIjogMX0", "WyJ4IiwgInkiXQ"):
        assert_error(client.get("/api/events", params={"cursor": cursor}), 422, "INVALID_CURSOR")


def test_update_details_and_capacities(
    client: TestClient, admin: Caller, alice: Caller, make_event: MakeEvent, book: Any
) -> None:
    event = make_event(total_seats=5)
    assert book(alice, event["id"], 3).status_code == 201
    url = f"/api/events/{event['id']}"
    body = {
        "name": "Jazz night II",
        "venue": "Red Hall",
        "max_tickets_per_user": 10,
        "categories": [
            {"name": "General", "price": "11.00", "capacity": 8},
            {"name": "VIP", "price": "50", "capacity": 2},
        ],
    }
    response = client.put(url, json=body, headers=admin.headers)
    assert response.status_code == 200, response.text
    changed = response.json()
    assert (changed["name"], changed["venue"], changed["max_tickets_per_user"]) == (
        "Jazz night II",
        "Red Hall",
        10,
    )
    assert changed["categories"] == [
        {"name": "General", "price": "11.00", "capacity": 8, "sold": 3, "held": 0,
         "waitlisted": 0, "waiting": 0, "available": 5, "hidden": False,
         "reserved": 0},
        {"name": "VIP", "price": "50.00", "capacity": 2, "sold": 0, "held": 0,
         "waitlisted": 0, "waiting": 0, "available": 2, "hidden": False,
         "reserved": 0},
    ]
    assert (changed["total_seats"], changed["available_seats"]) == (10, 7)
    assert client.get(url).json() == as_read(changed)
    below = {"categories": [{"name": "General", "price": "11.00", "capacity": 2}]}
    assert_error(client.put(url, json=below, headers=admin.headers), 400, "CAPACITY_BELOW_SOLD")
    assert_error(client.put(url, json={"name": None}, headers=admin.headers), 422)
    assert_error(
        client.put(url, json={"starts_at": "2001-01-01T00:00:00Z"}, headers=admin.headers),
        400,
        "STARTS_IN_PAST",
    )


def test_an_edit_clears_the_end_the_per_person_limit_and_the_hold_length(
    client: TestClient, admin: Caller, make_event: MakeEvent
) -> None:
    event = make_event(total_seats=5)
    url = f"/api/events/{event['id']}"
    ends = (datetime.fromisoformat(event["starts_at"]) + timedelta(hours=3)).isoformat()
    set_ = {"ends_at": ends, "max_tickets_per_user": 4, "hold_seconds": 300}
    assert client.put(url, json=set_, headers=admin.headers).status_code == 200
    cleared = client.put(url, json=dict.fromkeys(set_), headers=admin.headers)
    assert cleared.status_code == 200, cleared.text
    now = client.get(url).json()
    assert (now["ends_at"], now["max_tickets_per_user"], now["hold_seconds"]) == (None, None, None)


def test_complete_needs_a_started_event(
    client: TestClient, admin: Caller, make_event: MakeEvent
) -> None:
    event = make_event()
    assert_error(
        client.post(f"/api/events/{event['id']}/complete", headers=admin.headers),
        400,
        "EVENT_NOT_STARTED",
    )


def test_cancelled_event_cannot_be_changed_again(
    client: TestClient, admin: Caller, make_event: MakeEvent
) -> None:
    event = make_event()
    url = f"/api/events/{event['id']}"
    response = client.post(f"{url}/cancel", headers=admin.headers)
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert client.get(url).json()["status"] == "cancelled"
    assert_error(client.post(f"{url}/cancel", headers=admin.headers), 400, "EVENT_CANCELLED")
    assert_error(client.put(url, json={"name": "Y"}, headers=admin.headers), 400, "EVENT_CANCELLED")


def test_created_at_is_the_same_on_the_write_and_read_side(
    client: TestClient, make_event: MakeEvent
) -> None:
    made = make_event()
    assert client.get(f"/api/events/{made['id']}").json()["created_at"] == made["created_at"]
