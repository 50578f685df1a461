"""GET /api/audit/events/{id}/history and /state, on both backends."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.fixtures.api import Caller, assert_error
from tests.query_api.routes.api_scenario import TYPES, told_through_the_api

MISSING = "7c9e6679-7425-40de-944b-e07fc1f90ae7"


def test_history_is_the_stream_in_order_with_positions_payloads_and_hashes(
    client: TestClient, admin: Caller, alice: Caller, bob: Caller, auditor: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> None:
    event_id = told_through_the_api(client, admin, alice, bob, make_event, book)
    url = f"/api/audit/events/{event_id}/history"

    page = client.get(url, headers=auditor.headers).json()

    items = page["items"]
    assert page["next_cursor"] is None
    assert [i["type"] for i in items] == TYPES
    assert [i["version"] for i in items] == list(range(1, 8))
    positions = [i["position"] for i in items]
    assert positions == sorted(set(positions))
    booked = items[1]["payload"]
    assert booked["unit_price"] == "25.00" and booked["quantity"] == 2
    assert booked["booked_at"].endswith("Z") and items[1]["recorded_at"].endswith("Z")
    assert items[3]["payload"]["refund"] == "50.00"
    assert all(len(i["chain"]) == 64 for i in items)
    assert items[4]["payload"] | {"capacity": 6} == {"name": "General", "price": "25.00",
                                                     "capacity": 6, "hidden": False}

    first = client.get(url, params={"limit": 3}, headers=admin.headers).json()
    rest = client.get(url, params={"after_version": first["next_cursor"]},
                      headers=admin.headers).json()
    assert first["next_cursor"] == 3
    assert first["items"] + rest["items"] == items
    assert_error(client.get(f"/api/audit/events/{MISSING}/history", headers=auditor.headers),
                 404, "EVENT_NOT_FOUND")


def test_state_at_versions_and_moments(
    client: TestClient, admin: Caller, alice: Caller, bob: Caller, auditor: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> None:
    event_id = told_through_the_api(client, admin, alice, bob, make_event, book)
    url = f"/api/audit/events/{event_id}/state"
    history = client.get(f"/api/audit/events/{event_id}/history", headers=auditor.headers)
    times = [i["recorded_at"] for i in history.json()["items"]]

    def state(**params: Any) -> dict[str, Any]:
        response = client.get(url, params=params, headers=auditor.headers)
        assert response.status_code == 200, response.text
        return dict(response.json())

    then = state(version=3)
    assert [(c["name"], c["sold"], c["available"]) for c in then["categories"]] == [
        ("General", 2, 2), ("VIP", 1, 1)]
    assert [(b["user_name"], b["status"]) for b in then["bookings"]] == [
        ("Alice", "confirmed"), ("Bob", "confirmed")]
    assert then["bookings"][0]["total_amount"] == "50.00"
    assert state(at=times[3])["bookings"][0]["status"] == "cancelled"
    assert state(at=times[4])["categories"][0]["capacity"] == 6
    assert state(at=times[0])["version"] == 1
    future = (datetime.now(UTC) + timedelta(days=400)).isoformat()
    assert state(at=future)["status"] == "cancelled" == state(version=99)["status"]
    assert state(version=99)["version"] == 7

    before = (datetime.fromisoformat(times[0]) - timedelta(seconds=1)).isoformat()
    assert_error(client.get(url, params={"at": before}, headers=auditor.headers),
                 404, "EVENT_NOT_YET_CREATED")
    for params in ({}, {"at": future, "version": 2}):
        assert_error(client.get(url, params=params, headers=auditor.headers),
                     422, "STATE_QUERY_INVALID")
    assert_error(client.get(url, params={"at": "2030-01-01T00:00:00"}, headers=auditor.headers),
                 422, "VALIDATION_ERROR")
    assert_error(client.get(f"/api/audit/events/{MISSING}/state", params={"version": 1},
                            headers=auditor.headers), 404, "EVENT_NOT_FOUND")
