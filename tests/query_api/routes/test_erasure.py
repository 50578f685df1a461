"""Erasure through HTTP, on both backends: a buyer deletes their account (their password typed
again); afterwards no read model, export, box office, audit view or time travel names them,
their account opens nothing, `verify`, a rebuild and the offline verifier pass, and revenue and
seat counts are what they were. An organizer erased by an admin: the events they organize or
co-organize, or are invited to, name them "erased" everywhere, messages and webhook bodies kept
included, while every proof holds. Who
may erase whom, and the refusals, with their codes."""

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import get_engine
from core.settings import ROOT
from tests.fixtures.api import Caller, assert_error, future
from tests.query_api.routes.waiting import wait_rebuilt
from tests.support.verify_runs import verified
from tests.support.waiting import eventually
from tests.support.webhook_receiver import Receiver
from workers.mail.tables import MailMessage
from workers.webhooks.tables import WebhookDelivery

NAME = "Quintessa"  # signed up as quintessa@example.com
EMAIL = "quintessa@example.com"
ORGANIZER = "Ottoline"  # signed up as ottoline@example.com


def reads(client: TestClient, event_id: str, booking_id: str, who: dict[str, str],
          auditor: dict[str, str]) -> dict[str, str]:
    """Every read that may name a buyer, as text, by what it is."""
    stream = client.get(f"/api/audit/events/{event_id}/history", headers=auditor).json()
    version = stream["items"][-1]["version"]
    return {
        "bookings": client.get(f"/api/events/{event_id}/bookings", headers=who).text,
        "booking": client.get(f"/api/bookings/{booking_id}", headers=who).text,
        "attendees": client.get(f"/api/events/{event_id}/attendees", headers=who).text,
        "attendees.csv": client.get(f"/api/events/{event_id}/attendees.csv", headers=who).text,
        "box office": client.get(f"/api/events/{event_id}/box-office", headers=who).text,
        "holds": client.get(f"/api/events/{event_id}/holds", headers=who).text,
        "history": str(stream),
        "log": client.get("/api/audit/log", params={"limit": 1000}, headers=auditor).text,
        "time travel": client.get(f"/api/audit/events/{event_id}/state",
                                  params={"version": version}, headers=auditor).text,
        "export": client.get(f"/api/audit/events/{event_id}/export", headers=auditor).text,
        "stats": client.get("/api/admin/stats", headers=who).text,
    }


def counts(client: TestClient, event_id: str, admin: dict[str, str]) -> Any:
    """Seats sold and left per category, and the money, as the reads say."""
    event = client.get(f"/api/events/{event_id}").json()
    office = client.get(f"/api/events/{event_id}/box-office", headers=admin).json()
    return ([(c["name"], c["sold"], c["available"]) for c in event["categories"]],
            office["money"])


def test_a_buyer_deletes_their_account_and_nothing_names_them_while_every_proof_holds(
    client: TestClient, admin: Caller, auditor: Caller, signup: Callable[[str], Caller],
    organizer: Callable[[str], Caller], tmp_path: Path,
) -> None:
    buyer, other, olga = signup(NAME), signup("Bob"), organizer("Olga")
    event = client.post("/api/events", headers=olga.headers, json={
        "name": "Blue Note Night", "venue": "Blue Note", "starts_at": future(),
        "categories": [{"name": "Stalls", "price": "10.00", "capacity": 20}]}).json()
    event_id = event["id"]
    booked = client.post(f"/api/events/{event_id}/book", json={"quantity": 2},
                         headers=buyer.headers)
    assert booked.status_code == 201, booked.text
    booking_id = booked.json()["id"]
    assert client.post(f"/api/events/{event_id}/book", json={"quantity": 1},
                       headers=other.headers).status_code == 201
    held = client.post(f"/api/events/{event_id}/holds", json={"quantity": 1},
                       headers=buyer.headers)
    assert held.status_code == 201, held.text
    before = reads(client, event_id, booking_id, admin.headers, auditor.headers)
    assert NAME in before["bookings"] and NAME in before["attendees"]
    assert NAME in before["time travel"] and EMAIL in before["attendees"]
    sold_before = counts(client, event_id, admin.headers)

    assert_error(client.post(f"/api/users/{buyer.id}/erasure", headers=olga.headers), 403)
    assert_error(client.request("DELETE", "/api/users/me", headers=buyer.headers,
                                json={"password": "not-it"}), 403, "WRONG_PASSWORD")
    erased = client.request("DELETE", "/api/users/me", headers=buyer.headers,
                            json={"password": "password-123"})
    assert erased.status_code == 200, erased.text
    assert erased.json() | {"erased_at": None, "position": None} == {
        "person_id": str(buyer.id), "by": str(buyer.id), "reason": "asked_by_them",
        "erased_at": None, "position": None}

    assert_error(client.get("/api/users/me", headers=buyer.headers), 401)
    assert_error(client.post("/api/auth/token", data={"username": EMAIL,
                                                      "password": "password-123"}), 401)
    assert_error(client.post(f"/api/users/{buyer.id}/erasure", headers=admin.headers),
                 409, "PERSON_ALREADY_ERASED")
    assert_error(client.post(f"/api/users/{uuid4()}/erasure", headers=admin.headers),
                 404, "PERSON_NOT_FOUND")

    after = reads(client, event_id, booking_id, admin.headers, auditor.headers)
    for what, text in after.items():
        assert NAME not in text and EMAIL not in text, (what, text[:2000])
    assert "erased" in after["bookings"] and "erased" in after["time travel"]
    assert "PersonErased" in after["log"]
    assert counts(client, event_id, admin.headers) == (
        [("Stalls", 3, 17)], sold_before[1])  # the hold released, nothing else moved
    assert sold_before[0] == [("Stalls", 3, 16)]

    run = verified(client, auditor.headers)
    assert (run["ok"], run["problems"]) == (True, 0), run
    for name in ("bookings", "holds"):
        started = client.post(f"/api/projections/{name}/rebuild", headers=admin.headers)
        assert started.status_code == 202, started.text
        wait_rebuilt(client, auditor, name, started.json()["rebuild"]["started_at"])
    rebuilt = reads(client, event_id, booking_id, admin.headers, auditor.headers)
    for what, text in rebuilt.items():
        assert NAME not in text and EMAIL not in text, (what, text[:2000])
    assert counts(client, event_id, admin.headers) == ([("Stalls", 3, 17)], sold_before[1])
    export = tmp_path / "export.jsonl"
    export.write_text(rebuilt["export"], encoding="utf-8")
    offline = subprocess.run([sys.executable, "-I", str(ROOT / "tools" / "verify_export.py"),  # noqa: S603
                              str(export)], capture_output=True, text=True, check=False)
    assert offline.returncode == 0 and offline.stdout.startswith("OK"), offline.stdout
    assert verified(client, auditor.headers)["ok"]


def test_an_admin_erases_a_person_whose_unpaid_order_is_settled_first(
    client: TestClient, admin: Caller, signup: Callable[[str], Caller],
    organizer: Callable[[str], Caller],
) -> None:
    buyer, olga = signup(NAME), organizer("Olga")
    event_id = client.post("/api/events", headers=olga.headers, json={
        "name": "Blue Note Night", "starts_at": future(), "payment_methods": ["offline"],
        "categories": [{"name": "Stalls", "price": "10.00", "capacity": 20}]}).json()["id"]
    held = client.post(f"/api/events/{event_id}/holds", json={"quantity": 1},
                       headers=buyer.headers).json()
    owed = client.post(f"/api/holds/{held['id']}/payment", headers=buyer.headers,
                       json={"method": "offline"})
    assert owed.status_code == 201, owed.text
    assert owed.json()["status"] == "awaiting_payment"
    booking_id = owed.json()["booking_id"]
    refused = assert_error(client.post(f"/api/users/{buyer.id}/erasure",
                                       headers=admin.headers), 409, "PERSON_HAS_UNPAID_ORDERS")
    assert refused["bookings"] == [booking_id]
    cancelled = client.delete(f"/api/bookings/{booking_id}", headers=buyer.headers)
    assert cancelled.status_code == 200, cancelled.text
    done = client.post(f"/api/users/{buyer.id}/erasure", headers=admin.headers)
    assert done.status_code == 200, done.text
    assert (done.json()["by"], done.json()["reason"]) == (str(admin.id), "asked_of_admin")


def test_an_erased_auditor_is_named_by_no_verify_run_they_started(
    client: TestClient, admin: Caller, auditor: Caller,
) -> None:
    run = verified(client, auditor.headers)
    assert run["started_by"] == "audra@example.com"
    done = client.post(f"/api/users/{auditor.id}/erasure", headers=admin.headers)
    assert done.status_code == 200, done.text
    runs = client.get("/api/audit/verify-runs", headers=admin.headers)
    assert runs.status_code == 200, runs.text
    assert "audra@example.com" not in runs.text
    assert [r["started_by"] for r in runs.json()["items"] if r["id"] == run["id"]] == ["erased"]


@pytest.fixture
def sending_quickly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Messages and webhooks sent by the app's own scheduler often, to a local receiver: set
    before the app starts (asked before `client`)."""
    monkeypatch.setenv("MAIL_INTERVAL_SECONDS", "0.1")
    monkeypatch.setenv("MAIL_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("WEBHOOK_INTERVAL_SECONDS", "0.1")
    monkeypatch.setenv("WEBHOOK_ALLOW_PRIVATE", "true")


def organizer_reads(client: TestClient, event_ids: list[str], organizer_id: str,
                    admin: dict[str, str], auditor: dict[str, str]) -> dict[str, str]:
    """Every read that may name an event's organizer, as text, by what it is."""
    found = {"list": client.get("/api/events", params={"organizer": organizer_id,
                                                        "status": "all"}).text,
             "profile": client.get(f"/api/organizers/{organizer_id}").text,
             "stats": client.get("/api/admin/stats", headers=admin).text,
             "log": client.get("/api/audit/log", params={"limit": 1000}, headers=auditor).text}
    for event_id in event_ids:
        stream = client.get(f"/api/audit/events/{event_id}/history", headers=auditor).json()
        found |= {
            f"event {event_id}": client.get(f"/api/events/{event_id}").text,
            f"organizers {event_id}": client.get(f"/api/events/{event_id}/organizers",
                                                 headers=admin).text,
            f"history {event_id}": str(stream),
            f"time travel {event_id}": client.get(
                f"/api/audit/events/{event_id}/state",
                params={"version": stream["items"][-1]["version"]}, headers=auditor).text,
            f"export {event_id}": client.get(f"/api/audit/events/{event_id}/export",
                                             headers=auditor).text,
        }
    return found


def kept_copies(event_id: str) -> tuple[list[str], list[str]]:
    """The messages about the event and every webhook body in the delivery log, as stored."""
    with Session(get_engine()) as session:
        messages = session.scalars(select(MailMessage.data).where(
            MailMessage.event_id == UUID(event_id))).all()
        bodies = session.scalars(select(WebhookDelivery.payload)).all()
    return list(messages), list(bodies)


def run_by(client: TestClient, ottoline: Caller, admin: Caller, olga: Caller,
           buyer: Caller) -> list[str]:
    """Four events naming Ottoline: one she created (with a booking, so a message), one an
    admin handed her, one of Olga's she co-organizes, one of Olga's she is invited to."""
    own = client.post("/api/events", headers=ottoline.headers, json={
        "name": "Blue Note Night", "starts_at": future(),
        "categories": [{"name": "Stalls", "price": "10.00", "capacity": 20}]}).json()
    handed = client.post("/api/events", headers=admin.headers, json={
        "name": "Matinee", "starts_at": future(), "total_seats": 10}).json()
    transferred = client.post(f"/api/events/{handed['id']}/transfer", headers=admin.headers,
                              json={"organizer_id": str(ottoline.id)})
    assert transferred.status_code == 200, transferred.text
    assert client.post(f"/api/events/{own['id']}/book", json={"quantity": 2},
                       headers=buyer.headers).status_code == 201
    shared, invited = (client.post("/api/events", headers=olga.headers, json={
        "name": name, "starts_at": future(), "total_seats": 10}).json() for name in "AB")
    for event in (shared, invited):
        assert client.post(f"/api/events/{event['id']}/organizers", headers=olga.headers,
                           json={"user_id": str(ottoline.id)}).status_code == 201
    assert client.post(f"/api/events/{shared['id']}/organizers/{ottoline.id}/accept",
                       headers=ottoline.headers).status_code == 200
    return [own["id"], handed["id"], shared["id"], invited["id"]]


def test_an_admin_erases_an_organizer_and_their_events_name_them_erased_while_proofs_hold(
    sending_quickly: None, receiver: Receiver, client: TestClient, admin: Caller,
    auditor: Caller, signup: Callable[[str], Caller], organizer: Callable[[str], Caller],
    tmp_path: Path,
) -> None:
    hook = client.post("/api/webhooks", headers=admin.headers,
                       json={"url": receiver.url, "event_types": ["event.created"]})
    assert hook.status_code == 201, hook.text
    receiver.secret = hook.json()["secret"]
    ottoline = organizer(ORGANIZER)
    events = run_by(client, ottoline, admin, organizer("Olga"), signup("Bob"))
    own, shared, invited = ({"id": e} for e in (events[0], events[2], events[3]))
    # Sent in the clear to its receivers, opened: the sealed form is the log's alone.
    sent = {r.document["data"]["event_id"]: r.document["data"]
            for r in receiver.wait_for(4)}
    assert sent[own["id"]]["organizer_name"] == ORGANIZER
    eventually(lambda: any(ORGANIZER in m for m in kept_copies(own["id"])[0]), timeout=30)
    assert any(ORGANIZER in b for b in kept_copies(own["id"])[1])
    before = organizer_reads(client, events, str(ottoline.id), admin.headers, auditor.headers)
    assert all(ORGANIZER in before[f"event {e}"] for e in events[:3])
    assert ORGANIZER in before[f"organizers {invited['id']}"]
    assert str(ottoline.id) in {o["id"] for o in client.get(
        "/api/organizers", params={"limit": 100}).json()["items"]}
    assert ORGANIZER in before["time travel " + own["id"]]

    erased = client.post(f"/api/users/{ottoline.id}/erasure", headers=admin.headers)
    assert erased.status_code == 200, erased.text

    after = organizer_reads(client, events, str(ottoline.id), admin.headers, auditor.headers)
    for what, found in after.items():
        assert ORGANIZER not in found, (what, found[:2000])
    listed = client.get("/api/events", params={"organizer": str(ottoline.id), "status": "all"})
    assert [e["organizer_name"] for e in listed.json()["items"]] == ["erased", "erased"]
    for event_id in events[:2]:
        assert client.get(f"/api/events/{event_id}").json()["organizer_name"] == "erased"
    named = client.get(f"/api/events/{shared['id']}/organizers", headers=admin.headers).json()
    assert (named["organizer_name"], named["co_organizers"]) == (
        "Olga", [{"id": str(ottoline.id), "name": "erased"}])
    named = client.get(f"/api/events/{invited['id']}/organizers", headers=admin.headers).json()
    assert named["invited_co_organizers"] == [{"id": str(ottoline.id), "name": "erased"}]
    assert json.loads(after[f"time travel {own['id']}"])["organizer_name"] == "erased"
    messages, bodies = kept_copies(own["id"])
    assert messages and bodies and ORGANIZER not in str((messages, bodies))
    # An erased organizer is nobody an event can be handed to again, nor offered to pick.
    for who in (None, admin.headers):
        listed = client.get("/api/organizers", params={"limit": 100}, headers=who).json()
        assert str(ottoline.id) not in {o["id"] for o in listed["items"]}
    assert_error(client.post(f"/api/events/{own['id']}/transfer", headers=admin.headers,
                             json={"organizer_id": str(ottoline.id)}), 400, "NOT_AN_ORGANIZER")

    run = verified(client, auditor.headers)
    assert (run["ok"], run["problems"]) == (True, 0), run
    started = client.post("/api/projections/availability/rebuild", headers=admin.headers)
    assert started.status_code == 202, started.text
    wait_rebuilt(client, auditor, "availability", started.json()["rebuild"]["started_at"])
    rebuilt = organizer_reads(client, events, str(ottoline.id), admin.headers, auditor.headers)
    for what, found in rebuilt.items():
        assert ORGANIZER not in found, (what, found[:2000])
    assert client.get(f"/api/events/{own['id']}").json()["organizer_name"] == "erased"
    assert client.get(f"/api/events/{shared['id']}").json()["co_organizers"] == [
        {"id": str(ottoline.id), "name": "erased"}]
    export = tmp_path / "export.jsonl"
    export.write_text(rebuilt[f"export {own['id']}"], encoding="utf-8")
    offline = subprocess.run([sys.executable, "-I", str(ROOT / "tools" / "verify_export.py"),  # noqa: S603
                              str(export)], capture_output=True, text=True, check=False)
    assert offline.returncode == 0 and offline.stdout.startswith("OK"), offline.stdout
