"""Personal data is never stored in the clear: after an organizer creates an event, is made
co-organizer of another and handed it, accepts an invitation to co-organize a third, and a
buyer signs up, holds seats, asks for an invoice, pays through
localstripe, is mailed the confirmation and the invoice, and a snapshot of the event is taken,
the buyer's name and e-mail address and the organizer's name appear nowhere in the event
store's rows, its snapshots' rows or the app's log records, on both backends; what the buyer
and the organizer read still names them."""

import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import stripe
from fastapi.testclient import TestClient
from sqlalchemy import text

from core.db import get_engine
from tests.fixtures.api import Caller, future
from tests.support.cards import card
from tests.support.stripe_notices import StripeNotices
from tests.support.waiting import eventually

NAME = "Quintessa Marlowe-Dunraven"
EMAIL = "quintessa.dunraven@example.com"
ORGANIZER = "Ottoline-Featherstonehaugh"  # signed up as ottoline-featherstonehaugh@example.com
ADDRESS = "17 Lantern Row, Aldermoor"
SELLER = {"name": "Jazz Nights GmbH", "address": "Torstraße 1\n10119 Berlin", "country": "DE",
          "vat_id": "DE 136 695 976", "email": "billing@jazz.example", "prefix": "JN-"}
# Each backend's event store tables: events, full snapshots, the counts' snapshots.
STORE_TABLES = {"sqlite": ("stored_events", "stored_snapshots", "stored_count_snapshots"),
                "postgresql": ("ledger_events", "ledger_snapshots", "ledger_count_snapshots")}


@pytest.fixture
def paying_and_mailing(stripe_on: StripeNotices, monkeypatch: pytest.MonkeyPatch) -> None:
    """Payments through localstripe, messages sent often, snapshots every 10 events: set
    before the app starts (asked before `client`)."""
    monkeypatch.setenv("MAIL_INTERVAL_SECONDS", "0.1")
    monkeypatch.setenv("SNAPSHOT_INTERVAL", "10")


@pytest.fixture
def every_record(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every log record of every logger, from DEBUG up."""
    with caplog.at_level(logging.DEBUG):
        yield caplog


def stored_rows() -> dict[str, list[bytes]]:
    """Each store table's rows, as stored bytes (topic and state)."""
    engine = get_engine()
    found: dict[str, list[bytes]] = {}
    with engine.connect() as connection:
        for table in STORE_TABLES[engine.dialect.name]:
            rows = connection.execute(text(f"SELECT topic, state FROM {table}")).all()  # noqa: S608 - a fixed name
            found[table] = [topic.encode() + b"\0" + bytes(state) for topic, state in rows]
    return found


def _sent(client: TestClient, headers: dict[str, str], event_id: str) -> set[str]:
    """The kinds of message sent to the buyer about the event."""
    items = client.get(f"/api/events/{event_id}/messages", params={"limit": 100},
                       headers=headers).json()["items"]
    return {m["kind"] for m in items if m["recipient_email"] == EMAIL and m["status"] == "sent"}


def test_a_buyers_name_and_email_are_nowhere_in_the_clear_in_the_store_or_the_logs(
    paying_and_mailing: None, every_record: pytest.LogCaptureFixture, client: TestClient,
    provider: stripe.StripeClient, organizer: Callable[[str], Caller],
    signup: Callable[[str], Caller], admin: Caller,
) -> None:
    seller = organizer(ORGANIZER)
    assert client.post("/api/auth/signup", json={"email": EMAIL, "password": "password-123",
                                                 "name": NAME}).status_code == 201
    token = client.post("/api/auth/token", data={"username": EMAIL, "password": "password-123"})
    buyer = {"Authorization": f"Bearer {token.json()['access_token']}"}
    assert client.put("/api/organizers/me/seller", json=SELLER,
                      headers=seller.headers).status_code == 200
    event = client.post("/api/events", headers=seller.headers, json={
        "name": "Blue Note Night", "venue": "Blue Note", "starts_at": future(),
        "categories": [{"name": "Stalls", "price": "23.80", "capacity": 40},
                       {"name": "Free", "price": "0", "capacity": 40}]}).json()
    handed = client.post("/api/events", headers=admin.headers, json={
        "name": "Matinee", "starts_at": future(), "total_seats": 10}).json()
    assert client.post(f"/api/events/{handed['id']}/organizers", headers=admin.headers,
                       json={"user_id": str(seller.id)}).status_code == 201
    transferred = client.post(f"/api/events/{handed['id']}/transfer", headers=admin.headers,
                              json={"organizer_id": str(seller.id)})
    assert transferred.status_code == 200, transferred.text
    other = organizer("Olga")
    shared = client.post("/api/events", headers=other.headers, json={
        "name": "Shared", "starts_at": future(), "total_seats": 10}).json()
    assert client.post(f"/api/events/{shared['id']}/organizers", headers=other.headers,
                       json={"user_id": str(seller.id)}).status_code == 201
    accepted = client.post(f"/api/events/{shared['id']}/organizers/{seller.id}/accept",
                           headers=seller.headers)
    assert accepted.status_code == 200, accepted.text

    held = client.post(f"/api/events/{event['id']}/holds", json={"quantity": 2,
                                                                "category": "Stalls"},
                       headers=buyer)
    assert held.status_code == 201, held.text
    asked = client.post(f"/api/holds/{held.json()['id']}/invoice", headers=buyer, json={
        "name": NAME, "company": None, "address": ADDRESS, "country": "FR", "vat_id": None})
    assert asked.status_code == 200, asked.text
    paid = client.post(f"/api/holds/{held.json()['id']}/payment",
                       json={"payment_method": card(provider)}, headers=buyer)
    assert paid.status_code == 201, paid.text
    booking_id = paid.json()["booking_id"]
    for _ in range(6):  # the event's stream past a snapshot's interval
        assert client.post(f"/api/events/{event['id']}/book", headers=buyer,
                           json={"quantity": 1, "category": "Free"}).status_code == 201
    for friend in ("Ann", "Ben", "Cat"):
        assert client.post(f"/api/events/{event['id']}/book", headers=signup(friend).headers,
                           json={"quantity": 1, "category": "Free"}).status_code == 201

    # What the buyer and the organizer read names the buyer: the clear text is in the reads.
    mine = client.get(f"/api/bookings/{booking_id}", headers=buyer)
    assert mine.json()["user_name"] == NAME
    invoice = eventually(lambda: _invoices(client, buyer, booking_id), timeout=30)[0]
    assert invoice["buyer"] == NAME
    listed = client.get(f"/api/events/{event['id']}/bookings", headers=seller.headers).json()
    assert NAME in {b["user_name"] for b in listed["items"]}
    assert event["organizer_name"] == transferred.json()["organizer_name"] == ORGANIZER
    assert [o["name"] for o in accepted.json()["co_organizers"]] == [ORGANIZER]
    assert {e["organizer_name"] for e in client.get(
        "/api/events", params={"organizer": str(seller.id)}).json()["items"]} == {ORGANIZER}
    # Mailed: the confirmation and the invoice, to the buyer, by name (sent by the workers).
    eventually(lambda: {"booking_confirmed", "invoice_issued"} <= _sent(
        client, seller.headers, event["id"]), timeout=60)
    eventually(lambda: all(stored_rows()[t] for t in STORE_TABLES[get_engine().dialect.name][1:]),
               timeout=30)  # both kinds of snapshot taken

    clear = [NAME.encode(), EMAIL.encode(), ADDRESS.encode(), b"Quintessa", b"dunraven",
             b"Ottoline", b"Featherstonehaugh"]
    for table, rows in stored_rows().items():
        assert rows, table
        for row in rows:
            assert not [c for c in clear if c.lower() in row.lower()], (table, row[:300])
    logged = "\n".join(_record_text(r) for r in every_record.records)
    assert logged  # the app logs: something is read
    assert NAME not in logged and EMAIL not in logged and "Quintessa" not in logged
    assert "Featherstonehaugh" not in logged


def _invoices(client: TestClient, headers: dict[str, str], booking_id: str) -> list[Any]:
    r = client.get(f"/api/bookings/{booking_id}/invoices", headers=headers)
    return list(r.json()["items"]) if r.status_code == 200 else []


def _record_text(record: logging.LogRecord) -> str:
    """A record as any handler could write it: its message, its arguments, its extras."""
    return " ".join((record.getMessage(), repr(record.args), repr(vars(record))))
