"""Invoices through HTTP, on both backends, paid through localstripe: an organizer sets the
seller's details (a VAT ID failing its check is refused naming it); a buyer asks for an
invoice at checkout, pays, and the invoice is issued by the process manager, listed, and
downloaded as a Factur-X PDF whose XML validates against its schema; a refunded ticket
cancels it and the rest is invoiced anew; nobody else sees another buyer's invoice or another
organizer's list (404); the accountant's CSV sums to what stands."""

import csv
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import facturx
import pytest
import stripe
from fastapi.testclient import TestClient

from commands.audit.verify import verify_store
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
    return list(r.json())


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
    assert (invoice["number"], invoice["kind"], invoice["buyer"]) == (
        "JN-00001", "invoice", "ACME SARL")
    assert (invoice["net"], invoice["tax"], invoice["gross"]) == ("60.00", "11.40", "71.40")
    again = client.post(f"/api/bookings/{booking_id}/invoice", headers=alice.headers,
                        json={**BUYER, "company": "Someone else"})
    assert again.json()["invoice"]["number"] == "JN-00001"  # asked twice: the same invoice

    pdf = client.get(invoice["pdf"], headers=alice.headers)
    assert (pdf.status_code, pdf.headers["content-type"]) == (200, "application/pdf")
    _, xml = facturx.get_facturx_xml_from_pdf(pdf.content)
    facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")  # raises when not valid
    assert b"JN-00001" in xml and b"FR40303265045" in xml
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
    issued = eventually(lambda: len(invoices_of(client, alice, booking_id)) == 3 and
                        invoices_of(client, alice, booking_id), timeout=30)
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
) -> None:
    event = make_event()  # the admin's: nobody set seller's details
    booked = client.post(f"/api/events/{event['id']}/book", json={"quantity": 1},
                         headers=alice.headers).json()
    assert_error(client.post(f"/api/bookings/{booked['id']}/invoice", json=BUYER,
                             headers=alice.headers), 409, "INVOICES_NOT_OFFERED")
    assert client.get(f"/api/bookings/{booked['id']}/invoices",
                      headers=alice.headers).json() == []
