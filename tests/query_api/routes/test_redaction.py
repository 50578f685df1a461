"""Ticket codes open doors: audit views and exports show their digests, for every reader; the
owner's booking views and the organizers' check-in paths keep the codes (both backends)."""

import json
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from commands.domain.chain import digest
from tests.fixtures.api import Caller, assert_error
from tests.support.verify_runs import verified


def booked_and_checked_in(
    client: TestClient, admin: Caller, alice: Caller, bob: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> tuple[str, dict[str, Any], list[str]]:
    """An event, Alice's booking of 2 and Bob's of 1, one of Alice's checked in; all codes."""
    event_id = str(make_event(total_seats=10)["id"])
    mine = book(alice, event_id, 2).json()
    theirs = book(bob, event_id, 1).json()
    codes = [t["code"] for b in (mine, theirs) for t in b["tickets"]]
    assert len(set(codes)) == 3
    checked = client.post(f"/api/tickets/{codes[0]}/check-in", headers=admin.headers)
    assert checked.status_code == 200, checked.text
    return event_id, mine, codes


def audit_texts(client: TestClient, who: Caller, event_id: str) -> dict[str, str]:
    """Every audit answer about the event, as text: history, states, log, export, a verify
run."""
    base = f"/api/audit/events/{event_id}"
    asked: dict[str, tuple[str, dict[str, Any]]] = {
        "history": (f"{base}/history", {}),
        "state now": (f"{base}/state", {"version": 99}),
        "state before check-in": (f"{base}/state", {"version": 3}),
        "log": ("/api/audit/log", {"limit": 1000}),
        "export": (f"{base}/export", {}),
    }
    texts = {}
    for name, (url, params) in asked.items():
        response = client.get(url, params=params, headers=who.headers)
        assert response.status_code == 200, (name, response.text)
        texts[name] = response.text
    texts["verify"] = json.dumps(verified(client, who.headers))
    return texts


def test_audit_views_show_digests_never_a_ticket_code(
    client: TestClient, admin: Caller, alice: Caller, bob: Caller, auditor: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> None:
    event_id, _, codes = booked_and_checked_in(client, admin, alice, bob, make_event, book)

    for who in (admin, auditor):
        texts = audit_texts(client, who, event_id)
        leaks = [(name, code) for name, text in texts.items() for code in codes if code in text]
        assert leaks == [], f"ticket codes in audit answers: {leaks}"
        for name in ("history", "log", "export", "state now"):
            assert all(digest(code) in texts[name] for code in codes), name

    items = client.get(f"/api/audit/events/{event_id}/history", headers=auditor.headers).json()
    booked, checked_in = items["items"][1], items["items"][3]
    assert booked["payload"]["ticket_codes"] == [digest(c) for c in codes[:2]]
    assert checked_in["payload"]["code"] == digest(codes[0])
    assert {i["form"] for i in items["items"]} == {2}
    state = client.get(f"/api/audit/events/{event_id}/state", params={"version": 99},
                       headers=auditor.headers).json()
    assert state["bookings"][0]["tickets"] == [
        {"code": digest(codes[0]), "status": "used", "category": "General"},
        {"code": digest(codes[1]), "status": "active", "category": "General"}]


def test_owners_and_the_check_in_desk_keep_the_codes_an_auditor_sees_digests(
    client: TestClient, admin: Caller, alice: Caller, bob: Caller, auditor: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> None:
    event_id, mine, codes = booked_and_checked_in(client, admin, alice, bob, make_event, book)

    def tickets(who: Caller, url: str) -> list[str]:
        response = client.get(url, headers=who.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        return [t["code"] for b in body.get("items", [body]) for t in b["tickets"]]

    assert tickets(alice, f"/api/bookings/{mine['id']}") == codes[:2]
    assert sorted(tickets(alice, f"/api/users/{alice.id}/bookings")) == sorted(codes[:2])
    assert sorted(tickets(admin, f"/api/events/{event_id}/bookings")) == sorted(codes)
    assert tickets(auditor, f"/api/bookings/{mine['id']}") == [digest(c) for c in codes[:2]]

    door = client.post(f"/api/tickets/{codes[2]}/check-in", headers=admin.headers)
    assert door.status_code == 200 and door.json()["code"] == codes[2]
    assert_error(client.post(f"/api/tickets/{codes[2]}/check-in", headers=admin.headers),
                 400, "TICKET_ALREADY_USED")
    assert_error(client.post(f"/api/tickets/{digest(codes[1])}/check-in",
                             headers=admin.headers), 422)  # a digest opens no door
