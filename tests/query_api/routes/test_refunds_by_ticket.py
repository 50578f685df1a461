"""Refunds decided by ticket: each refund names the tickets it gives back and asks exactly
their price, whatever the order's first line costs; a refund that failed is asked again for
what it owed, never for all the payment has left; a cancellation while a ticket's refund is
still being made owes the tickets not yet named, and both are made. Through the HTTP API and
localstripe, reached over a link the test cuts or slows down as a provider away would be."""

import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import stripe
from fastapi.testclient import TestClient

from commands.audit.reconciliation import reconcile_period
from commands.audit.verify import verify_store
from commands.domain.chain import digest
from commands.payments.provider import tickets_named
from core.settings import ROOT
from query_api.service.write_side import get_ledger
from tests.fixtures.api import Caller
from tests.support.cards import card
from tests.support.faulty_link import FaultyLink
from tests.support.waiting import eventually
from workers.refunds import resume_refunds


@pytest.fixture
def paying(stripe_link: FaultyLink, client: TestClient) -> TestClient:
    """The app under test, taking payments through localstripe over a link the test may cut
    (asked before any other fixture that makes the client)."""
    return client


def paid_order(client: TestClient, provider: stripe.StripeClient, who: Caller, event_id: str,
               lines: list[tuple[str, int]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A hold of `lines` (category, seats) in that order, paid by card: the payment and the
    booking it made."""
    body = {"lines": [{"category": name, "quantity": n} for name, n in lines]}
    r = client.post(f"/api/events/{event_id}/holds", json=body, headers=who.headers)
    assert r.status_code == 201, r.text
    r = client.post(f"/api/holds/{r.json()['id']}/payment",
                    json={"payment_method": card(provider)}, headers=who.headers)
    assert r.status_code in (200, 201) and r.json()["status"] == "succeeded", r.text
    paid = r.json()
    booked = client.get(f"/api/bookings/{paid['booking_id']}", headers=who.headers).json()
    return paid, booked


def refunds_at_provider(provider: stripe.StripeClient, intent_id: str) -> list[int]:
    found = provider.v1.refunds.list(params={"payment_intent": intent_id})
    return sorted(r.amount for r in found.data if r.status == "succeeded")


def refund_tickets(client: TestClient, who: Caller, booking_id: str, codes: list[str]) -> Any:
    return client.post(f"/api/bookings/{booking_id}/refunds",
                       json={"tickets": codes, "reason": "Moved"}, headers=who.headers)


def money_problems(ledger: Any) -> list[str]:
    report = verify_store(ledger)
    return [p["message"] for e in report["events"] for p in e["problems"]
            if p["rule"] == "payment"]


def payment_of(ledger: Any, paid: dict[str, Any]) -> Any:
    payment = ledger.store.find_payment(UUID(paid["payment_id"]))
    assert payment is not None
    return payment


# Embedded: the refunds' manager runs in this process (on PostgreSQL it is a worker's).
@pytest.mark.parametrize("backend", ["embedded"], indirect=True)
def test_an_event_cancelled_refunds_each_order_whose_first_line_is_free(
    paying: TestClient, provider: stripe.StripeClient, admin: Caller,
    make_event: Callable[..., dict[str, Any]], alice: Caller, bob: Caller,
) -> None:
    event = make_event(categories=[{"name": "Child", "price": "0.00", "capacity": 10},
                                   {"name": "Adult", "price": "30.00", "capacity": 10}])
    child_first, _ = paid_order(paying, provider, alice, event["id"], [("Child", 1), ("Adult", 1)])
    adult_first, _ = paid_order(paying, provider, bob, event["id"], [("Adult", 1), ("Child", 1)])

    r = paying.post(f"/api/events/{event['id']}/cancel", json={"reason": "Venue flooded"},
                    headers=admin.headers)
    assert r.status_code == 200, r.text
    ledger = get_ledger()

    def settled() -> bool:
        resume_refunds(ledger, ledger.eventlog)
        return all(payment_of(ledger, p).status != "refund_pending"
                   for p in (child_first, adult_first))

    assert eventually(settled)
    assert money_problems(ledger) == []  # the check that would have caught it
    assert [payment_of(ledger, p).refunded for p in (child_first, adult_first)] == [3000, 3000]
    for paid in (child_first, adult_first):
        assert refunds_at_provider(provider, paid["intent_id"]) == [3000]


def test_a_failed_ticket_refund_asked_again_gives_back_that_tickets_price_only(
    paying: TestClient, stripe_link: FaultyLink, provider: stripe.StripeClient,
    make_event: Callable[..., dict[str, Any]], alice: Caller, admin: Caller,
) -> None:
    event = make_event(price="20.00", total_seats=5)
    category = event["categories"][0]["name"]
    paid, booked = paid_order(paying, provider, alice, event["id"], [(category, 2)])
    first, second = [t["code"] for t in booked["tickets"]]

    stripe_link.sever()
    r = refund_tickets(paying, admin, booked["id"], [first])
    assert r.status_code == 201, r.text
    assert (r.json()["amount"], r.json()["status"]) == ("20.00", "refund_failed")
    stripe_link.mend()

    r = paying.post(f"/api/bookings/{booked['id']}/payment/refund-retry", headers=admin.headers)
    assert r.status_code == 200, r.text
    assert money_problems(get_ledger()) == []
    assert (r.json()["status"], r.json()["refunded"]) == ("refunded", "20.00")
    assert refunds_at_provider(provider, paid["intent_id"]) == [2000]
    shown = paying.get(f"/api/bookings/{booked['id']}", headers=alice.headers).json()
    assert shown["status"] == "confirmed"
    assert {t["code"]: t["status"] for t in shown["tickets"]} == {
        first: "cancelled", second: "active"}


@pytest.mark.parametrize("backend", ["embedded"], indirect=True)
def test_a_booking_cancelled_while_a_ticket_refund_is_being_made_is_refunded_in_full(
    paying: TestClient, stripe_link: FaultyLink, provider: stripe.StripeClient,
    make_event: Callable[..., dict[str, Any]], alice: Caller, admin: Caller,
) -> None:
    event = make_event(price="20.00", total_seats=5)
    category = event["categories"][0]["name"]
    paid, booked = paid_order(paying, provider, alice, event["id"], [(category, 2)])
    first = booked["tickets"][0]["code"]

    # The ticket's refund is asked, and the provider is slow to answer its call: meanwhile
    # the buyer cancels the booking.
    stripe_link.slow_down(1.5)
    answers: list[Any] = []
    making = threading.Thread(
        target=lambda: answers.append(refund_tickets(paying, admin, booked["id"], [first])))
    making.start()
    ledger = get_ledger()
    assert eventually(lambda: payment_of(ledger, paid).status == "refund_pending")
    r = paying.delete(f"/api/bookings/{booked['id']}", headers=alice.headers)
    assert r.status_code == 200, r.text
    making.join()
    assert answers[0].status_code == 201, answers[0].text
    stripe_link.mend()

    def settled() -> bool:  # a refund left owed by the race is the manager's
        resume_refunds(ledger, ledger.eventlog, now=_later())
        return bool(payment_of(ledger, paid).status != "refund_pending")

    assert eventually(settled)
    assert money_problems(ledger) == []  # the check that would have caught it
    assert payment_of(ledger, paid).refunded == 4000
    assert refunds_at_provider(provider, paid["intent_id"]) == [2000, 2000]


@pytest.mark.parametrize("backend", ["embedded"], indirect=True)
def test_tickets_refunded_in_parallel_with_the_bookings_cancellation_are_all_refunded(
    paying: TestClient, provider: stripe.StripeClient,
    make_event: Callable[..., dict[str, Any]], alice: Caller, admin: Caller,
) -> None:
    event = make_event(price="20.00", total_seats=6)
    category = event["categories"][0]["name"]
    paid, booked = paid_order(paying, provider, alice, event["id"], [(category, 4)])
    codes = [t["code"] for t in booked["tickets"]]
    calls: list[Callable[[], Any]] = [
        *(lambda code=code: refund_tickets(paying, admin, booked["id"], [code])
          for code in codes),
        lambda: paying.delete(f"/api/bookings/{booked['id']}", headers=alice.headers)]
    threads = [threading.Thread(target=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ledger = get_ledger()

    def settled() -> bool:  # a refund left owed by the race is the manager's
        resume_refunds(ledger, ledger.eventlog, now=_later())
        return bool(payment_of(ledger, paid).status != "refund_pending")

    assert eventually(settled)
    assert money_problems(ledger) == []  # the check that would have caught it
    assert payment_of(ledger, paid).refunded == 8000
    assert sum(refunds_at_provider(provider, paid["intent_id"])) == 8000
    shown = paying.get(f"/api/bookings/{booked['id']}", headers=alice.headers).json()
    assert shown["status"] == "cancelled"


def _later() -> datetime:
    """A moment past every refund's grace: what the refunds' manager sees a minute on."""
    return datetime.now(UTC) + timedelta(minutes=1)


@pytest.mark.parametrize("backend", ["embedded"], indirect=True)
def test_verify_and_the_offline_verifier_name_a_planted_under_and_over_refund(
    paying: TestClient, provider: stripe.StripeClient, make_event: Callable[..., dict[str, Any]],
    alice: Caller, bob: Caller, admin: Caller, auditor: Caller, tmp_path: Path,
) -> None:
    """Written straight to the store, chained as the write side chains them (no command makes
    either): a booking cancelled with no refund asked, and a refund of a ticket still active."""
    event = make_event(price="20.00", total_seats=6)
    category = event["categories"][0]["name"]
    under, under_booked = paid_order(paying, provider, alice, event["id"], [(category, 2)])
    over, over_booked = paid_order(paying, provider, bob, event["id"], [(category, 2)])
    ledger, now = get_ledger(), datetime.now(UTC)
    assert money_problems(ledger) == []

    forged = ledger.store.load(UUID(event["id"]))
    ref = ledger.store.find_ref(UUID(under_booked["id"]))
    assert ref is not None
    forged.cancel_booking(ref, now=now)
    active = over_booked["tickets"][1]["code"]
    overpaid = payment_of(ledger, over)
    overpaid.request_refund(tickets={active: 2000}, reason="tickets_cancelled", now=now)
    ledger.store.append(forged, ref, overpaid)

    found = money_problems(ledger)
    active_named, cancelled_named = digest(active), digest(under_booked["tickets"][0]["code"])
    assert any(f"ticket {active_named} of booking {over_booked['id']}, which is still active"
               in m for m in found), found
    assert any(f"booking {under_booked['id']}, whose ticket {cancelled_named} was cancelled, "
               "and no refund asks its 2000 back" in m for m in found), found

    assert paying.post("/api/audit/checkpoints", headers=admin.headers).status_code == 201
    (tmp_path / "log.jsonl").write_text(
        paying.get("/api/audit/export", headers=auditor.headers).text, "utf-8")
    (tmp_path / "keys.json").write_text(paying.get("/api/audit/public-key").text, "utf-8")
    checked = subprocess.run(  # noqa: S603 - our own tool, as an auditor runs it
        [sys.executable, "-I", str(ROOT / "tools" / "verify_export.py"),
         str(tmp_path / "log.jsonl"), "--key", str(tmp_path / "keys.json")],
        capture_output=True, text=True, check=False, timeout=60)
    assert checked.returncode == 1, checked.stdout
    assert f"ticket {active_named} of booking {over_booked['id']}, which is still active" in (
        checked.stdout)
    assert f"whose ticket {cancelled_named} was cancelled" in checked.stdout
    assert str(under["payment_id"]) in checked.stdout


def test_reconciliation_holds_each_refund_against_the_tickets_it_named(
    paying: TestClient, provider: stripe.StripeClient, make_event: Callable[..., dict[str, Any]],
    alice: Caller, admin: Caller,
) -> None:
    since = datetime.now(UTC) - timedelta(seconds=1)
    event = make_event(price="20.00", total_seats=6)
    category = event["categories"][0]["name"]
    matched, matched_booked = paid_order(paying, provider, alice, event["id"], [(category, 2)])
    r = refund_tickets(paying, admin, matched_booked["id"], [matched_booked["tickets"][0]["code"]])
    assert r.status_code == 201 and r.json()["status"] == "refunded", r.text

    # A refund made at the provider under the ledger's key for the refund of ticket A, but for
    # ticket B (another process's doing): found, and recorded, by the ledger's next try.
    paid, booked = paid_order(paying, provider, alice, event["id"], [(category, 2)])
    first, second = [t["code"] for t in booked["tickets"]]
    ledger = get_ledger()
    payment = payment_of(ledger, paid)
    asked = payment.request_refund(tickets={first: 2000}, reason="tickets_cancelled",
                                   now=datetime.now(UTC))
    assert asked is not None
    ledger.store.append(payment)
    other = provider.v1.refunds.create(params={
        "payment_intent": paid["intent_id"], "amount": 2000,
        "metadata": {"ledger_refund": asked.key(payment.id),
                     "ledger_tickets": tickets_named([second])}})
    assert ledger.payment_commands.give_back(payment.id).view["status"] == "refunded"

    gateway = ledger.payment_provider()
    assert gateway is not None
    found = reconcile_period(ledger, gateway, since, datetime.now(UTC) + timedelta(seconds=1))
    ours = {paid["intent_id"], matched["intent_id"]}
    # Other tests' money may be in the period: only this one's is looked at.
    assert [(p["kind"], p["id"]) for p in found.problems
            if p["intent_id"] in ours or p["id"] in ours] == [("refund_tickets_differ", other.id)]
    assert found.matched >= 3  # two payments and the refund made by ticket


def test_a_free_ticket_of_a_paid_booking_refunded_owes_nothing(
    paying: TestClient, provider: stripe.StripeClient, make_event: Callable[..., dict[str, Any]],
    alice: Caller,
) -> None:
    event = make_event(categories=[{"name": "Child", "price": "0.00", "capacity": 10},
                                   {"name": "Adult", "price": "30.00", "capacity": 10}])
    paid, booked = paid_order(paying, provider, alice, event["id"], [("Child", 1), ("Adult", 1)])
    child = booked["tickets"][0]["code"]
    r = refund_tickets(paying, alice, booked["id"], [child])
    assert r.status_code == 201, r.text
    assert (r.json()["amount"], r.json()["status"]) == ("0.00", "nothing_owed")
    assert refunds_at_provider(provider, paid["intent_id"]) == []
    assert money_problems(get_ledger()) == []
