"""Revenue statistics, projection status and rebuilds, and the health check."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient

from core.settings import Settings
from tests.fixtures.api import Caller, assert_error
from tests.query_api.routes.waiting import wait_rebuilt

MakeEvent = Callable[..., dict[str, Any]]


def test_stats_per_event_in_total_and_per_day(
    client: TestClient,
    admin: Caller,
    alice: Caller,
    bob: Caller,
    make_event: MakeEvent,
    book: Any,
) -> None:
    jazz = make_event(name="Jazz", total_seats=10, price="10.00")
    rock = make_event(name="Rock", categories=[{"name": "Pit", "price": "25.50", "capacity": 5}])
    make_event(name="Empty")
    book(alice, jazz["id"], 2)
    dropped = book(bob, jazz["id"], 1).json()
    book(alice, rock["id"], 2)
    client.delete(f"/api/bookings/{dropped['id']}", headers=bob.headers)

    response = client.get("/api/admin/stats", headers=admin.headers)
    assert response.status_code == 200
    stats = response.json()
    assert response.headers["x-projection-position"] == str(stats["position"])
    by_name = {e["name"]: e for e in stats["events"]}
    assert by_name["Jazz"] | {"id": None, "organizer_id": None} == {
        "id": None,
        "organizer_id": None,
        "organizer_name": "Administrator",
        "name": "Jazz",
        "status": "active",
        "currency": "EUR",
        "bookings": 1,
        "bookings_cancelled": 1,
        "tickets_sold": 2,
        "revenue": "30.00",
        "refunds": "10.00",
        "net": "20.00",
    }
    assert (by_name["Rock"]["tickets_sold"], by_name["Rock"]["revenue"]) == (2, "51.00")
    assert (by_name["Empty"]["bookings"], by_name["Empty"]["net"]) == (0, "0.00")
    assert stats["totals"] == {
        "events": 3,
        "bookings": 2,
        "bookings_cancelled": 1,
        "tickets_sold": 4,
        "money": [{"currency": "EUR", "events": 3, "revenue": "81.00", "refunds": "10.00",
                   "net": "71.00"}],
    }
    today = datetime.now(UTC).date().isoformat()
    assert stats["sales_over_time"] == [
        {"day": today, "currency": "EUR", "bookings": 3, "tickets": 5, "revenue": "81.00",
         "refunds": "10.00"}
    ]
    one = client.get(
        "/api/admin/stats", params={"event_id": rock["id"]}, headers=admin.headers
    ).json()
    assert [e["name"] for e in one["events"]] == ["Rock"]
    assert one["sales_over_time"][0]["revenue"] == "51.00"
    assert_error(client.get("/api/admin/stats", headers=alice.headers), 403, "FORBIDDEN")


def test_projection_status_for_admins_and_auditors(
    client: TestClient,
    admin: Caller,
    auditor: Caller,
    alice: Caller,
    make_event: MakeEvent,
    book: Any,
) -> None:
    book(alice, make_event()["id"])
    for who in (admin, auditor):
        response = client.get("/api/projections", headers=who.headers)
        assert response.status_code == 200
        rows = response.json()
        assert [r["name"] for r in rows] == ["availability", "bookings", "revenue", "holds",
                                             "merkle", "line_offers"]
        models = rows[:4]  # the Merkle tree follows them a moment later on the workers
        assert all(r["lag_events"] == 0 and r["position"] == r["head"] > 0 for r in models)
        assert all(r["last_error"] is None for r in rows)
    assert_error(client.get("/api/projections", headers=alice.headers), 403, "FORBIDDEN")


def test_rebuild_gives_the_same_read_model(
    client: TestClient,
    admin: Caller,
    auditor: Caller,
    alice: Caller,
    make_event: MakeEvent,
    book: Any,
) -> None:
    event = make_event(total_seats=5)
    booking = book(alice, event["id"], 2).json()
    client.delete(f"/api/bookings/{book(alice, event['id']).json()['id']}", headers=alice.headers)
    before = (
        client.get("/api/events").json()["items"],
        client.get(f"/api/bookings/{booking['id']}", headers=alice.headers).json(),
        client.get("/api/admin/stats", headers=admin.headers).json(),
    )
    for name in ("availability", "bookings", "revenue", "holds"):
        response = client.post(f"/api/projections/{name}/rebuild", headers=admin.headers)
        assert response.status_code == 202, response.text
        assert response.json()["name"] == name
        assert response.json()["rebuild"]["state"] in ("rebuilding", "swapping", "idle")
        rebuilt = wait_rebuilt(client, admin, name, response.json()["rebuild"]["started_at"])
        assert rebuilt["lag_events"] == 0 and rebuilt["rebuild"]["done"] > 0
    after = (
        client.get("/api/events").json()["items"],
        client.get(f"/api/bookings/{booking['id']}", headers=alice.headers).json(),
        client.get("/api/admin/stats", headers=admin.headers).json(),
    )
    assert after == before
    assert_error(
        client.post("/api/projections/nope/rebuild", headers=admin.headers),
        404,
        "PROJECTION_NOT_FOUND",
    )
    assert_error(client.post("/api/projections/bookings/rebuild", headers=auditor.headers), 403)


def test_health_reports_database_broker_and_lag(
    client: TestClient, backend: Settings, alice: Caller, make_event: MakeEvent, book: Any
) -> None:
    book(alice, make_event()["id"])
    response = client.get("/api/health")
    assert response.status_code == 200
    body = response.json()
    lags = body.pop("projections")
    # and the Merkle tree's, and the waiting lines' process manager's
    assert lags.keys() == {"availability", "bookings", "revenue", "holds", "merkle", "line_offers"}
    assert [lags[name] for name in ("availability", "bookings", "revenue")] == [0, 0, 0]
    assert body == {
        "status": "ok",
        "database": "ok",
        "broker": "eager" if backend.is_eager else "ok",
        "max_lag_events": backend.health_max_lag_events,
    }
