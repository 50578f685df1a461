"""Revenue statistics (the sales' money and what payments took), projection status and rebuilds,
and the health check."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
import stripe
from fastapi.testclient import TestClient

from core.settings import Settings
from tests.fixtures.api import Caller, assert_error, future
from tests.query_api.routes.waiting import wait_rebuilt
from tests.support.cards import card
from tests.support.stripe_notices import StripeNotices

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
        "published": True,
        "currency": "EUR",
        "bookings": 1,
        "bookings_cancelled": 1,
        "tickets_sold": 2,
        "revenue": "30.00",
        "refunds": "10.00",
        "net": "20.00",
        # No payment provider: the bookings are owed, so their prices are sales, not money taken.
        "collected": "0.00",
        "returned": "0.00",
        "collected_net": "0.00",
    }
    assert (by_name["Rock"]["tickets_sold"], by_name["Rock"]["revenue"]) == (2, "51.00")
    assert (by_name["Empty"]["bookings"], by_name["Empty"]["net"]) == (0, "0.00")
    assert stats["totals"] == {
        "events": 3,
        "bookings": 2,
        "bookings_cancelled": 1,
        "tickets_sold": 4,
        "money": [{"currency": "EUR", "events": 3, "revenue": "81.00", "refunds": "10.00",
                   "net": "71.00", "collected": "0.00", "returned": "0.00",
                   "collected_net": "0.00"}],
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


@pytest.fixture
def paying(stripe_on: StripeNotices, client: TestClient) -> TestClient:
    """The app taking payments through localstripe (asked for before the client starts)."""
    return client


def paid_booking(client: TestClient, provider: stripe.StripeClient, who: Caller,
                 event_id: str, quantity: int) -> dict[str, Any]:
    """Hold seats and pay for them by card: the booking the payment made."""
    held = client.post(f"/api/events/{event_id}/holds", json={"quantity": quantity},
                       headers=who.headers)
    assert held.status_code == 201, held.text
    paid = client.post(f"/api/holds/{held.json()['id']}/payment",
                       json={"payment_method": card(provider)}, headers=who.headers)
    assert paid.status_code == 201 and paid.json()["status"] == "succeeded", paid.text
    booking = client.get(f"/api/bookings/{paid.json()['booking_id']}", headers=who.headers)
    return dict(booking.json())


def money_of(row: dict[str, Any]) -> dict[str, str]:
    return {k: row[k] for k in ("revenue", "refunds", "net", "collected", "returned",
                                "collected_net")}


def test_stats_show_what_payments_collected_and_returned_beside_the_sales(
    paying: TestClient, provider: stripe.StripeClient, admin: Caller, alice: Caller,
    bob: Caller, organizer: Callable[[str], Caller], make_event: MakeEvent, book: Any,
) -> None:
    ann = organizer("Ann")
    made = paying.post("/api/events", headers=ann.headers, json={
        "name": "Paid", "starts_at": future(), "total_seats": 5, "price": "12.50"})
    assert made.status_code == 201, made.text
    paid_event = made.json()
    other = make_event(name="Other", price="20.00")  # the admin's: never in Ann's answer
    free = make_event(name="Free", price="0.00")
    booked = paid_booking(paying, provider, alice, paid_event["id"], 3)
    paid_booking(paying, provider, bob, other["id"], 1)
    assert book(bob, free["id"]).status_code == 201

    def stats(who: Caller) -> dict[str, Any]:
        r = paying.get("/api/admin/stats", headers=who.headers)
        assert r.status_code == 200, r.text
        return dict(r.json())

    taken = {e["name"]: money_of(e) for e in stats(admin)["events"]}
    assert taken["Paid"] == {"revenue": "37.50", "refunds": "0.00", "net": "37.50",
                             "collected": "37.50", "returned": "0.00", "collected_net": "37.50"}

    code = booked["tickets"][0]["code"]
    r = paying.post(f"/api/bookings/{booked['id']}/refunds",
                    json={"tickets": [code], "reason": "Seat broken"}, headers=ann.headers)
    assert r.status_code == 201 and r.json()["status"] == "refunded", r.text

    # The refund's answer covers the payment's refund, appended after the tickets'
    # cancellation: the next read (at the answer's position) shows the money returned.
    answer = stats(admin)
    by_name = {e["name"]: e for e in answer["events"]}
    # The sales' figures as before; the payments' beside them, from the money moves.
    assert money_of(by_name["Paid"]) == {
        "revenue": "37.50", "refunds": "12.50", "net": "25.00",
        "collected": "37.50", "returned": "12.50", "collected_net": "25.00"}
    assert by_name["Paid"]["tickets_sold"] == 2
    assert money_of(by_name["Other"]) == {
        "revenue": "20.00", "refunds": "0.00", "net": "20.00",
        "collected": "20.00", "returned": "0.00", "collected_net": "20.00"}
    assert money_of(by_name["Free"]) == dict.fromkeys(money_of(by_name["Free"]), "0.00")
    assert answer["totals"]["money"] == [{
        "currency": "EUR", "events": 3, "revenue": "57.50", "refunds": "12.50", "net": "45.00",
        "collected": "57.50", "returned": "12.50", "collected_net": "45.00"}]

    # An organizer's answer adds up only the payments of the events they run.
    mine = stats(ann)
    assert [e["name"] for e in mine["events"]] == ["Paid"]
    assert [money_of(m) for m in mine["totals"]["money"]] == [money_of(by_name["Paid"])]
    one = paying.get("/api/admin/stats", params={"event_id": other["id"]},
                     headers=admin.headers).json()
    assert [(e["name"], e["collected"]) for e in one["events"]] == [("Other", "20.00")]


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
                                             "invoices", "merkle", "waitlist_offers",
                                             "invoice_settlements"]
        models = rows[:5]  # the Merkle tree follows them a moment later on the workers
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
    for name in ("availability", "bookings", "revenue", "holds", "invoices"):
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
    # and the Merkle tree's, and the waitlists' and the invoices' process managers'
    assert lags.keys() == {"availability", "bookings", "revenue", "holds", "invoices",
                           "merkle", "waitlist_offers", "invoice_settlements"}
    assert [lags[name] for name in ("availability", "bookings", "revenue")] == [0, 0, 0]
    assert body == {
        "status": "ok",
        "database": "ok",
        "broker": "eager" if backend.is_eager else "ok",
        "max_lag_events": backend.health_max_lag_events,
        "replicas": [],  # none set up: every read on the primary
    }
