"""Refunds through a provider that comes and goes: localstripe stopped (shut down, or killed
mid-request) and started again at random while 200 refunds of tickets, cancellations of
bookings, an organizer's "ask again" and the cancellation of one event are asked of 50 paid
bookings, from several threads at once (`refund_operations.py`). Once it is back and the
refunds' manager has made every refund still owed, each booking has had back exactly the price
of its cancelled tickets, in the ledger and at the provider (no less, and nothing of a ticket
still active); reconciliation and verify find nothing wrong.

What is answered during the outages (a refund failed or left pending, 503, a ticket refused as
refunded already, a booking as cancelled already) is the chaos, not a failure: the money at the
end is judged, and any answer the app failed to give (500). `REFUND_CHAOS_SEED` runs another
schedule of operations and outages.
"""

import os
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import stripe
from fastapi.testclient import TestClient

from commands.application.views import booking_view
from commands.audit.reconciliation import reconcile_period
from commands.audit.verify import verify_store
from commands.domain.payment import Payment, payment_of_booking
from commands.ledger import Ledger
from query_api.service.write_side import get_ledger
from tests.fixtures.api import Caller, future
from tests.reliability.refund_operations import (
    FAILED,
    PENDING,
    THREADS,
    Bought,
    Run,
    run_with_outages,
    schedule,
)
from tests.support.cards import card
from tests.support.durable_stripe import DurableStripe
from workers.refunds import resume_refunds

pytestmark = [pytest.mark.scenario, pytest.mark.provider]
SEED = int(os.environ.get("REFUND_CHAOS_SEED", "8128"))
BOOKINGS, OPERATIONS, BUYERS, EVENTS = 50, 200, 5, 4
CANCELLED_EVENT = EVENTS - 1  # its organizer cancels it early in the operations
# What each event sells, the free category first; a booking's lines come in any order.
PRICES = {"Child": "0.00", "Student": "12.50", "Adult": "20.00"}
MINOR = {"Child": 0, "Student": 1250, "Adult": 2000}


@pytest.fixture
def stripe_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DurableStripe]:
    """A localstripe of this test's own, which it stops and starts again; the app under test
    pays and refunds through it (set up before the app starts)."""
    server = DurableStripe(tmp_path)
    server.start()
    monkeypatch.setenv("STRIPE_API_KEY", "sk_test_outages")
    monkeypatch.setenv("STRIPE_PUBLISHABLE_KEY", "pk_test_outages")
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", "whsec_outages")
    monkeypatch.setenv("STRIPE_API_BASE", server.base)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def app(stripe_server: DurableStripe, cheap_hashing: None, client: TestClient) -> TestClient:
    return client


# Embedded: the refunds' manager runs in this process, beside the operations, as in production.
@pytest.mark.parametrize("backend", ["embedded"], indirect=True)
def test_each_booking_gets_back_exactly_its_cancelled_tickets_though_the_provider_comes_and_goes(
    app: TestClient, stripe_server: DurableStripe, organizer: Callable[[str], Caller],
    signup: Callable[[str], Caller],
) -> None:
    print(f"\nREFUND_CHAOS_SEED={SEED}")
    rng = random.Random(SEED)
    since = datetime.now(UTC) - timedelta(seconds=5)
    olga = organizer("Olga")
    buyers = [signup(f"Buyer{i}") for i in range(BUYERS)]
    events = [make_event(app, olga, n) for n in range(EVENTS)]
    stripe_js = stripe.StripeClient("sk_test_outages", base_addresses={"api": stripe_server.base})
    plans = [(n, n % EVENTS, buyers[n % BUYERS],
              order_lines(rng, free_first=n // EVENTS % 2 == 0)) for n in range(BOOKINGS)]
    with ThreadPoolExecutor(THREADS) as pool:
        bought = list(pool.map(lambda plan: buy(app, stripe_js, events, plan), plans))

    run = Run(app, olga, events, bought, SEED)
    operations = schedule(rng, BOOKINGS, OPERATIONS, CANCELLED_EVENT)
    run_with_outages(run, stripe_server, operations, random.Random(rng.random()))
    print(f"operations' answers: {dict(sorted(run.answers.items()))}")
    print(f"localstripe started {stripe_server.starts} times")

    ledger = get_ledger()
    rounds = settle_every_refund(app, olga, ledger, bought)
    print(f"every refund made after {rounds} rounds of the refunds' manager")
    failures = run.crashed + money_given_back(ledger, stripe_js, events, bought)
    failures += reconciled(ledger, since)
    failures += verified(ledger)
    assert not failures, f"seed {SEED}: {len(failures)} problems\n" + "\n".join(failures)


def make_event(client: TestClient, owner: Caller, n: int) -> dict[str, Any]:
    body = {"name": f"Show {n}", "venue": "Hall", "starts_at": future(), "categories": [
        {"name": name, "price": price, "capacity": 200} for name, price in PRICES.items()]}
    r = client.post("/api/events", json=body, headers=owner.headers)
    assert r.status_code == 201, r.text
    return dict(r.json())


def order_lines(rng: random.Random, *, free_first: bool) -> list[dict[str, Any]]:
    """An order of one to three categories, at least one paid, one to three seats each; a free
    line first when `free_first` (a booking whose first line costs nothing is still paid for)."""
    names = rng.sample(list(PRICES), rng.randint(1, len(PRICES)))
    if names == ["Child"]:
        names.append("Adult")
    if "Child" in names:
        names.remove("Child")
        names.insert(0 if free_first else len(names), "Child")
    return [{"category": name, "quantity": rng.randint(1, 3)} for name in names]


def buy(client: TestClient, stripe_js: stripe.StripeClient, events: list[dict[str, Any]],
        plan: tuple[int, int, Caller, list[dict[str, Any]]]) -> Bought:
    """Booking `n` held and paid for by card, as its buyer's browser does."""
    n, event, buyer, lines = plan
    key = {"Idempotency-Key": f"order-{n}"}
    held = asked_again_when_busy(lambda: client.post(
        f"/api/events/{events[event]['id']}/holds", json={"lines": lines},
        headers=buyer.headers | key))
    assert held.status_code == 201, held.text
    method = card(stripe_js)
    paid = asked_again_when_busy(lambda: client.post(
        f"/api/holds/{held.json()['id']}/payment", json={"payment_method": method},
        headers=buyer.headers))
    assert paid.status_code in (200, 201), paid.text  # 200: asked again, as it stands
    assert paid.json()["status"] == "succeeded", paid.text
    return Bought(str(paid.json()["booking_id"]), event, buyer, paid.json()["intent_id"])


def asked_again_when_busy(call: Callable[[], Any]) -> Any:
    """The answer, asked again while it is 503 (the embedded store busy with the other
    buyers): the set-up runs before any outage, and must not fail on one."""
    for _ in range(20):
        answer = call()
        if answer.status_code != 503:
            return answer
        time.sleep(0.2)
    return answer


def settle_every_refund(client: TestClient, owner: Caller, ledger: Ledger,
                        bought: list[Bought]) -> int:
    """Every refund still owed made, the provider up: the refunds' manager run with its clock
    moved past every grace and backoff; one still failed after it (the manager stops trying
    after too many failures in a row) asked again by the organizer, as their page offers. How
    many rounds it took."""
    deadline = time.monotonic() + 60
    rounds = 0
    while True:
        rounds += 1
        # Later each round: a refund the manager marks stranded is marked at the clock it was
        # given, and its next backoff counts from there. None is made while the app's own tick
        # of the manager runs: the next round makes them.
        later = datetime.now(UTC) + timedelta(hours=rounds)
        resume_refunds(ledger, ledger.eventlog, now=later)
        owed = [(b, p) for b in bought if (p := payment_of(ledger, b)).status in (PENDING, FAILED)]
        if not owed:
            return rounds
        if time.monotonic() > deadline:
            still = [f"{b.booking_id}: {p.status}, {p.failure}" for b, p in owed]
            raise AssertionError("refunds still owed with the provider up:\n" + "\n".join(still))
        for booking, payment in owed:
            if payment.status == FAILED:
                client.post(f"/api/bookings/{booking.booking_id}/payment/refund-retry",
                            headers=owner.headers)
        time.sleep(0.2)


def payment_of(ledger: Ledger, booking: Bought) -> Payment:
    payment = ledger.store.find_payment(payment_of_booking(UUID(booking.booking_id)))
    assert payment is not None, f"booking {booking.booking_id} has no payment"
    return payment


def money_given_back(ledger: Ledger, stripe_js: stripe.StripeClient,
                     events: list[dict[str, Any]], bought: list[Bought]) -> list[str]:
    """Each booking whose money given back (in the ledger, or at the provider) is not the
    price of its cancelled tickets: which one, its tickets, what it was owed and given, and
    what was asked of it."""
    problems, shapes = [], Counter[str]()
    for booking in bought:
        ref = ledger.store.find_ref(UUID(booking.booking_id))
        assert ref is not None
        view = booking_view(ref)
        tickets = [(t["category"], t["status"]) for t in view["tickets"]]
        owed = sum(MINOR[category] for category, status in tickets if status == "cancelled")
        shapes[shape(tickets)] += 1
        payment = payment_of(ledger, booking)
        listed = stripe_js.v1.refunds.list(
            params={"payment_intent": booking.intent_id, "limit": 100}).data
        at_provider = sum(r.amount for r in listed if r.status == "succeeded")
        if (payment.refunded, at_provider) == (owed, owed):
            continue
        asked = [text for _, text in sorted(booking.asked)]
        problems.append(
            f"booking {booking.booking_id} of {events[booking.event]['name']} "
            f"({view['status']}), tickets {', '.join(f'{c} {s}' for c, s in tickets)}: "
            f"owed {owed}, refunded {payment.refunded} in the ledger and {at_provider} at "
            f"the provider, payment {payment.status}\n"
            f"    its payment: {history(ledger, payment.id)}\n"
            f"    asked: {'; '.join(asked) or 'nothing'}")
    print(f"bookings at the end: {dict(shapes)}")
    return problems


def shape(tickets: list[tuple[str, str]]) -> str:
    cancelled = sum(1 for _, status in tickets if status == "cancelled")
    if cancelled == len(tickets):
        return "all cancelled"
    return "some cancelled" if cancelled else "untouched"


def history(ledger: Ledger, payment_id: UUID) -> str:
    """A payment's money in the order it recorded it: what was captured, each refund asked,
    made or failed, with its amount and reason."""
    told = []
    for e in ledger.store.repository.event_store.get(payment_id):
        name = type(e).__name__
        if name == "PaymentSucceeded" or name.startswith("Refund"):
            facts = (getattr(e, f, None) for f in ("captured", "amount", "reason"))
            told.append(" ".join([name, *(str(f) for f in facts if f is not None)]))
    return ", ".join(told)


def reconciled(ledger: Ledger, since: datetime) -> list[str]:
    gateway = ledger.payment_provider()
    assert gateway is not None
    found = reconcile_period(ledger, gateway, since, datetime.now(UTC) + timedelta(minutes=1))
    print(f"reconciliation: {found.matched} matched, {len(found.problems)} problems")
    return [f"reconciliation: {p['kind']}: {p['message']}" for p in found.problems]


def verified(ledger: Ledger) -> list[str]:
    report = verify_store(ledger)
    found = [f"verify: {b['stream']} v{b['version']}: {b['reason']}"
             for b in report["chain"]["broken"]]
    found += [f"verify: event {e['event_id']}: {p['rule']}: {p['message']}"
              for e in report["events"] for p in e["problems"]]
    if not report["snapshots"]["ok"]:
        found.append(f"verify: snapshots: {report['snapshots']}")
    return found
