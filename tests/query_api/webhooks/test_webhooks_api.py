"""Webhooks through the API: who may register them for which events, the secret shown once,
the address guard and its setting, real bookings delivered signed to a local receiver by the
app's own scheduler, the delivery log, replay and deactivation."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from standardwebhooks import Webhook

from tests.fixtures.api import Caller, assert_error, future
from tests.support.webhook_receiver import Receiver

ALL = ["booking.created", "booking.cancelled", "event.created", "event.updated",
       "event.cancelled", "event.completed", "ticket.checked_in", "hold.created",
       "hold.confirmed", "hold.released", "hold.expired", "waitlist.joined", "waitlist.left",
       "order.paid", "order.refunded", "payment.failed", "waitlist.offered"]


def create_event(client: TestClient, who: Caller) -> dict[str, Any]:
    r = client.post("/api/events", headers=who.headers, json={
        "name": "Gig", "starts_at": future(), "total_seats": 20, "price": "10.00"})
    assert r.status_code == 201, r.text
    return dict(r.json())


def register(client: TestClient, who: Caller, url: str, **body: Any) -> Any:
    return client.post("/api/webhooks", headers=who.headers,
                       json={"url": url, "event_types": ["booking.created"]} | body)


def test_a_private_or_loopback_address_is_refused_by_default(
    client: TestClient, admin: Caller,
) -> None:
    for url in ("http://127.0.0.1:9/hook", "http://localhost/hook", "http://10.1.2.3/",
                "http://[::1]:8080/", "http://169.254.169.254/latest/meta-data",
                "http://[::ffff:192.168.0.1]/", "http://0.0.0.0/", "https://224.0.0.1/"):
        assert_error(register(client, admin, url), 422, "WEBHOOK_ADDRESS_REFUSED")
    for url in ("ftp://example.com/", "http:///nohost", "https://user:pw@example.com/",
                "javascript:alert(1)"):
        assert_error(register(client, admin, url), 422, "WEBHOOK_URL_INVALID")
    assert client.get("/api/webhooks", headers=admin.headers).json()["items"] == []


def test_the_setting_allows_a_loopback_address(
    allow_private: None, client: TestClient, admin: Caller, receiver: Receiver,
) -> None:
    r = register(client, admin, receiver.url)
    assert r.status_code == 201, r.text


def test_registering_answers_the_secret_once_and_reads_never_show_it(
    allow_private: None, client: TestClient, admin: Caller, receiver: Receiver,
) -> None:
    r = register(client, admin, receiver.url, event_types=["booking.created", "event.created"],
                 description="orders feed")
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["secret"].startswith("whsec_")
    Webhook(created["secret"])  # the format standardwebhooks reads
    assert (created["url"], created["event_id"], created["active"]) == (
        receiver.url, None, True)
    assert created["event_types"] == ["booking.created", "event.created"]
    one = client.get(f"/api/webhooks/{created['id']}", headers=admin.headers)
    listed = client.get("/api/webhooks", headers=admin.headers).json()["items"]
    assert one.status_code == 200 and "secret" not in one.json()
    assert [w["id"] for w in listed] == [created["id"]] and "secret" not in listed[0]
    assert created["secret"] not in one.text + str(listed)


def test_unknown_event_types_are_refused_with_the_known_ones_named(
    allow_private: None, client: TestClient, admin: Caller, receiver: Receiver,
) -> None:
    body = assert_error(register(client, admin, receiver.url,
                                 event_types=["booking.created", "booking.exploded"]),
                        422, "WEBHOOK_EVENT_TYPE_UNKNOWN")
    assert "booking.exploded" in body["message"] and "waitlist.offered" in body["message"]
    assert register(client, admin, receiver.url, event_types=ALL).status_code == 201


def test_the_event_types_listed_are_the_ones_registration_takes(
    allow_private: None, client: TestClient, admin: Caller, alice: Caller, receiver: Receiver,
) -> None:
    r = client.get("/api/webhooks/event-types", headers=alice.headers)
    assert r.status_code == 200, r.text
    listed = r.json()["items"]
    assert set(ALL) <= set(listed) and len(listed) == len(set(listed))
    assert register(client, admin, receiver.url, event_types=listed).status_code == 201
    assert client.get("/api/webhooks/event-types").status_code == 401


def test_organizers_register_for_the_events_they_run_only_and_customers_not_at_all(
    allow_private: None, client: TestClient, admin: Caller, alice: Caller, receiver: Receiver,
    organizer: Callable[[str], Caller],
) -> None:
    ann, ben = organizer("Ann"), organizer("Ben")
    anns = create_event(client, ann)["id"]
    assert_error(register(client, ben, receiver.url, event_id=anns), 403,
                 "NOT_EVENT_ORGANIZER")
    assert_error(register(client, ann, receiver.url), 422, "WEBHOOK_EVENT_REQUIRED")
    assert_error(register(client, alice, receiver.url, event_id=anns), 403, "FORBIDDEN")
    # A customer registers none, yet lists their own: an owner demoted to customer keeps them.
    assert client.get("/api/webhooks", headers=alice.headers).json()["items"] == []
    assert_error(register(client, ann, receiver.url,
                          event_id="00000000-0000-4000-8000-000000000000"), 404,
                 "EVENT_NOT_FOUND")

    mine = register(client, ann, receiver.url, event_id=anns)
    by_admin = register(client, admin, receiver.url, event_id=anns)
    assert mine.status_code == by_admin.status_code == 201
    hook = mine.json()["id"]
    assert [w["id"] for w in client.get("/api/webhooks", headers=ann.headers).json()["items"]
            ] == [hook]
    assert len(client.get("/api/webhooks", headers=admin.headers).json()["items"]) == 2
    for path in (f"/api/webhooks/{hook}", f"/api/webhooks/{hook}/deliveries"):
        assert_error(client.get(path, headers=ben.headers), 404, "WEBHOOK_NOT_FOUND")
        assert client.get(path, headers=admin.headers).status_code == 200
    assert_error(client.delete(f"/api/webhooks/{hook}", headers=ben.headers), 404,
                 "WEBHOOK_NOT_FOUND")


def test_bookings_are_delivered_signed_logged_replayed_and_stop_once_deactivated(
    allow_private: None, client: TestClient, admin: Caller, alice: Caller, receiver: Receiver,
    organizer: Callable[[str], Caller], book: Callable[..., Any],
) -> None:
    ann = organizer("Ann")
    event_id = create_event(client, ann)["id"]
    created = register(client, ann, receiver.url, event_id=event_id,
                       event_types=["booking.created", "booking.cancelled"]).json()
    receiver.secret = created["secret"]
    hook = created["id"]
    first = book(alice, event_id, quantity=2).json()
    second = book(alice, event_id).json()
    cancelled = client.delete(f"/api/bookings/{first['id']}", headers=alice.headers)
    assert cancelled.status_code == 200, cancelled.text

    got = receiver.wait_for(3)  # sent by the app's own scheduler

    assert receiver.bad_signatures == []
    assert [(r.document["type"], r.document["data"]["booking_id"]) for r in got] == [
        ("booking.created", first["id"]), ("booking.created", second["id"]),
        ("booking.cancelled", first["id"])]
    assert all(t["code"] not in got[0].body.decode() for t in first["tickets"])
    log = client.get(f"/api/webhooks/{hook}/deliveries", headers=ann.headers,
                     params={"limit": 2}).json()
    assert [(d["event_type"], d["status"], d["attempts"], d["last_status_code"])
            for d in log["items"]] == [("booking.cancelled", "delivered", 1, 204),
                                       ("booking.created", "delivered", 1, 204)]
    rest = client.get(f"/api/webhooks/{hook}/deliveries", headers=ann.headers,
                      params={"cursor": log["next_cursor"]}).json()
    assert [d["position"] for d in rest["items"]] == [got[0].position]
    assert rest["next_cursor"] is None

    replay = client.post(f"/api/webhooks/{hook}/replay", headers=ann.headers,
                         json={"from_position": got[1].position})
    assert replay.status_code == 200 and replay.json() == {"replayed": 2}
    again = receiver.wait_for(5)[3:]
    assert [r.position for r in again] == [got[1].position, got[2].position]
    assert [r.headers["webhook-id"] for r in again] == [r.headers["webhook-id"] for r in got[1:]]

    gone = client.delete(f"/api/webhooks/{hook}", headers=ann.headers)
    assert gone.status_code == 200 and gone.json()["active"] is False
    assert_error(client.post(f"/api/webhooks/{hook}/replay", headers=ann.headers,
                             json={"from_position": 0}), 404, "WEBHOOK_NOT_FOUND")
    book(alice, event_id)
    receiver.wait_for(5)
    assert len(receiver.received) == 5


@pytest.mark.parametrize("cursor", ["not-a-cursor", "WyJ4Il0"])  # the second: ["x"]
def test_a_bad_delivery_cursor_is_refused(
    allow_private: None, client: TestClient, admin: Caller, receiver: Receiver, cursor: str,
) -> None:
    hook = register(client, admin, receiver.url).json()["id"]
    assert_error(client.get(f"/api/webhooks/{hook}/deliveries", headers=admin.headers,
                            params={"cursor": cursor}), 422, "INVALID_CURSOR")
