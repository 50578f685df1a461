"""An erased person has no e-mail address in any answer, on both backends: their account's
row keeps a made-up one for the users table's uniqueness (`core.erased_address`), and the
users list, a role change's answer, attendees (JSON and CSV), the event's messages and the
admin's copy of their data all show none, searches never match it, and no message is
addressed to it again."""

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from core.erased_address import ERASED_DOMAIN, erased_address, shown_email
from tests.fixtures.api import Caller, assert_error

MakeEvent = Callable[..., dict[str, Any]]


@pytest.fixture
def quick_mail(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The embedded scheduler's mail tick frequent, its outbox the test's. Asked before the
    client."""
    monkeypatch.setenv("MAIL_INTERVAL_SECONDS", "0.1")
    monkeypatch.setenv("MAIL_OUTBOX_DIR", str(tmp_path / "outbox"))


def messages(client: TestClient, admin: Caller, event_id: str,
             until: Callable[[list[Any]], bool]) -> list[Any]:
    """The event's messages once `until` holds of them."""
    deadline = time.monotonic() + 30
    while True:
        items: list[Any] = client.get(f"/api/events/{event_id}/messages",
                                      headers=admin.headers).json()["items"]
        if until(items):
            return items
        assert time.monotonic() < deadline, f"not there in time: {items}"
        time.sleep(0.1)


def test_no_answer_shows_the_address_an_erased_persons_row_keeps(
    quick_mail: None, client: TestClient, admin: Caller, alice: Caller, bob: Caller,
    make_event: MakeEvent, book: Callable[..., Any],
) -> None:
    event_id = make_event()["id"]
    booking_id = book(alice, event_id, quantity=2).json()["id"]
    assert book(bob, event_id).status_code == 201
    messages(client, admin, event_id, lambda items: len(items) == 2)
    erased = client.post(f"/api/users/{alice.id}/erasure", headers=admin.headers)
    assert erased.status_code == 200, erased.text

    listed = client.get("/api/users", headers=admin.headers, params={"limit": 100}).json()
    (row,) = [u for u in listed["items"] if u["id"] == str(alice.id)]
    assert (row["email"], row["name"]) == (None, "erased")
    assert all(u["email"] for u in listed["items"] if u is not row)
    # A search never matches the made-up address (it starts with the id's hex).
    for q in (alice.id.hex[:6], "erased.invalid"):
        found = client.get("/api/users", headers=admin.headers, params={"q": q}).json()
        assert found["items"] == [], q
    organizer = client.patch(f"/api/users/{alice.id}", headers=admin.headers,
                             json={"role": "organizer"})
    assert organizer.status_code == 200, organizer.text
    assert (organizer.json()["email"], organizer.json()["name"]) == (None, "erased")

    attendees = client.get(f"/api/events/{event_id}/attendees", headers=admin.headers).json()
    assert sorted((a["name"], a["email"]) for a in attendees["items"]) == [
        ("Bob", "bob@example.com"), ("erased", None), ("erased", None)]
    searched = client.get(f"/api/events/{event_id}/attendees", headers=admin.headers,
                          params={"q": ERASED_DOMAIN}).json()
    assert searched["items"] == []
    csv = client.get(f"/api/events/{event_id}/attendees.csv", headers=admin.headers).text
    assert csv.count("erased,,") == 2 and ERASED_DOMAIN not in csv

    sent = messages(client, admin, event_id, lambda items: len(items) == 2)
    assert sorted((m["recipient_name"], m["recipient_email"]) for m in sent) == [
        ("Bob", "bob@example.com"), ("erased", None)]
    data = client.get(f"/api/users/{alice.id}/data", headers=admin.headers)
    assert data.status_code == 200, data.text
    assert (data.json()["account"]["email"], data.json()["account"]["name"]) == (None, "erased")
    assert [m["recipient_email"] for m in data.json()["messages"]] == [None]
    assert ERASED_DOMAIN not in data.text

    # Nothing is addressed to them again: neither a confirmation sent again nor the notice of
    # the event's cancellation, which Bob gets.
    assert_error(client.post(f"/api/bookings/{booking_id}/resend-email",
                             headers=admin.headers), 404, "USER_NOT_FOUND")
    cancelled = client.post(f"/api/events/{event_id}/cancel", headers=admin.headers)
    assert cancelled.status_code == 200, cancelled.text
    after = messages(client, admin, event_id,
                     lambda items: any(m["kind"] == "event_cancelled" for m in items))
    assert [(m["kind"], m["recipient_name"]) for m in after if m["kind"] == "event_cancelled"
            ] == [("event_cancelled", "Bob")]
    everything = client.get(f"/api/events/{event_id}/messages", headers=admin.headers).text
    assert ERASED_DOMAIN not in everything


def test_the_made_up_address_is_unique_undeliverable_and_never_one_to_sign_up_with(
    client: TestClient,
) -> None:
    first, second = uuid4(), uuid4()
    assert erased_address(first) != erased_address(second)
    assert shown_email(erased_address(first)) is None
    assert shown_email("ann@example.com") == "ann@example.com"
    refused = client.post("/api/auth/signup", json={
        "email": erased_address(first), "password": "password-123", "name": "Mallory"})
    assert_error(refused, 422)
