"""Taxes through HTTP, on both backends: an event's tax rules set at creation or changed, each
seat held or booked taking its tax; a hold and a booking tell their price per rate (net, tax,
gross); the provider is charged the gross, and a ticket refunded gives back its gross, its tax
with it."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import stripe
from fastapi.testclient import TestClient

from commands.audit.verify import verify_store
from query_api.service.write_side import get_ledger
from tests.fixtures.api import Caller, assert_error
from tests.support.cards import card
from tests.support.stripe_notices import StripeNotices
from tests.support.waiting import eventually

MakeEvent = Callable[..., dict[str, Any]]
CATEGORIES = [{"name": "Stalls", "price": "30.00", "capacity": 10},
              {"name": "Programme", "price": "5.00", "capacity": 10},
              {"name": "Cloakroom", "price": "2.00", "capacity": 10}]
RULES = [{"name": "VAT 20%", "rate": "20", "inclusive": True, "categories": ["Stalls"]},
         {"name": "VAT 5.5%", "rate": "5.5", "inclusive": True, "categories": ["Programme"]}]


def test_an_order_tells_its_price_per_rate_and_the_event_its_rules(
    client: TestClient, admin: Caller, alice: Caller, make_event: MakeEvent,
) -> None:
    event = make_event(categories=CATEGORIES, taxes=RULES)
    assert [(t["name"], t["rate"], t["inclusive"], t["categories"]) for t in event["taxes"]] == [
        ("VAT 20%", "20", True, ["Stalls"]), ("VAT 5.5%", "5.5", True, ["Programme"])]
    r = client.post(f"/api/events/{event['id']}/holds", headers=alice.headers, json={
        "lines": [{"category": "Stalls", "quantity": 2}, {"category": "Programme", "quantity": 1},
                  {"category": "Cloakroom", "quantity": 1}]})
    assert r.status_code == 201, r.text
    held = r.json()
    assert held["total"] == "67.00"
    assert [(t["name"], t["rate"], t["net"], t["tax"], t["gross"]) for t in held["taxes"]] == [
        ("VAT 20%", "20", "50.00", "10.00", "60.00"),
        ("VAT 5.5%", "5.5", "4.74", "0.26", "5.00"),  # 5.00 x 5.5 / 105.5 = 0.2607
        (None, "0", "2.00", "0.00", "2.00")]
    assert held["lines"][0] | {"unit_tax": held["lines"][0]["unit_tax"]} == {
        "category": "Stalls", "quantity": 2, "unit_price": "30.00", "list_price": None,
        "unit_tax": "5.00", "tax_name": "VAT 20%", "tax_rate": "20"}
    booking = client.post(f"/api/holds/{held['id']}/confirm", headers=alice.headers).json()
    assert booking["taxes"] == held["taxes"]
    eventually(lambda: client.get(f"/api/bookings/{booking['id']}",
                                  headers=alice.headers).status_code == 200)
    read = client.get(f"/api/bookings/{booking['id']}", headers=alice.headers).json()
    assert read["taxes"] == held["taxes"]
    shown = client.get(f"/api/events/{event['id']}").json()
    assert [t["name"] for t in shown["taxes"]] == ["VAT 20%", "VAT 5.5%"]

    # The box office's money per rate: what sold, then what a cancellation gave back.
    stalls = [t["code"] for t in booking["tickets"] if t["category"] == "Stalls"]
    r = client.post(f"/api/bookings/{booking['id']}/refunds", headers=admin.headers,
                    json={"tickets": stalls[:1], "reason": "a seat given back"})
    assert r.status_code == 201, r.text

    def by_rate() -> list[tuple[Any, ...]]:
        money = client.get(f"/api/events/{event['id']}/box-office",
                           headers=admin.headers).json()["money"]
        return [(t["name"], t["rate"], t["net"], t["tax"], t["gross"], t["refunded_net"],
                 t["refunded_tax"], t["refunded_gross"]) for t in money["by_rate"]]

    eventually(lambda: by_rate()[0][5] != "0.00")
    figures = [
        ("VAT 20%", "20", "50.00", "10.00", "60.00", "25.00", "5.00", "30.00"),
        ("VAT 5.5%", "5.5", "4.74", "0.26", "5.00", "0.00", "0.00", "0.00"),
        (None, "0", "2.00", "0.00", "2.00", "0.00", "0.00", "0.00")]
    assert by_rate() == figures

    # The accountant's report over whole UTC days, per currency and rate, and its CSV.
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    period = {"from": today.isoformat(), "to": (today + timedelta(days=1)).isoformat(),
              "event_id": event["id"]}
    report = client.get("/api/audit/revenue", params=period, headers=admin.headers).json()
    assert [(t["currency"], t["name"], t["rate"], t["net"], t["tax"], t["gross"],
             t["refunded_net"], t["refunded_tax"], t["refunded_gross"])
            for t in report["taxes"]] == [("EUR", *f) for f in figures]
    r = client.get("/api/audit/revenue/taxes.csv", params=period, headers=admin.headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.text.splitlines()[:2] == [
        "currency,tax,rate,net,tax,gross,refunded_net,refunded_tax,refunded_gross",
        "EUR,VAT 20%,20,50.00,10.00,60.00,25.00,5.00,30.00"]


def test_rules_changed_apply_to_seats_sold_after_and_bad_rules_are_named(
    client: TestClient, admin: Caller, alice: Caller, make_event: MakeEvent,
) -> None:
    event = make_event(price="10.00")
    rules = [{"name": "Sales tax", "rate": "8.875", "inclusive": False,
              "categories": ["General"]}]
    r = client.put(f"/api/events/{event['id']}", json={"taxes": rules}, headers=admin.headers)
    assert r.status_code == 200, r.text
    booking = client.post(f"/api/events/{event['id']}/book", json={"quantity": 2},
                          headers=alice.headers).json()
    assert (booking["unit_price"], booking["total_amount"]) == ("10.89", "21.78")
    assert booking["taxes"] == [{"name": "Sales tax", "rate": "8.875", "net": "20.00",
                                 "tax": "1.78", "gross": "21.78"}]
    body = assert_error(client.put(f"/api/events/{event['id']}", headers=admin.headers, json={
        "taxes": [{"name": "A", "rate": "5", "inclusive": True, "categories": ["General"]},
                  {"name": "B", "rate": "7", "inclusive": True, "categories": ["General"]}]}),
        422, "INVALID_TAX")
    assert body["detail"][0]["loc"] == ["body", "taxes", 1, "categories"]
    body = assert_error(client.put(f"/api/events/{event['id']}", headers=admin.headers, json={
        "taxes": [{"name": "A", "rate": "101", "inclusive": True}]}), 422, "VALIDATION_ERROR")
    assert body["detail"][0]["loc"][:4] == ["body", "taxes", 0, "rate"]
    assert verify_store(get_ledger())["ok"]


@pytest.fixture
def paying(stripe_on: StripeNotices, client: TestClient) -> TestClient:
    """The app under test, taking payments through localstripe (set up before it starts)."""
    return client


def test_the_provider_is_charged_the_gross_and_a_refund_gives_back_the_tax_with_it(
    paying: TestClient, provider: stripe.StripeClient, admin: Caller, alice: Caller,
    make_event: MakeEvent,
) -> None:
    event = make_event(price="20.00", total_seats=5, taxes=[
        {"name": "Sales tax", "rate": "10", "inclusive": False, "categories": ["General"]}])
    held = paying.post(f"/api/events/{event['id']}/holds", json={"quantity": 2},
                       headers=alice.headers).json()
    assert held["total"] == "44.00"
    r = paying.post(f"/api/holds/{held['id']}/payment", json={"payment_method": card(provider)},
                    headers=alice.headers)
    assert r.status_code == 201, r.text
    intent = provider.v1.payment_intents.retrieve(r.json()["intent_id"])
    assert intent.amount == 4400
    booking = paying.get(f"/api/bookings/{r.json()['booking_id']}",
                         headers=alice.headers).json()
    code = booking["tickets"][0]["code"]
    refunded = paying.post(f"/api/bookings/{booking['id']}/refunds",
                           json={"tickets": [code], "reason": "cannot come"},
                           headers=admin.headers)
    assert refunded.status_code == 201, refunded.text
    assert refunded.json()["amount"] == "22.00"
    assert verify_store(get_ledger())["ok"]
