"""Messages to buyers through the API, on both topologies: a booking's confirmation recorded
and sent by the app's own scheduler (embedded) or the workers (distributed), sent again on
request within its bound, an event's messages paged for its organizers, and who may do either."""

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.fixtures.api import Caller, assert_error, future

MakeEvent = Callable[..., dict[str, Any]]
RESENDS = 2


@pytest.fixture
def quick_mail(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The embedded scheduler's mail tick frequent, its outbox the test's, resends bounded low.
    Asked before the client."""
    monkeypatch.setenv("MAIL_INTERVAL_SECONDS", "0.1")
    monkeypatch.setenv("MAIL_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("MAIL_RESENDS_PER_HOUR", str(RESENDS))


def messages_of(client: TestClient, who: Caller, event_id: str, **params: Any) -> Any:
    return client.get(f"/api/events/{event_id}/messages", headers=who.headers, params=params)


def wait_sent(client: TestClient, who: Caller, event_id: str, count: int) -> list[Any]:
    """The event's messages once `count` of them are sent."""
    deadline = time.monotonic() + 30
    while True:
        items: list[Any] = messages_of(client, who, event_id).json()["items"]
        if sum(m["status"] == "sent" for m in items) >= count:
            return items
        assert time.monotonic() < deadline, f"not sent in time: {items}"
        time.sleep(0.1)


def test_a_booking_is_confirmed_by_mail_and_sent_again_on_request(
    quick_mail: None, client: TestClient, admin: Caller, alice: Caller,
    make_event: MakeEvent, book: Callable[..., Any],
) -> None:
    event_id = make_event(name="Jazz night")["id"]
    booking = book(alice, event_id, quantity=2).json()

    (first,) = wait_sent(client, admin, event_id, 1)
    assert (first["kind"], first["recipient_email"], first["booking_id"], first["resend"]) == (
        "booking_confirmed", "alice@example.com", booking["id"], 0)
    assert first["attempts"] == 1 and first["last_error"] is None and first["sent_at"]
    assert "data" not in first and booking["tickets"][0]["code"] not in str(first)

    again = client.post(f"/api/bookings/{booking['id']}/resend-email", headers=alice.headers)
    assert again.status_code == 202, again.text
    assert (again.json()["status"], again.json()["resend"]) == ("queued", 1)
    sent = wait_sent(client, admin, event_id, 2)
    assert [m["resend"] for m in sent] == [1, 0]  # newest first


def test_resends_are_bounded_per_booking_within_the_hour(
    quick_mail: None, client: TestClient, alice: Caller, make_event: MakeEvent,
    book: Callable[..., Any],
) -> None:
    url = f"/api/bookings/{book(alice, make_event()['id']).json()['id']}/resend-email"
    for number in range(1, RESENDS + 1):
        answer = client.post(url, headers=alice.headers)
        assert answer.status_code == 202 and answer.json()["resend"] == number
    refused = client.post(url, headers=alice.headers)
    assert_error(refused, 429, "TOO_MANY_RESENDS")
    assert 0 < int(refused.headers["Retry-After"]) <= 3600


def test_who_may_send_again_and_read_an_events_messages(
    quick_mail: None, client: TestClient, admin: Caller, alice: Caller, bob: Caller,
    auditor: Caller, organizer: Callable[[str], Caller], book: Callable[..., Any],
) -> None:
    ann, ben = organizer("Ann"), organizer("Ben")
    made = client.post("/api/events", headers=ann.headers, json={
        "name": "Gig", "starts_at": future(), "total_seats": 9, "price": "10.00"})
    event_id = made.json()["id"]
    booking = book(alice, event_id).json()["id"]
    url = f"/api/bookings/{booking}/resend-email"

    assert client.post(url, headers=ann.headers).status_code == 202  # its event's organizer
    assert client.post(url, headers=admin.headers).status_code == 202
    for stranger in (bob, ben):  # as for an unknown booking
        assert_error(client.post(url, headers=stranger.headers), 404, "BOOKING_NOT_FOUND")
    assert_error(client.post(url, headers=auditor.headers), 403, "FORBIDDEN")
    assert_error(client.post("/api/bookings/00000000-0000-4000-8000-000000000000/resend-email",
                             headers=admin.headers), 404, "BOOKING_NOT_FOUND")

    assert messages_of(client, ann, event_id).status_code == 200
    assert_error(messages_of(client, ben, event_id), 404, "EVENT_NOT_FOUND")
    for reader in (alice, auditor):
        assert_error(messages_of(client, reader, event_id), 403, "FORBIDDEN")
    assert_error(messages_of(client, admin, "00000000-0000-4000-8000-000000000000"), 404,
                 "EVENT_NOT_FOUND")
    assert_error(messages_of(client, admin, event_id, cursor="nonsense"), 422)

    cancelled = client.post(f"/api/bookings/{booking}/cancel", headers=alice.headers, json={})
    assert cancelled.status_code == 200, cancelled.text
    assert_error(client.post(url, headers=alice.headers), 400, "ALREADY_CANCELLED")


def test_an_events_messages_are_paged_newest_first(
    quick_mail: None, client: TestClient, admin: Caller, alice: Caller, bob: Caller,
    make_event: MakeEvent, book: Callable[..., Any],
) -> None:
    event_id = make_event()["id"]
    for who in (alice, bob, alice):
        assert book(who, event_id).status_code == 201
    everything = wait_sent(client, admin, event_id, 3)

    first = messages_of(client, admin, event_id, limit=2).json()
    rest = messages_of(client, admin, event_id, limit=2, cursor=first["next_cursor"]).json()
    assert [m["id"] for m in first["items"] + rest["items"]] == [m["id"] for m in everything]
    assert rest["next_cursor"] is None
