"""Invoices through HTTP, on both backends, paid through localstripe: an organizer sets the
seller's details (a VAT ID failing its check is refused naming it); a buyer asks for an
invoice at checkout, pays, and the invoice is issued by the process manager, listed, and
downloaded as a Factur-X PDF whose XML validates against its schema; a refunded ticket
cancels it and the rest is invoiced anew; nobody else sees another buyer's invoice or another
organizer's list (404); the accountant's CSV sums to what stands."""

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import facturx
import pypdf
import pytest
import stripe
from fastapi.testclient import TestClient

from commands.audit.verify import verify_store
from commands.domain.actor import Actor
from commands.domain.invoice_documents import Order, invoice_of
from commands.domain.invoices import book_of, buyer_details
from core.personal import INVOICE
from core.settings import ROOT
from query_api.service.write_side import get_ledger
from tests.fixtures.api import Caller, assert_error, future
from tests.support.cards import card
from tests.support.stripe_notices import StripeNotices
from tests.support.waiting import eventually

SELLER = {"name": "Jazz Nights GmbH", "address": "Torstraße 1\n10119 Berlin", "country": "DE",
          "vat_id": "DE 136 695 976", "email": "billing@jazz.example", "prefix": "JN-"}
BUYER = {"name": "Alice Martin", "company": "ACME SARL", "address": "1 rue X\n75001 Paris",
         "country": "FR", "vat_id": "FR40303265045"}


@pytest.fixture
def paying(stripe_on: StripeNotices, client: TestClient) -> TestClient:
    """The app under test, taking payments through localstripe (set up before it starts)."""
    return client


def invoices_of(client: TestClient, who: Caller, booking_id: str) -> list[dict[str, Any]]:
    r = client.get(f"/api/bookings/{booking_id}/invoices", headers=who.headers)
    assert r.status_code == 200, r.text
    assert r.json()["requested"]
    return list(r.json()["items"])


def invoices_when(client: TestClient, who: Caller, booking_id: str,
                  count: int) -> list[dict[str, Any]]:
    """The booking's invoices once there are `count` of them; none before."""
    found = invoices_of(client, who, booking_id)
    return found if len(found) == count else []


def drawn_in_the_callers_language(client: TestClient, buyer: Caller, url: str,
                                  english: bytes) -> None:
    """The invoice's PDF, its XML valid, in the caller's language, once English, once German;
    its e-invoice the same in every language."""
    _, xml = facturx.get_facturx_xml_from_pdf(english)
    facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")  # raises when not valid
    assert b"JN-00001" in xml and b"FR40303265045" in xml
    assert "Invoice JN-00001" in pypdf.PdfReader(io.BytesIO(english)).pages[0].extract_text()
    client.put("/api/users/me/language", json={"language": "de"}, headers=buyer.headers)
    german = client.get(url, headers=buyer.headers)
    page = pypdf.PdfReader(io.BytesIO(german.content)).pages[0].extract_text()
    assert "Rechnung JN-00001" in page and "Gesamtbetrag EUR 71,40" in page
    assert facturx.get_facturx_xml_from_pdf(german.content)[1] == xml
    client.put("/api/users/me/language", json={"language": "en"}, headers=buyer.headers)


def test_an_invoice_asked_at_checkout_is_issued_once_paid_and_cancelled_with_a_ticket(
    paying: TestClient, provider: stripe.StripeClient, organizer: Callable[[str], Caller],
    alice: Caller, bob: Caller, admin: Caller,
) -> None:
    client, seller = paying, organizer("Olga")
    wrong = assert_error(client.put("/api/organizers/me/seller", headers=seller.headers,
                                    json={**SELLER, "vat_id": "DE136695977"}),
                         422, "INVALID_SELLER")
    assert wrong["detail"][0]["loc"] == ["body", "vat_id"]
    r = client.put("/api/organizers/me/seller", json=SELLER, headers=seller.headers)
    assert r.status_code == 200, r.text
    assert (r.json()["vat_id"], r.json()["invoices_issued"]) == ("DE136695976", 0)
    public = client.get(f"/api/organizers/{seller.id}/seller")
    assert public.json()["name"] == "Jazz Nights GmbH"
    assert_error(client.get(f"/api/organizers/{alice.id}/seller"), 404, "SELLER_NOT_FOUND")

    r = client.post("/api/events", headers=seller.headers, json={
        "name": "Blue Note Night", "venue": "Blue Note", "starts_at": future(),
        "categories": [{"name": "Stalls", "price": "23.80", "capacity": 10}],
        "taxes": [{"name": "VAT", "rate": "19", "inclusive": True, "categories": ["Stalls"]}]})
    assert r.status_code == 201, r.text
    event = r.json()
    held = client.post(f"/api/events/{event['id']}/holds", json={"quantity": 3},
                       headers=alice.headers).json()
    assert_error(client.post(f"/api/holds/{held['id']}/invoice", json=BUYER,
                             headers=bob.headers), 404, "HOLD_NOT_FOUND")
    bad = assert_error(client.post(f"/api/holds/{held['id']}/invoice", headers=alice.headers,
                                   json={**BUYER, "vat_id": "FR00303265045"}),
                       422, "INVALID_BUYER")
    assert bad["detail"][0]["loc"] == ["body", "vat_id"]
    asked = client.post(f"/api/holds/{held['id']}/invoice", json=BUYER, headers=alice.headers)
    assert asked.status_code == 200, asked.text
    assert (asked.json()["status"], asked.json()["invoice"]) == ("requested", None)

    r = client.post(f"/api/holds/{held['id']}/payment",
                    json={"payment_method": card(provider)}, headers=alice.headers)
    assert r.status_code == 201, r.text
    booking_id = r.json()["booking_id"]
    [invoice] = eventually(lambda: invoices_of(client, alice, booking_id), timeout=30)
    assert (invoice["number"], invoice["kind"], invoice["buyer"], invoice["event_name"]) == (
        "JN-00001", "invoice", "ACME SARL", "Blue Note Night")
    assert (invoice["net"], invoice["tax"], invoice["gross"]) == ("60.00", "11.40", "71.40")
    again = client.post(f"/api/bookings/{booking_id}/invoice", headers=alice.headers,
                        json={**BUYER, "company": "Someone else"})
    assert again.json()["invoice"]["number"] == "JN-00001"  # asked twice: the same invoice

    pdf = client.get(invoice["pdf"], headers=alice.headers)
    assert (pdf.status_code, pdf.headers["content-type"]) == (200, "application/pdf")
    drawn_in_the_callers_language(client, alice, invoice["pdf"], pdf.content)
    assert client.get(invoice["pdf"], headers=seller.headers).status_code == 200
    for stranger in (bob, organizer("Other")):
        assert_error(client.get(invoice["pdf"], headers=stranger.headers), 404,
                     "INVOICE_NOT_FOUND")
        assert_error(client.get(f"/api/bookings/{booking_id}/invoices",
                                headers=stranger.headers), 404, "BOOKING_NOT_FOUND")
    assert client.get(f"/api/events/{event['id']}/invoices",
                      headers=organizer("Nosy").headers).status_code == 404

    codes = [t["code"] for t in client.get(f"/api/bookings/{booking_id}",
                                           headers=alice.headers).json()["tickets"]]
    r = client.post(f"/api/bookings/{booking_id}/refunds", headers=alice.headers,
                    json={"tickets": codes[:1], "reason": "Cannot come"})
    assert r.status_code in (200, 201), r.text
    issued = eventually(lambda: invoices_when(client, alice, booking_id, 3), timeout=30)
    assert [(i["number"], i["kind"], i["cancels"], i["gross"]) for i in issued] == [
        ("JN-00001", "invoice", None, "71.40"), ("JN-00002", "cancellation", "JN-00001", "71.40"),
        ("JN-00003", "invoice", None, "47.60")]

    page = client.get("/api/organizers/me/invoices", headers=seller.headers).json()
    assert [i["number"] for i in page["items"]] == ["JN-00003", "JN-00002", "JN-00001"]
    assert [i["number"] for i in client.get(f"/api/events/{event['id']}/invoices",
                                            headers=admin.headers).json()["items"]] == [
        "JN-00003", "JN-00002", "JN-00001"]
    rows = list(csv.DictReader(io.StringIO(client.get("/api/organizers/me/invoices.csv",
                                                      headers=seller.headers).text)))
    assert [r["number"] for r in rows] == ["JN-00001", "JN-00002", "JN-00003"]
    assert sum(Decimal(r["gross"]) for r in rows) == Decimal("47.60")  # what stands
    assert rows[1]["taxes"] == "VAT 19%: -11.40"
    assert client.get("/api/organizers/me/seller", headers=seller.headers).json()[
        "invoices_issued"] == 3
    assert verify_store(get_ledger())["ok"]


def test_invoices_are_not_offered_by_an_organizer_without_seller_details(
    client: TestClient, make_event: Callable[..., dict[str, Any]], alice: Caller,
    organizer: Callable[[str], Caller],
) -> None:
    event = make_event()  # the admin's: nobody set seller's details
    booked = client.post(f"/api/events/{event['id']}/book", json={"quantity": 1},
                         headers=alice.headers).json()
    assert_error(client.post(f"/api/bookings/{booked['id']}/invoice", json=BUYER,
                             headers=alice.headers), 409, "INVOICES_NOT_OFFERED")
    # An organizer's event whose organizer set no seller's details: refused too, and the
    # refusal leaves the buyer no invoice key (their erasure would owe it a forgetting).
    made = client.post("/api/events", headers=organizer("Nell").headers, json={
        "name": "Folk night", "venue": "Hall", "starts_at": future(), "total_seats": 5,
        "price": "10.00"})
    assert made.status_code == 201, made.text
    booked = client.post(f"/api/events/{made.json()['id']}/book", json={"quantity": 1},
                         headers=alice.headers).json()
    assert_error(client.post(f"/api/bookings/{booked['id']}/invoice", json=BUYER,
                             headers=alice.headers), 409, "INVOICES_NOT_OFFERED")
    assert not get_ledger().personal.has_key(str(alice.id), INVOICE)
    assert client.get(f"/api/bookings/{booked['id']}/invoices",
                      headers=alice.headers).json() == {"requested": False, "items": []}


@pytest.mark.parametrize("backend", ["embedded"], indirect=True)
def test_verify_and_the_offline_verifier_name_a_planted_gap_and_a_changed_total(
    client: TestClient, organizer: Callable[[str], Caller], alice: Caller, admin: Caller,
    auditor: Caller, tmp_path: Path,
) -> None:
    """Written straight to the store, chained as the write side chains them (no command makes
    either): an invoice numbered past a skipped number, and one whose total is not its lines';
    then an export whose first invoice's total was edited."""
    seller = organizer("Olga")
    assert client.put("/api/organizers/me/seller", json=SELLER,
                      headers=seller.headers).status_code == 200
    event = client.post("/api/events", headers=seller.headers, json={
        "name": "Blue Note Night", "starts_at": future(),
        "categories": [{"name": "Stalls", "price": "23.80", "capacity": 10}]}).json()
    ledger, organizer_id = get_ledger(), str(seller.id)
    bookings = []
    for _ in range(4):
        booked = client.post(f"/api/events/{event['id']}/book", json={"quantity": 1},
                             headers=alice.headers).json()
        assert client.post(f"/api/bookings/{booked['id']}/payment", headers=seller.headers,
                           json={"method": "door"}).status_code == 201
        bookings.append(UUID(booked["id"]))
    for booking_id in bookings[:2]:
        ledger.request_invoice(booking_id, BUYER, Actor(str(alice.id)))
    assert verify_store(ledger)["invoices"] | {"waiting": []} == {
        "ok": True, "books": 1, "invoices": 2, "problems": [], "waiting": []}

    book = ledger.store.find_book(book_of(organizer_id))
    assert book is not None
    for booking_id in bookings[2:]:
        book.request(booking_id, UUID(event["id"]), str(alice.id), buyer_details(BUYER),
                     datetime.now(UTC))
    order = ledger.runner.read(UUID(event["id"]), lambda e: Order(
        booking_id=bookings[2], event_id=e.id, user_id=str(alice.id), event_name=e.name,
        event_starts_at=e.starts_at, venue=e.venue, currency=e.currency,
        lines=[{"category": "Stalls", "quantity": 1, "unit_price": Decimal("23.80")}],
        provider="offline"))
    book.seq += 1  # JN-00003 skipped
    book.issue(invoice_of(order, book.seller, BUYER, datetime.now(UTC)))
    changed = invoice_of(replace(order, booking_id=bookings[3]), book.seller, BUYER,
                         datetime.now(UTC))
    book.issue(changed | {"totals": {"net": "20.00", "tax": "0.00", "gross": "20.00"}})
    ledger.store.append(book)

    found = verify_store(ledger)["invoices"]
    said = [(p["organizer_id"], p["number"], p["message"]) for p in found["problems"]]
    assert not found["ok"]
    assert (organizer_id, "JN-00004", "invoice number 4 follows 2: a number was skipped") in said
    assert (organizer_id, "JN-00005", "its gross total 20.00 is not its lines' 23.80") in said

    assert client.post("/api/audit/checkpoints", headers=admin.headers).status_code == 201
    exported = client.get("/api/audit/export", headers=auditor.headers).text
    first = next(line for line in exported.split("\n") if '"number": "JN-00001"' in line)
    record = json.loads(first)
    record["payload"]["totals"]["gross"] = "2.38"
    (tmp_path / "log.jsonl").write_text(exported.replace(first, json.dumps(record)), "utf-8")
    (tmp_path / "keys.json").write_text(client.get("/api/audit/public-key").text, "utf-8")
    checked = subprocess.run(  # noqa: S603 - our own tool, as an auditor runs it
        [sys.executable, "-I", str(ROOT / "tools" / "verify_export.py"),
         str(tmp_path / "log.jsonl"), "--key", str(tmp_path / "keys.json")],
        capture_output=True, text=True, check=False, timeout=60)
    assert checked.returncode == 1, checked.stdout
    assert (f"invoice JN-00001 of organizer {organizer_id}" in checked.stdout
            and "its gross total 2.38 is not its lines' 23.80" in checked.stdout), checked.stdout
    assert f"invoice JN-00004 of organizer {organizer_id}" in checked.stdout
