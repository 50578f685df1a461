"""Paying for a hold through Stripe (localstripe, a real stateful Stripe API on 127.0.0.1): the
hold becomes its booking once, whether the confirmation's answer or the webhook tells it first;
paid seats are never booked without a payment; a declined card books nothing; a forged webhook
changes nothing; a payment that succeeds after its hold ended is refunded in full."""

import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
import stripe
from fastapi.testclient import TestClient

from commands.audit.verify import verify_store
from commands.domain.checkout import BY_PAYMENT
from commands.domain.event import Event
from commands.domain.payment import paid_offline, started
from ops import cli
from query_api.service.write_side import get_ledger
from tests.fixtures.api import Caller, assert_error
from tests.support.accounts import accounts_in_store
from tests.support.cards import DECLINED_CARD, THREE_D_SECURE_CARD, card, charged_elsewhere
from tests.support.stripe_notices import StripeNotices
from tests.support.waiting import eventually
from workers.refunds import resume_refunds
from workers.stale_payments import settle_stale_payments


@pytest.fixture
def paying(stripe_on: StripeNotices, client: TestClient) -> TestClient:
    """The app under test, taking payments through localstripe (set up before it starts: ask
    for this fixture before any other that makes the client)."""
    return client


def hold(client: TestClient, who: Caller, event_id: str, quantity: int = 2) -> dict[str, Any]:
    r = client.post(f"/api/events/{event_id}/holds", json={"quantity": quantity},
                    headers=who.headers)
    assert r.status_code == 201, r.text
    return dict(r.json())


def pay(client: TestClient, who: Caller, hold_id: str, method: str) -> Any:
    return client.post(f"/api/holds/{hold_id}/payment", json={"payment_method": method},
                       headers=who.headers)


def test_a_paid_hold_is_booked_by_its_payment_once_however_often_it_is_told(
    paying: TestClient, stripe_on: StripeNotices, provider: stripe.StripeClient,
    make_event: Callable[..., dict[str, Any]], alice: Caller,
) -> None:
    event = make_event(price="12.50", total_seats=5)
    held = hold(paying, alice, event["id"], quantity=2)

    r = pay(paying, alice, held["id"], card(provider))
    assert r.status_code == 201, r.text
    paid = r.json()
    assert paid["status"] == "succeeded" and paid["booking_id"]
    assert (paid["amount"], paid["currency"]) == ("25.00", "EUR")
    intent = provider.v1.payment_intents.retrieve(paid["intent_id"])
    assert (intent.status, intent.amount, intent.metadata["hold_id"]) == (
        "succeeded", 2500, held["id"])

    booking = paying.get(f"/api/bookings/{paid['booking_id']}", headers=alice.headers).json()
    assert (booking["status"], booking["quantity"], len(booking["tickets"])) == (
        "confirmed", 2, 2)
    assert paying.get(f"/api/holds/{held['id']}", headers=alice.headers).json()["status"] == (
        "confirmed")

    # Stripe's webhook after the answer, then again: nothing changes.
    notice = stripe_on.of_intent(paid["intent_id"])[0]
    for _ in range(2):
        r = paying.post("/api/payments/stripe/webhook", content=notice.body,
                        headers=notice.headers)
        assert r.status_code == 200, r.text
        assert r.json() == {"received": True, "changed": False}
    # Asked again, the payment as it stands: no second intent, no second booking.
    again = pay(paying, alice, held["id"], card(provider))
    assert again.status_code == 200, again.text
    assert again.json()["booking_id"] == paid["booking_id"]
    intents = provider.v1.payment_intents.list(params={"limit": 100})
    assert [i.id for i in intents.data if i.metadata.to_dict().get("hold_id") == held["id"]] == [
        paid["intent_id"]]
    seats = paying.get(f"/api/events/{event['id']}").json()["categories"][0]
    assert (seats["sold"], seats["available"]) == (2, 3)
    assert verify_store(get_ledger())["ok"]  # the payment's stream is chained like any other


def test_a_payment_wakes_the_projections_once_for_all_it_appends(
    paying: TestClient, provider: stripe.StripeClient,
    make_event: Callable[..., dict[str, Any]], alice: Caller,
) -> None:
    event = make_event(price="10.00", total_seats=5)
    held = hold(paying, alice, event["id"], quantity=1)
    runner = get_ledger().runner
    woken: list[int] = []
    sends = runner.on_commit
    assert sends is not None

    def counted(position: int) -> None:
        woken.append(position)
        sends(position)

    runner.on_commit = counted
    try:
        r = pay(paying, alice, held["id"], card(provider))
    finally:
        runner.on_commit = sends
    assert r.status_code == 201, r.text
    # Kept, started, then booked: three appends, one wake-up, at the last.
    assert woken == [int(r.headers["x-position"])]
    seats = paying.get(f"/api/events/{event['id']}").json()["categories"][0]
    assert (seats["sold"], seats["held"]) == (1, 0)


def test_paid_seats_are_never_booked_without_a_payment(
    paying: TestClient, make_event: Callable[..., dict[str, Any]], alice: Caller,
    book: Callable[..., Any],
) -> None:
    event = make_event(categories=[{"name": "Paid", "price": "10.00", "capacity": 5},
                                   {"name": "Free", "price": "0.00", "capacity": 5}])
    assert_error(book(alice, event["id"], category="Paid"), 409, "PAYMENT_REQUIRED")
    r = paying.post(f"/api/events/{event['id']}/holds", json={"category": "Paid"},
                    headers=alice.headers)
    assert_error(paying.post(f"/api/holds/{r.json()['id']}/confirm", headers=alice.headers),
                 409, "PAYMENT_REQUIRED")

    # A free category needs no provider: booked at once, or held and confirmed.
    assert book(alice, event["id"], category="Free").status_code == 201
    free = paying.post(f"/api/events/{event['id']}/holds", json={"category": "Free"},
                       headers=alice.headers).json()
    assert_error(pay(paying, alice, free["id"], "pm_unused"), 409, "NOTHING_TO_PAY")
    assert paying.post(f"/api/holds/{free['id']}/confirm",
                       headers=alice.headers).status_code == 201


def test_a_declined_card_books_nothing_and_another_card_then_pays(
    paying: TestClient, provider: stripe.StripeClient,
    make_event: Callable[..., dict[str, Any]], alice: Caller, bob: Caller,
) -> None:
    event = make_event(price="10.00", total_seats=3)
    held = hold(paying, alice, event["id"], quantity=1)

    body = assert_error(pay(paying, alice, held["id"], card(provider, DECLINED_CARD)),
                        402, "PAYMENT_DECLINED")
    assert "declined" in body["message"].lower()
    failed = paying.get(f"/api/holds/{held['id']}/payment", headers=alice.headers).json()
    assert (failed["status"], failed["booking_id"]) == ("failed", None)
    assert failed["message"]
    assert paying.get(f"/api/holds/{held['id']}", headers=alice.headers).json()["status"] == (
        "active")
    # Another buyer may neither pay for nor read it.
    assert_error(pay(paying, bob, held["id"], card(provider)), 404, "HOLD_NOT_FOUND")

    r = pay(paying, alice, held["id"], card(provider))
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "succeeded" and r.json()["booking_id"]
    # The declined attempt's intent can take no money any more.
    first = provider.v1.payment_intents.retrieve(failed["intent_id"])
    assert first.status == "canceled"


def earlier_attempt_failed(client: TestClient, provider: stripe.StripeClient, who: Caller,
                           hold_id: str) -> tuple[Any, str]:
    """A hold's first attempt recorded failed while its intent could still take the buyer's
    money (Stripe lets the browser confirm a declined intent again with another card; here its
    3-D Secure is left open, to be completed later): the payment, and how to complete it."""
    asked = pay(client, who, hold_id, card(provider, THREE_D_SECURE_CARD)).json()
    assert asked["status"] == "requires_action", asked
    ledger = get_ledger()
    payment = ledger.store.find_payment(UUID(asked["payment_id"]))
    assert payment is not None
    payment.fail(reason="card_declined", message="Your card was declined.", notice_id=None,
                 now=datetime.now(UTC))
    ledger.store.append(payment)
    return payment, asked["client_secret"]


def completed(local_stripe: str, intent_id: str, secret: str) -> None:
    """The buyer completes 3-D Secure in Stripe.js (localstripe's own endpoint for it)."""
    done = httpx.post(f"{local_stripe}/v1/payment_intents/{intent_id}/_authenticate",
                      params={"success": "true"},
                      json={"key": "pk_test_ledger", "client_secret": secret})
    assert done.status_code == 200, done.text


def test_a_failed_attempts_intent_paid_in_the_browser_meanwhile_is_the_payment_not_a_second(
    paying: TestClient, local_stripe: str, provider: stripe.StripeClient,
    make_event: Callable[..., dict[str, Any]], alice: Caller,
) -> None:
    """The failed attempt's intent paid in the buyer's browser before they press Pay again:
    that is the payment, and no second intent is made."""
    event = make_event(price="10.00", total_seats=3)
    held = hold(paying, alice, event["id"], quantity=1)
    payment, secret = earlier_attempt_failed(paying, provider, alice, held["id"])
    completed(local_stripe, payment.intent_id, secret)

    r = pay(paying, alice, held["id"], card(provider))
    assert r.status_code in (200, 201), r.text
    assert (r.json()["status"], r.json()["intent_id"]) == ("succeeded", payment.intent_id)
    intents = [i.to_dict() for i in provider.v1.payment_intents.list(params={"limit": 100}).data]
    assert [i["id"] for i in intents if (i.get("metadata") or {}).get("hold_id") == held["id"]
            ] == [payment.intent_id]
    assert verify_store(get_ledger())["ok"]


def test_a_replaced_attempts_intent_that_takes_money_after_all_is_refunded_in_full(
    paying: TestClient, stripe_on: StripeNotices, local_stripe: str,
    provider: stripe.StripeClient, make_event: Callable[..., dict[str, Any]], alice: Caller,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The earlier attempt's intent paid in the browser just after the ledger replaced it
    (between `PaymentRestarted` and its cancellation; its success told by its webhook): the
    later attempt books the hold, the earlier one's money goes back in full."""
    since = datetime.now(UTC) - timedelta(seconds=1)
    event = make_event(price="10.00", total_seats=3)
    held = hold(paying, alice, event["id"], quantity=1)
    payment, secret = earlier_attempt_failed(paying, provider, alice, held["id"])
    earlier = payment.intent_id
    # The later attempt, as `pay` records it before it cancels the earlier intent...
    later = provider.v1.payment_intents.create(params={
        "amount": 1000, "currency": "eur", "payment_method": card(provider),
        "metadata": {"hold_id": held["id"], "attempt": "2"}})
    payment.restart(later.id, now=datetime.now(UTC))
    ledger = get_ledger()
    ledger.store.append(payment)
    # ... and in that moment the buyer's browser pays the earlier one.
    completed(local_stripe, earlier, secret)
    notice = next(n for n in stripe_on.of_intent(earlier)
                  if b"payment_intent.succeeded" in n.body)
    r = paying.post("/api/payments/stripe/webhook", content=notice.body, headers=notice.headers)
    assert r.json() == {"received": True, "changed": True}
    again = paying.post("/api/payments/stripe/webhook", content=notice.body,
                        headers=notice.headers)
    assert again.json() == {"received": True, "changed": False}
    refunds = provider.v1.refunds.list(params={"payment_intent": earlier})
    assert [x.amount for x in refunds.data] == [1000]
    shown = paying.get(f"/api/holds/{held['id']}/payment", headers=alice.headers).json()
    assert shown["status"] == "started"  # the later attempt is still being made

    # The later attempt books the hold, as it would have.
    provider.v1.payment_intents.confirm(later.id)
    notice = next(n for n in stripe_on.of_intent(later.id)
                  if b"payment_intent.succeeded" in n.body)
    paying.post("/api/payments/stripe/webhook", content=notice.body, headers=notice.headers)
    paid = paying.get(f"/api/holds/{held['id']}/payment", headers=alice.headers).json()
    assert (paid["status"], paid["intent_id"]) == ("succeeded", later.id) and paid["booking_id"]
    report = verify_store(ledger)
    assert report["ok"], [p for e in report["events"] for p in e["problems"]]
    cli.main(["reconcile", "--json", "--since", since.isoformat()])
    problems = json.loads(capsys.readouterr().out)["problems"]  # other tests' may be there
    assert not [p for p in problems if {p["id"], p["intent_id"]} & {earlier, later.id}]


def test_a_hold_is_kept_while_its_payment_waits_for_3d_secure_then_booked(
    paying: TestClient, local_stripe: str, provider: stripe.StripeClient,
    make_event: Callable[..., dict[str, Any]], alice: Caller,
) -> None:
    event = make_event(price="10.00", total_seats=3, hold_seconds=60)
    held = hold(paying, alice, event["id"], quantity=1)
    time.sleep(1)  # the buyer types the card in

    r = pay(paying, alice, held["id"], card(provider, THREE_D_SECURE_CARD))
    assert r.status_code == 201, r.text
    asked = r.json()
    assert asked["status"] == "requires_action" and asked["client_secret"]
    # Its seats kept one hold length from the payment's start (the scheduler expires them
    # no earlier: tests/commands/domain/test_holds_and_waitlists.py).
    kept = paying.get(f"/api/holds/{held['id']}", headers=alice.headers).json()
    assert kept["status"] == "active" and kept["expires_at"] > held["expires_at"]

    # The buyer completes 3-D Secure in Stripe.js (localstripe's own endpoint for it), and the
    # page asks again.
    done = httpx.post(f"{local_stripe}/v1/payment_intents/{asked['intent_id']}/_authenticate",
                      params={"success": "true"},
                      json={"key": "pk_test_ledger", "client_secret": asked["client_secret"]})
    assert done.status_code == 200, done.text
    again = pay(paying, alice, held["id"], card(provider, THREE_D_SECURE_CARD))
    assert again.status_code == 201, again.text  # it booked the hold
    assert again.json()["status"] == "succeeded" and again.json()["booking_id"]
    assert verify_store(get_ledger())["ok"]


def test_a_payment_left_half_made_is_settled_from_the_provider_or_abandoned_with_its_hold(
    paying: TestClient, local_stripe: str, provider: stripe.StripeClient,
    make_event: Callable[..., dict[str, Any]], alice: Caller, bob: Caller,
) -> None:
    event = make_event(price="10.00", total_seats=3)

    def left_at_3d_secure(who: Caller) -> tuple[dict[str, Any], dict[str, Any]]:
        held = hold(paying, who, event["id"], quantity=1)
        r = pay(paying, who, held["id"], card(provider, THREE_D_SECURE_CARD))
        assert r.status_code == 201 and r.json()["status"] == "requires_action", r.text
        return held, r.json()

    def settled() -> dict[str, int]:
        return settle_stale_payments(get_ledger(), older_than=timedelta(0))

    def settles(expected: dict[str, int]) -> bool:  # once the read model shows it started
        return eventually(lambda: settled() == expected, timeout=10) is True

    # Alice finishes 3-D Secure, but her page never asks again and no webhook comes.
    alices, paid = left_at_3d_secure(alice)
    done = httpx.post(f"{local_stripe}/v1/payment_intents/{paid['intent_id']}/_authenticate",
                      params={"success": "true"},
                      json={"key": "pk_test_ledger", "client_secret": paid["client_secret"]})
    assert done.status_code == 200, done.text
    # Bob leaves it open, then gives his seats back.
    bobs, open_ = left_at_3d_secure(bob)

    # Found: Alice's booked; Bob's left alone while his hold lasts.
    assert settles({"succeeded": 1})
    mine = paying.get(f"/api/holds/{alices['id']}/payment", headers=alice.headers).json()
    assert (mine["status"], mine["booking_id"] is not None) == ("succeeded", True)
    assert paying.delete(f"/api/holds/{bobs['id']}", headers=bob.headers).status_code == 200
    # His hold ended: the intent is cancelled at Stripe before the payment is failed.
    assert settles({"failed": 1})
    assert provider.v1.payment_intents.retrieve(open_["intent_id"]).status == "canceled"
    his = paying.get(f"/api/holds/{bobs['id']}/payment", headers=bob.headers).json()
    assert his["status"] == "failed"
    assert settled() == {}  # settled once
    assert verify_store(get_ledger())["ok"]


def test_a_forged_or_tampered_webhook_is_refused_and_changes_nothing(
    paying: TestClient, stripe_on: StripeNotices, provider: stripe.StripeClient,
    make_event: Callable[..., dict[str, Any]], alice: Caller,
) -> None:
    event = make_event(price="10.00", total_seats=3)
    held = hold(paying, alice, event["id"], quantity=1)
    intent = charged_elsewhere(provider, held["id"], 1000)
    notice = stripe_on.of_intent(intent)[0]

    forged = notice.body.replace(b'"amount": 1000', b'"amount": 1')
    for body, headers in ((forged, notice.headers),
                          (notice.body, {"Stripe-Signature": "t=1,v1=00"}),
                          (notice.body, {})):
        r = paying.post("/api/payments/stripe/webhook", content=body, headers=headers)
        assert_error(r, 400, "INVALID_SIGNATURE")
    assert paying.get(f"/api/holds/{held['id']}", headers=alice.headers).json()["status"] == (
        "active")
    assert_error(paying.get(f"/api/holds/{held['id']}/payment", headers=alice.headers),
                 404, "PAYMENT_NOT_FOUND")


def test_the_webhook_alone_books_a_payment_whose_answer_never_came(
    paying: TestClient, stripe_on: StripeNotices, provider: stripe.StripeClient,
    make_event: Callable[..., dict[str, Any]], alice: Caller,
) -> None:
    """The intent made and paid at the provider, the process that made it gone before it
    recorded anything: the webhook records the payment and books the hold."""
    event = make_event(price="10.00", total_seats=3)
    held = hold(paying, alice, event["id"], quantity=2)
    intent = charged_elsewhere(provider, held["id"], 2000)

    notice = stripe_on.of_intent(intent)[0]
    r = paying.post("/api/payments/stripe/webhook", content=notice.body, headers=notice.headers)
    assert r.json() == {"received": True, "changed": True}
    paid = paying.get(f"/api/holds/{held['id']}/payment", headers=alice.headers).json()
    assert (paid["status"], paid["intent_id"], paid["amount"]) == ("succeeded", intent, "20.00")
    assert paying.get(f"/api/holds/{held['id']}", headers=alice.headers).json()["status"] == (
        "confirmed")
    r = paying.post("/api/payments/stripe/webhook", content=notice.body, headers=notice.headers)
    assert r.json() == {"received": True, "changed": False}


def test_a_payment_of_another_amount_books_nothing_and_goes_back(
    paying: TestClient, stripe_on: StripeNotices, provider: stripe.StripeClient,
    make_event: Callable[..., dict[str, Any]], alice: Caller,
) -> None:
    event = make_event(price="10.00", total_seats=3)
    held = hold(paying, alice, event["id"], quantity=2)
    intent = charged_elsewhere(provider, held["id"], 50)  # our hold's id, for 0.50 of 20.00

    notice = stripe_on.of_intent(intent)[0]
    paying.post("/api/payments/stripe/webhook", content=notice.body, headers=notice.headers)
    paid = paying.get(f"/api/holds/{held['id']}/payment", headers=alice.headers).json()
    assert (paid["status"], paid["booking_id"], paid["amount"]) == ("refunded", None, "20.00")
    assert paying.get(f"/api/holds/{held['id']}", headers=alice.headers).json()["status"] == (
        "active")
    refunds = provider.v1.refunds.list(params={"payment_intent": intent})
    assert [r.amount for r in refunds.data] == [50]


def test_a_payment_that_succeeds_after_its_hold_ended_is_refunded_in_full(
    paying: TestClient, stripe_on: StripeNotices, provider: stripe.StripeClient,
    make_event: Callable[..., dict[str, Any]], alice: Caller,
) -> None:
    event = make_event(price="10.00", total_seats=3)
    held = hold(paying, alice, event["id"], quantity=1)
    assert paying.delete(f"/api/holds/{held['id']}", headers=alice.headers).status_code == 200
    assert_error(pay(paying, alice, held["id"], card(provider)), 409, "HOLD_ENDED")
    intent = charged_elsewhere(provider, held["id"], 1000)  # paid while it was being released

    notice = stripe_on.of_intent(intent)[0]
    paying.post("/api/payments/stripe/webhook", content=notice.body, headers=notice.headers)
    paid = paying.get(f"/api/holds/{held['id']}/payment", headers=alice.headers).json()
    assert (paid["status"], paid["booking_id"], paid["refunded"]) == ("refunded", None, "10.00")
    refunds = provider.v1.refunds.list(params={"payment_intent": intent})
    assert [(r.amount, r.status) for r in refunds.data] == [(1000, "succeeded")]
    seats = paying.get(f"/api/events/{event['id']}").json()["categories"][0]
    assert (seats["sold"], seats["available"]) == (0, 3)
    assert verify_store(get_ledger())["ok"]


def test_buyers_paying_at_once_for_the_last_seats_never_oversell_and_each_payment_is_one_booking_or_one_refund(  # noqa: E501
    paying: TestClient, stripe_on: StripeNotices, provider: stripe.StripeClient,
    make_event: Callable[..., dict[str, Any]],
) -> None:
    event = make_event(price="10.00", total_seats=8)
    buyers = [headers for _, headers in accounts_in_store(
        {f"Buyer{i}": "customer" for i in range(24)}).values()]

    def hold_one(headers: dict[str, str]) -> Any:
        return paying.post(f"/api/events/{event['id']}/holds", json={"quantity": 1},
                           headers=headers)

    with ThreadPoolExecutor(8) as pool:
        asked = list(pool.map(hold_one, buyers))
    won = [(r.json()["id"], buyers[i]) for i, r in enumerate(asked) if r.status_code == 201]
    assert len(won) == 8, [r.status_code for r in asked]
    assert {r.json()["code"] for r in asked if r.status_code != 201} == {"SOLD_OUT"}
    # Two buyers give their seats back, and two others take them; the first two's payments,
    # made meanwhile, succeed at the provider all the same.
    late = []
    for hold_id, headers in won[:2]:
        assert paying.delete(f"/api/holds/{hold_id}", headers=headers).status_code == 200
        late.append((hold_id, charged_elsewhere(provider, hold_id, 1000)))
    losers = [h for i, h in enumerate(buyers) if asked[i].status_code != 201]
    retaken = [hold_one(h) for h in losers[:2]]
    active = won[2:] + [(r.json()["id"], losers[i]) for i, r in enumerate(retaken)]
    assert len(active) == 8

    def pay_for(held: tuple[str, dict[str, str]]) -> Any:
        hold_id, headers = held
        return paying.post(f"/api/holds/{hold_id}/payment",
                           json={"payment_method": card(provider)}, headers=headers)

    with ThreadPoolExecutor(8) as pool:
        paid = list(pool.map(pay_for, active))
    assert [r.status_code for r in paid] == [201] * 8, [r.text for r in paid]
    intents = [r.json()["intent_id"] for r in paid] + [intent for _, intent in late]
    notices = [n for intent in intents for n in stripe_on.of_intent(intent)]
    with ThreadPoolExecutor(8) as pool:  # every webhook twice, all at once
        answers = list(pool.map(lambda n: paying.post(
            "/api/payments/stripe/webhook", content=n.body, headers=n.headers), notices * 2))
    refused = [r.text for r in answers if r.status_code != 200]
    assert refused == [], refused

    bought = [paying.get(f"/api/holds/{hold_id}/payment", headers=headers).json()
              for hold_id, headers in active]
    assert {p["status"] for p in bought} == {"succeeded"}
    assert len({p["booking_id"] for p in bought}) == 8
    for hold_id, headers in won[:2]:
        refunded = paying.get(f"/api/holds/{hold_id}/payment", headers=headers).json()
        assert (refunded["status"], refunded["booking_id"]) == ("refunded", None)
    for _, intent in late:
        refunds = provider.v1.refunds.list(params={"payment_intent": intent})
        assert [r.amount for r in refunds.data] == [1000]
    seats = paying.get(f"/api/events/{event['id']}").json()["categories"][0]
    assert (seats["sold"], seats["available"]) == (8, 0)
    assert verify_store(get_ledger())["ok"]


def test_a_paid_booking_cancelled_is_refunded_in_full_once(
    paying: TestClient, provider: stripe.StripeClient,
    make_event: Callable[..., dict[str, Any]], alice: Caller,
) -> None:
    event = make_event(price="15.00", total_seats=4)
    held = hold(paying, alice, event["id"], quantity=2)
    paid = pay(paying, alice, held["id"], card(provider)).json()

    r = paying.delete(f"/api/bookings/{paid['booking_id']}", headers=alice.headers)
    assert r.status_code == 200, r.text
    payment = paying.get(f"/api/holds/{held['id']}/payment", headers=alice.headers).json()
    assert (payment["status"], payment["refunded"]) == ("refunded", "30.00")
    refunds = provider.v1.refunds.list(params={"payment_intent": paid["intent_id"]})
    assert [r.amount for r in refunds.data] == [3000]
    # Cancelled again: refused, and no second refund.
    assert_error(paying.delete(f"/api/bookings/{paid['booking_id']}", headers=alice.headers),
                 400, "ALREADY_CANCELLED")
    refunds = provider.v1.refunds.list(params={"payment_intent": paid["intent_id"]})
    assert len(refunds.data) == 1
    assert verify_store(get_ledger())["ok"]


# Embedded: the refunds' manager runs in this process (on PostgreSQL it is a worker's:
# tests/reliability/test_paid_event_cancelled.py).
@pytest.mark.parametrize("backend", ["embedded"], indirect=True)
def test_an_event_cancelled_leaves_its_refunds_to_the_manager_which_makes_each_once(
    paying: TestClient, provider: stripe.StripeClient, admin: Caller,
    make_event: Callable[..., dict[str, Any]], signup: Callable[[str], Caller],
    book: Callable[..., Any],
) -> None:
    event = make_event(categories=[{"name": "Paid", "price": "20.00", "capacity": 10},
                                   {"name": "Free", "price": "0.00", "capacity": 10}])
    paid = []
    for name in ("Ann", "Ben", "Cat"):
        buyer = signup(name)
        held = paying.post(f"/api/events/{event['id']}/holds", json={"category": "Paid"},
                           headers=buyer.headers).json()
        paid.append(pay(paying, buyer, held["id"], card(provider)).json())
        assert book(buyer, event["id"], category="Free").status_code == 201

    r = paying.post(f"/api/events/{event['id']}/cancel", json={"reason": "Venue flooded"},
                    headers=admin.headers)
    assert r.status_code == 200, r.text
    ledger = get_ledger()
    ids = [UUID(p["payment_id"]) for p in paid]
    # Asked for with the cancellation; made by the manager (its tick here, or this call).
    assert all(status_of(ledger, i)[0] in ("refund_pending", "refunded") for i in ids)

    def all_refunded() -> bool:
        resume_refunds(ledger, ledger.eventlog)
        return all(status_of(ledger, i) == ("refunded", 2000) for i in ids)

    assert eventually(all_refunded)
    resume_refunds(ledger, ledger.eventlog)  # again: nothing more is given back
    for p in paid:
        refunds = provider.v1.refunds.list(params={"payment_intent": p["intent_id"]})
        assert [r.amount for r in refunds.data] == [2000]
    assert verify_store(ledger)["ok"]


def test_verify_finds_a_payment_that_names_a_booking_never_made_or_refunds_too_much(
    paying: TestClient, provider: stripe.StripeClient,
    make_event: Callable[..., dict[str, Any]], alice: Caller,
) -> None:
    """Payments written straight to the store, chained as the write side chains them, that no
    command would make: verify holds them against the bookings."""
    event = make_event(price="10.00", total_seats=3)
    held = hold(paying, alice, event["id"], quantity=1)
    paid = pay(paying, alice, held["id"], card(provider)).json()
    assert verify_store(get_ledger())["ok"]

    ledger, now = get_ledger(), datetime.now(UTC)
    stranger = hold(paying, alice, event["id"], quantity=1)
    forged = started(uuid4(), hold={"id": UUID(stranger["id"]), "event_id": UUID(event["id"]),
                                    "user_id": alice.id}, amount=1000, currency="EUR",
                     provider="stripe", intent_id="pi_forged", now=now)
    forged.succeed(captured=1000, charge_id=None, booking_id=uuid4(), notice_id=None, now=now)
    real = ledger.store.find_payment(UUID(paid["payment_id"]))
    assert real is not None
    asked = real.request_refund(tickets={"sha256:a-ticket": 1000}, reason="booking_cancelled",
                                now=now)
    assert asked is not None
    real.refunded_by(asked, "re_1", now=now)
    # A second refund, which no command makes: its applier called as a forger would.
    real._refund_succeeded(event_id=real.event_id, refund_id="re_2", amount=1000,
                           refunded_at=now)
    ledger.store.append(forged, real)

    report = verify_store(ledger)
    assert not report["ok"]
    found = [p["message"] for e in report["events"] for p in e["problems"]
             if p["rule"] == "payment"]
    assert any("which its event never made" in m for m in found), found
    assert any("more than the 1000 it captured" in m for m in found), found


def test_verify_finds_paid_seats_booked_by_a_payment_that_never_succeeded(
    paying: TestClient, provider: stripe.StripeClient,
    make_event: Callable[..., dict[str, Any]], alice: Caller,
) -> None:
    """A booking whose event says its payment booked it (`settlement`) with no succeeded payment
    naming it: written straight to the store as a forger would, since no command makes one."""
    event = make_event(price="10.00", total_seats=3)
    paid = pay(paying, alice, hold(paying, alice, event["id"], quantity=1)["id"],
               card(provider)).json()
    ledger = get_ledger()
    stream = ledger.store.repository.event_store.get(UUID(event["id"]))
    [booked] = [e for e in stream if isinstance(e, Event.SeatsBooked)]
    assert booked.settlement == BY_PAYMENT and str(booked.booking_id) == paid["booking_id"]
    assert verify_store(ledger)["ok"]

    forged = ledger.store.load(UUID(event["id"]))
    forged._seats_booked(booking_id=uuid4(), user_id=str(alice.id), user_name="Alice",
                         category=event["categories"][0]["name"], quantity=1,
                         unit_price=Decimal("10.00"),
                         ticket_codes=[uuid4().hex], booked_at=datetime.now(UTC),
                         settlement=BY_PAYMENT)
    ledger.store.append(forged)

    report = verify_store(ledger)
    found = [p["message"] for e in report["events"] for p in e["problems"]
             if p["rule"] == "payment"]
    assert not report["ok"]
    assert any("was booked by its payment, and no payment that succeeded names it" in m
               for m in found), found


def test_reconciliation_finds_money_on_one_side_only_and_matches_the_rest(
    paying: TestClient, provider: stripe.StripeClient,
    make_event: Callable[..., dict[str, Any]], alice: Caller, capsys: pytest.CaptureFixture[str],
) -> None:
    since = datetime.now(UTC) - timedelta(seconds=1)
    event = make_event(price="10.00", total_seats=5)
    matched = pay(paying, alice, hold(paying, alice, event["id"])["id"], card(provider)).json()
    refunded = pay(paying, alice, hold(paying, alice, event["id"])["id"], card(provider)).json()
    assert paying.delete(f"/api/bookings/{refunded['booking_id']}",
                         headers=alice.headers).status_code == 200
    # Money taken at the provider whose notice never came: the ledger knows nothing of it.
    elsewhere = charged_elsewhere(provider, hold(paying, alice, event["id"])["id"], 1000)
    # A success in the ledger the provider never saw (written straight to the store).
    ledger, now = get_ledger(), datetime.now(UTC)
    forged = started(uuid4(), hold={"id": uuid4(), "event_id": UUID(event["id"]),
                                    "user_id": alice.id}, amount=1000, currency="EUR",
                     provider="stripe", intent_id="pi_only_in_the_ledger", now=now)
    forged.succeed(captured=1000, charge_id=None, booking_id=None, notice_id=None, now=now)
    # Money taken at the door never reached the provider: not a disagreement.
    at_the_door = paid_offline(uuid4(), booking_id=uuid4(), event_id=UUID(event["id"]),
                               user_id=str(alice.id), amount=1000, currency="EUR", method="door",
                               reference="R-1", now=now)
    ledger.store.append(forged, at_the_door)

    status = cli.main(["reconcile", "--json", "--since", since.isoformat()])
    report = json.loads(capsys.readouterr().out)
    assert status == 1
    found = {(p["kind"], p["id"]) for p in report["problems"]}
    assert ("payment_only_at_provider", elsewhere) in found
    assert ("payment_only_in_ledger", "pi_only_in_the_ledger") in found
    assert all(not p["id"].startswith("door:") for p in report["problems"])
    mentioned = {p["id"] for p in report["problems"]}
    assert matched["intent_id"] not in mentioned and refunded["intent_id"] not in mentioned
    refunds = provider.v1.refunds.list(params={"payment_intent": refunded["intent_id"]})
    assert refunds.data[0].id not in mentioned  # the refund matches too


# Embedded: the manager runs in this process. On PostgreSQL it is the workers' (the API's role
# may not move its tracking row), and the suite's workers have no payment provider.
@pytest.mark.parametrize("backend", ["embedded"], indirect=True)
def test_refunds_left_undone_or_failed_are_made_once_by_the_refunds_manager(
    paying: TestClient, provider: stripe.StripeClient,
    make_event: Callable[..., dict[str, Any]], alice: Caller,
) -> None:
    """Payments whose refund a crash left undone, written straight to the store as the write
    side would have: asked for and never made; made at the provider, never recorded; failed."""
    event = make_event(price="10.00", total_seats=5)
    ledger, now = get_ledger(), datetime.now(UTC)

    def paid_for(refund: str) -> tuple[UUID, str]:
        held = hold(paying, alice, event["id"], quantity=1)
        intent = charged_elsewhere(provider, held["id"], 1000)
        payment = started(uuid4(), hold={"id": UUID(held["id"]), "event_id": UUID(event["id"]),
                                         "user_id": alice.id}, amount=1000, currency="EUR",
                          provider="stripe", intent_id=intent, now=now)
        payment.succeed(captured=1000, charge_id=None, booking_id=None, notice_id=None, now=now)
        if refund in ("made", "failed"):
            made = provider.v1.refunds.create(params={
                "payment_intent": intent, "amount": 1000,
                "metadata": {"ledger_refund": payment.refunds[0].key(payment.id)}})
            assert made.status == "succeeded"
        if refund == "failed":  # recorded as failed though it went through (a lost answer)
            payment.refund_failed(payment.refunds[0], reason="PROVIDER_UNAVAILABLE",
                                  message="no answer", now=now)
        ledger.store.append(payment)
        return payment.id, intent

    undone, made, failed = paid_for("undone"), paid_for("made"), paid_for("failed")
    assert resume_refunds(ledger, ledger.eventlog, now=now + timedelta(seconds=5)) == 0
    assert status_of(ledger, undone[0]) == ("refund_pending", 0)  # within its grace

    later = now + timedelta(minutes=2)
    assert resume_refunds(ledger, ledger.eventlog, now=later) == 3
    resume_refunds(ledger, ledger.eventlog, now=later)  # again: each is made already
    for payment_id, intent in (undone, made, failed):
        assert status_of(ledger, payment_id) == ("refunded", 1000)
        refunds = provider.v1.refunds.list(params={"payment_intent": intent})
        assert [r.amount for r in refunds.data] == [1000]  # one refund each, never two
    assert verify_store(ledger)["ok"]


def status_of(ledger: Any, payment_id: UUID) -> tuple[str, int]:
    payment = ledger.store.find_payment(payment_id)
    assert payment is not None
    return payment.status, payment.refunded


def test_the_browser_learns_how_to_pay(paying: TestClient, local_stripe: str) -> None:
    found = paying.get("/api/payments/config").json()
    assert found == {"provider": "stripe", "publishable_key": "pk_test_ledger",
                     "js_url": f"{local_stripe}/js.stripe.com/v3/"}
    # The web UI's pages may load that Stripe.js, let it draw its field and call its API.
    policy = paying.get("/events").headers["content-security-policy"]
    for directive in ("script-src", "connect-src", "frame-src"):
        assert local_stripe in next(d for d in policy.split(";") if d.strip().startswith(directive))


def test_with_no_provider_paid_seats_are_booked_as_before(
    client: TestClient, make_event: Callable[..., dict[str, Any]], alice: Caller,
    book: Callable[..., Any],
) -> None:
    assert client.get("/api/payments/config").json()["provider"] is None
    event = make_event(price="10.00")
    assert book(alice, event["id"]).status_code == 201
    held = hold(client, alice, event["id"], quantity=1)
    assert_error(pay(client, alice, held["id"], "pm_card_visa"), 409, "PAYMENTS_OFF")
    assert client.post(f"/api/holds/{held['id']}/confirm",
                       headers=alice.headers).status_code == 201


def test_a_total_below_stripes_smallest_charge_is_refused_in_words_before_any_call(
    paying: TestClient, provider: stripe.StripeClient,
    make_event: Callable[..., dict[str, Any]], alice: Caller,
) -> None:
    event = make_event(price="0.20", total_seats=5)
    held = hold(paying, alice, event["id"], quantity=1)
    before = len(provider.v1.payment_intents.list(params={"limit": 100}).data)
    body = assert_error(pay(paying, alice, held["id"], card(provider)), 409, "AMOUNT_TOO_SMALL")
    assert "under 0.50 EUR" in body["message"] and "0.20" in body["message"]
    assert len(provider.v1.payment_intents.list(params={"limit": 100}).data) == before
    # Enough seats to reach it: paid.
    more = hold(paying, alice, make_event(price="0.20", total_seats=5)["id"], quantity=3)
    assert pay(paying, alice, more["id"], card(provider)).json()["status"] == "succeeded"
