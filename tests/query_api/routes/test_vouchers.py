"""Vouchers through HTTP, on both backends: made by an event's organizers (one, or a batch
downloaded as CSV), redeemed at checkout or at once with the seats, never beyond their uses
however many buyers redeem them at once; a released hold gives its use back; refusals in
words with a stable code; another organizer sees none of them."""

import csv
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import stripe
from fastapi.testclient import TestClient

from commands.audit.verify import verify_store
from query_api.service.write_side import get_ledger
from tests.fixtures.api import Caller, assert_error
from tests.support.accounts import accounts_in_store
from tests.support.cards import card
from tests.support.stripe_notices import StripeNotices
from tests.support.waiting import eventually

MakeEvent = Callable[..., dict[str, Any]]


def vouchers(client: TestClient, who: Caller, event_id: str, **terms: Any) -> Any:
    body = {"discount": "percent", "value": "50"} | terms
    return client.post(f"/api/events/{event_id}/vouchers", json=body, headers=who.headers)


def made(client: TestClient, who: Caller, event_id: str, **terms: Any) -> list[dict[str, Any]]:
    r = vouchers(client, who, event_id, **terms)
    assert r.status_code == 201, r.text
    return list(r.json()["vouchers"])


def listed(client: TestClient, who: Caller, event_id: str) -> dict[str, dict[str, Any]]:
    page = client.get(f"/api/events/{event_id}/vouchers", headers=who.headers)
    assert page.status_code == 200, page.text
    return {v["code"]: v for v in page.json()["items"]}


def test_fifty_buyers_at_once_redeem_a_voucher_of_ten_uses_exactly_ten_times(
    client: TestClient, admin: Caller, make_event: MakeEvent,
) -> None:
    event = make_event(total_seats=100, price="20.00")
    made(client, admin, event["id"], code="Ten-Uses", max_uses=10, value="25")
    buyers = [headers for _, headers in accounts_in_store(
        {f"Redeemer{i}": "customer" for i in range(50)}).values()]

    def book(headers: dict[str, str]) -> Any:
        return client.post(f"/api/events/{event['id']}/book",
                           json={"quantity": 1, "voucher": "ten-uses"}, headers=headers)

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(book, buyers))

    won = [r.json() for r in answers if r.status_code == 201]
    assert len(won) == 10, [r.status_code for r in answers]
    assert {(b["total_amount"], b["list_total"], b["lines"][0]["list_price"]) for b in won} == {
        ("15.00", "20.00", "20.00")}
    told = [r.json() for r in answers if r.status_code != 201]
    assert {(r["code"], r["uses_left"]) for r in told} == {("VOUCHER_EXHAUSTED", 0)}
    assert all("used up" in r["message"] for r in told)
    eventually(lambda: listed(client, admin, event["id"])["TEN-USES"]["redeemed"] == 10)
    sold = listed(client, admin, event["id"])["TEN-USES"]
    assert (sold["bookings"], sold["revenue"], sold["discounts"]) == (10, "150.00", "50.00")
    assert verify_store(get_ledger())["ok"]


def test_a_released_hold_gives_its_use_back_and_the_hold_shows_both_prices(
    client: TestClient, admin: Caller, alice: Caller, bob: Caller, make_event: MakeEvent,
) -> None:
    event = make_event(total_seats=5, price="12.00")
    made(client, admin, event["id"], code="ONCE", max_uses=1, discount="amount_off",
         value="2.50")
    r = client.post(f"/api/events/{event['id']}/holds", json={"quantity": 1, "voucher": "once"},
                    headers=alice.headers)
    assert r.status_code == 201, r.text
    held = r.json()
    assert (held["voucher"], held["total"], held["list_total"]) == ("ONCE", "9.50", "12.00")
    assert held["lines"] == [{"category": "General", "quantity": 1, "unit_price": "9.50",
                              "list_price": "12.00", "unit_tax": None, "tax_name": None,
                              "tax_rate": None}]
    listed_hold = eventually(lambda: client.get(f"/api/users/{alice.id}/holds",
                                                headers=alice.headers).json()["items"])
    assert (listed_hold[0]["voucher"], listed_hold[0]["list_total"]) == ("ONCE", "12.00")
    bobs = {"quantity": 1, "voucher": "ONCE"}
    assert_error(client.post(f"/api/events/{event['id']}/holds", json=bobs,
                             headers=bob.headers), 409, "VOUCHER_EXHAUSTED")

    assert client.delete(f"/api/holds/{held['id']}", headers=alice.headers).status_code == 200

    r = client.post(f"/api/events/{event['id']}/holds", json=bobs, headers=bob.headers)
    assert r.status_code == 201, r.text
    booking = client.post(f"/api/holds/{r.json()['id']}/confirm", headers=bob.headers).json()
    assert (booking["total_amount"], booking["list_total"]) == ("9.50", "12.00")
    eventually(lambda: listed(client, admin, event["id"])["ONCE"]["redeemed"] == 1)
    state = client.get(f"/api/audit/events/{event['id']}/state", params={"version": 6},
                       headers=admin.headers).json()
    [then] = state["vouchers"]  # time travel: its digest, never the code
    assert then["code"].startswith("sha256:") and (then["used"], then["max_uses"]) == (1, 1)
    read = client.get(f"/api/bookings/{booking['id']}", headers=bob.headers).json()
    assert (read["total_amount"], read["list_total"], read["lines"][0]["list_price"]) == (
        "9.50", "12.00", "12.00")
    assert booking["voucher"] == read["voucher"] == "ONCE"
    assert state["bookings"][0]["voucher"].startswith("sha256:")


def test_a_code_refused_says_why_and_makes_no_hold(
    client: TestClient, admin: Caller, alice: Caller, make_event: MakeEvent,
) -> None:
    event = make_event(categories=[{"name": "Stalls", "price": "30.00", "capacity": 5},
                                   {"name": "Balcony", "price": "20.00", "capacity": 5}])
    made(client, admin, event["id"], code="BALCONY-ONLY", categories=["Balcony"])
    made(client, admin, event["id"], code="LATER", valid_from=(
        datetime.now(UTC) + timedelta(days=1)).isoformat())
    made(client, admin, event["id"], code="STOPPED")
    disabled = client.post(f"/api/events/{event['id']}/vouchers/stopped/disable",
                           headers=admin.headers)
    assert (disabled.status_code, disabled.json()["code"]) == (200, "STOPPED")

    def hold(code: str) -> Any:
        return client.post(f"/api/events/{event['id']}/holds",
                           json={"category": "Stalls", "quantity": 1, "voucher": code},
                           headers=alice.headers)

    for code, status, error in [("NOPE", 422, "VOUCHER_NOT_FOUND"),
                                ("balcony-only", 422, "VOUCHER_WRONG_CATEGORY"),
                                ("LATER", 409, "VOUCHER_NOT_YET_VALID"),
                                ("STOPPED", 409, "VOUCHER_DISABLED")]:
        body = assert_error(hold(code), status, error)
        assert body["detail"][0]["loc"] == ["body", "voucher"], body
    assert client.get(f"/api/users/{alice.id}/holds", headers=alice.headers).json()[
        "items"] == []
    seats = client.get(f"/api/events/{event['id']}").json()["categories"]
    assert [c["held"] for c in seats] == [0, 0]


def test_invalid_terms_are_refused_naming_the_field(
    client: TestClient, admin: Caller, make_event: MakeEvent,
) -> None:
    event = make_event(price="10.00")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"code": "BIGGER", "discount": "amount_off", "value": "10.01"}, "value"),
        ({"code": "HUNDRED1", "value": "101"}, "value"),
        ({"code": "PAST1", "valid_until": "2020-01-01T00:00:00Z"}, "valid_until"),
        ({"code": "has space"}, "code"),
        ({"codes": ["GOOD-ONE", "has space"]}, "codes")]
    for terms, field in cases:
        body = assert_error(vouchers(client, admin, event["id"], **terms), 422,
                            "INVALID_VOUCHER")
        assert body["detail"][0]["loc"][1] == field, body
    assert body["detail"][0]["loc"] == ["body", "codes", 1]
    made(client, admin, event["id"], code="TAKEN")
    assert_error(vouchers(client, admin, event["id"], code="taken"), 409, "VOUCHER_CODE_TAKEN")
    assert_error(vouchers(client, admin, event["id"], code="A", count=2), 422,
                 "VALIDATION_ERROR")


def test_a_batch_of_random_codes_downloads_as_csv_and_is_only_its_organizers(
    client: TestClient, admin: Caller, organizer: Callable[[str], Caller],
) -> None:
    olga, oscar = organizer("Olga"), organizer("Oscar")
    r = client.post("/api/events", headers=olga.headers, json={
        "name": "Olga's night", "venue": "Hall", "total_seats": 50, "price": "10.00",
        "starts_at": (datetime.now(UTC) + timedelta(days=20)).isoformat()})
    event = r.json()
    made(client, olga, event["id"], code="EARLY-BIRD")  # not of the batch
    r = vouchers(client, olga, event["id"], count=25, prefix="press-", label="=press list",
                 discount="set_price", value="0", max_uses=1)
    batch, position = r.json()["vouchers"], r.json()["position"]
    codes = [v["code"] for v in batch]
    assert len(set(codes)) == 25 and all(c.startswith("PRESS-") and len(c) == 16
                                         for c in codes)

    def download(**params: Any) -> list[list[str]]:
        r = client.get(f"/api/events/{event['id']}/vouchers.csv", headers=olga.headers,
                       params=params)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        return list(csv.reader(io.StringIO(r.text)))

    eventually(lambda: len(download()) == 27)  # the batch's codes, and the one made before
    header, *rows = download(batch=position)
    assert header[:3] == ["code", "discount", "value"]
    assert sorted(row[0] for row in rows) == sorted(codes)
    assert {row[header.index("label")] for row in rows} == {"'=press list"}  # no formula
    assert_error(client.get(f"/api/events/{event['id']}/vouchers", headers=oscar.headers),
                 404, "EVENT_NOT_FOUND")
    assert_error(client.get(f"/api/events/{event['id']}/vouchers.csv",
                            headers=oscar.headers), 404, "EVENT_NOT_FOUND")
    assert_error(vouchers(client, oscar, event["id"], code="MINE"), 403, "NOT_EVENT_ORGANIZER")
    page = client.get(f"/api/events/{event['id']}/vouchers", params={"limit": 10},
                      headers=admin.headers).json()
    seen = [v["code"] for v in page["items"]]
    while page["next_cursor"]:
        page = client.get(f"/api/events/{event['id']}/vouchers",
                          params={"limit": 10, "cursor": page["next_cursor"]},
                          headers=admin.headers).json()
        seen += [v["code"] for v in page["items"]]
    assert sorted(seen) == sorted([*codes, "EARLY-BIRD"])


@pytest.fixture
def paying(stripe_on: StripeNotices, client: TestClient) -> TestClient:
    """The app under test, taking payments through localstripe (set up before it starts)."""
    return client


def test_with_payments_a_voucher_lowers_the_charge_and_a_free_one_books_without_paying(
    paying: TestClient, provider: stripe.StripeClient, admin: Caller, alice: Caller,
    bob: Caller, make_event: MakeEvent,
) -> None:
    event = make_event(price="40.00", total_seats=5)
    made(paying, admin, event["id"], code="HALF")
    made(paying, admin, event["id"], code="GUEST", discount="set_price", value="0")
    r = paying.post(f"/api/events/{event['id']}/holds", json={"quantity": 1, "voucher": "half"},
                    headers=alice.headers)
    held = r.json()
    assert (held["total"], held["list_total"]) == ("20.00", "40.00")

    r = paying.post(f"/api/holds/{held['id']}/payment",
                    json={"payment_method": card(provider)}, headers=alice.headers)

    assert r.status_code == 201, r.text
    intent = provider.v1.payment_intents.retrieve(r.json()["intent_id"])
    assert (intent.status, intent.amount) == ("succeeded", 2000)
    guest = paying.post(f"/api/events/{event['id']}/holds",
                        json={"quantity": 1, "voucher": "GUEST"}, headers=bob.headers).json()
    assert guest["total"] == "0.00"
    r = paying.post(f"/api/holds/{guest['id']}/confirm", headers=bob.headers)
    assert r.status_code == 201, r.text
    assert (r.json()["total_amount"], r.json()["list_total"]) == ("0.00", "40.00")
    assert_error(paying.post(f"/api/events/{event['id']}/book", json={"quantity": 1},
                             headers=bob.headers), 409, "PAYMENT_REQUIRED")
    assert verify_store(get_ledger())["ok"]


def test_a_hidden_category_shows_and_sells_only_with_a_voucher_naming_it(
    client: TestClient, admin: Caller, alice: Caller, make_event: MakeEvent,
) -> None:
    event = make_event(categories=[
        {"name": "General", "price": "10.00", "capacity": 5},
        {"name": "Backstage", "price": "20.00", "capacity": 3, "hidden": True}])
    assert [(c["name"], c["hidden"]) for c in event["categories"]] == [
        ("General", False), ("Backstage", True)]  # its organizers see it
    made(client, admin, event["id"], code="CREW-26", categories=["Backstage"], value="100")

    def public(**params: Any) -> dict[str, Any]:
        r = client.get(f"/api/events/{event['id']}", params=params)
        assert r.status_code == 200, r.text
        return dict(r.json())

    shown = public()
    assert [c["name"] for c in shown["categories"]] == ["General"]
    assert shown["available_seats"] == 5  # the hidden seats are no walk-up buyer's
    listed = client.get("/api/events", params={"q": "Jazz"}).json()["items"]
    assert [[c["name"] for c in e["categories"]] for e in listed if e["id"] == event["id"]] == [
        ["General"]]
    assert [c["name"] for c in public(voucher="crew-26")["categories"]] == [
        "General", "Backstage"]
    assert [c["name"] for c in public(voucher="NOT-A-CODE")["categories"]] == ["General"]
    assert [c["name"] for c in client.get(f"/api/events/{event['id']}", headers=admin.headers)
            .json()["categories"]] == ["General", "Backstage"]

    refused = assert_error(client.post(f"/api/events/{event['id']}/holds", headers=alice.headers,
                                       json={"category": "Backstage", "quantity": 1}),
                           400, "UNKNOWN_CATEGORY")
    assert "Backstage" in refused["message"]
    r = client.post(f"/api/events/{event['id']}/holds", headers=alice.headers,
                    json={"category": "Backstage", "quantity": 1, "voucher": "crew-26"})
    assert r.status_code == 201, r.text
    assert r.json()["total"] == "0.00"

    r = client.put(f"/api/events/{event['id']}", headers=admin.headers, json={
        "categories": [{"name": "Backstage", "price": "20.00", "capacity": 3}]})  # made public
    assert r.status_code == 200, r.text
    assert eventually(lambda: [c["name"] for c in public()["categories"]] == [
        "General", "Backstage"])


def test_a_voucher_reserving_seats_keeps_them_for_its_holders_until_used_or_disabled(
    client: TestClient, admin: Caller, alice: Caller, bob: Caller, make_event: MakeEvent,
) -> None:
    event = make_event(total_seats=5, price="10.00")
    name = event["categories"][0]["name"]
    body = assert_error(vouchers(client, admin, event["id"], code="TOO-MANY", reserve=True,
                                 categories=[name], max_uses=6), 400, "NOT_ENOUGH_SEATS")
    assert body["detail"][0]["loc"] == ["body", "max_uses"]
    [made_one] = made(client, admin, event["id"], code="CREW-26", reserve=True,
                      categories=[name], max_uses=2, value="100")
    assert made_one["reserve"] is True

    def category() -> dict[str, Any]:
        return dict(client.get(f"/api/events/{event['id']}").json()["categories"][0])

    assert eventually(lambda: (category()["available"], category()["reserved"]) == (3, 2))
    assert_error(client.post(f"/api/events/{event['id']}/book", json={"quantity": 4},
                             headers=bob.headers), 400, "NOT_ENOUGH_SEATS")
    assert client.post(f"/api/events/{event['id']}/book", json={"quantity": 3},
                       headers=bob.headers).status_code == 201
    assert eventually(lambda: category()["available"] == 0)
    held = client.post(f"/api/events/{event['id']}/holds", headers=alice.headers,
                       json={"quantity": 2, "voucher": "crew-26"})
    assert held.status_code == 201, held.text  # the reserved two, for the code's holder
    assert eventually(lambda: (category()["available"], category()["reserved"]) == (0, 0))
    assert client.delete(f"/api/holds/{held.json()['id']}",
                         headers=alice.headers).status_code == 200
    assert eventually(lambda: (category()["available"], category()["reserved"]) == (0, 2))
    assert client.post(f"/api/events/{event['id']}/vouchers/CREW-26/disable",
                       headers=admin.headers).status_code == 200
    assert eventually(lambda: (category()["available"], category()["reserved"]) == (2, 0))
    assert listed(client, admin, event["id"])["CREW-26"]["reserve"] is True
    assert verify_store(get_ledger())["ok"]
