"""Refunds, cancellations and an organizer's "ask again" through the API from several threads,
while another thread stops the payment provider and starts it again: the operations of
`test_refunds_through_provider_outages.py`, and what each was answered."""

import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient

from tests.fixtures.api import Caller
from tests.support.durable_stripe import DurableStripe

# A payment's refund still owed, as the API shows it (`PaymentOut.status`).
PENDING, FAILED = "refund_pending", "refund_failed"
KINDS = {"refund_one": 6, "refund_some": 2, "cancel_booking": 1, "retry_refund": 2}
# An operation on the booking just asked of, at once: the whole of it asked for more often, as
# when a buyer gives up on a booking whose partial refund is still being made.
FOLLOW_UPS = {"refund_one": 1, "refund_some": 2, "cancel_booking": 2, "retry_refund": 1}
THREADS = 4


@dataclass
class Bought:
    """A paid booking as its buyer got it, and what the operations asked of it."""

    booking_id: str
    event: int
    buyer: Caller
    intent_id: str
    asked: list[tuple[int, str]] = field(default_factory=list)  # (number, what and answer)


def schedule(rng: random.Random, bookings: int, count: int,
             cancelled_event: int) -> list[tuple[str, int]]:
    """The operations in the order they are handed to the threads: a kind and a booking, the
    next often on the same booking (asked at once by two threads: a buyer's double click, the
    organizer and the buyer at the same moment); the event's cancellation once, early (most of
    its bookings still open)."""
    ops: list[tuple[str, int]] = []
    while len(ops) < count - 1:
        if ops and rng.random() < 0.25:
            ops.append((rng.choices(list(FOLLOW_UPS), list(FOLLOW_UPS.values()))[0], ops[-1][1]))
        else:
            ops.append((rng.choices(list(KINDS), list(KINDS.values()))[0],
                        rng.randrange(bookings)))
    ops.insert(rng.randrange(count // 8, count // 4), ("cancel_event", cancelled_event))
    return ops


@dataclass
class Run:
    """The operations through the API, and what they learnt: each kind's answers, the app's
    own failures (500), the bookings known cancelled (an operation meant for one goes to an open
    one at times) and those whose refund was last answered undone (where the organizer asks
    again)."""

    client: TestClient
    owner: Caller
    events: list[dict[str, Any]]
    bought: list[Bought]
    seed: int
    lock: threading.Lock = field(default_factory=threading.Lock)
    answers: Counter[str] = field(default_factory=Counter)
    crashed: list[str] = field(default_factory=list)
    closed: set[int] = field(default_factory=set)
    unsettled: set[int] = field(default_factory=set)
    asking: dict[int, str] = field(default_factory=dict)  # per thread: what it asks now

    def operate(self, number: int, kind: str, scheduled: int) -> None:
        rng = random.Random(f"{self.seed}-{number}")
        time.sleep(rng.uniform(0, 0.3))  # spread over the outages
        target = self.target(kind, scheduled, rng)
        self.asking[threading.get_ident()] = kind
        try:
            answer, closed = self.perform(kind, target, rng)
        except Exception as exc:  # the app's own error, raised by the test client: a 500
            answer, closed = f"500 {type(exc).__name__}", False
            about = "the event" if kind == "cancel_event" else self.bought[target].booking_id
            with self.lock:
                self.crashed.append(
                    f"#{number} {self.asking[threading.get_ident()]} of {about} answered 500: "
                    f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}")
        with self.lock:
            self.answers[f"{kind} {answer}"] += 1
            if kind == "cancel_event":
                if closed:
                    self.closed |= {i for i, b in enumerate(self.bought) if b.event == target}
                return
            asked = self.asking[threading.get_ident()]
            self.bought[target].asked.append((number, f"#{number} {asked}: {answer}"))
            if closed:
                self.closed.add(target)
            if answer.endswith((PENDING, FAILED)):
                self.unsettled.add(target)
            elif answer.endswith(("refunded", "NO_REFUND_OWED")):
                self.unsettled.discard(target)

    def target(self, kind: str, scheduled: int, rng: random.Random) -> int:
        """The booking (or event) the operation goes to: the organizer asks again where a
        refund is undone; a booking known cancelled is left for an open one, at times."""
        with self.lock:
            if kind == "retry_refund" and self.unsettled:
                return sorted(self.unsettled)[rng.randrange(len(self.unsettled))]
            still_open = [i for i in range(len(self.bought)) if i not in self.closed]
            if (kind != "cancel_event" and scheduled in self.closed and still_open
                    and rng.random() < 0.25):
                return still_open[rng.randrange(len(still_open))]
        return scheduled

    def perform(self, kind: str, target: int, rng: random.Random) -> tuple[str, bool]:
        """One operation: its answer in a few words (status, then code or refund's status),
        and whether it shows the booking (the event) cancelled."""
        client, owner = self.client, self.owner
        if kind == "cancel_event":
            r = client.post(f"/api/events/{self.events[target]['id']}/cancel",
                            json={"reason": "The hall flooded"}, headers=owner.headers)
            return answered(r), r.status_code == 200
        booking = self.bought[target]
        url = f"/api/bookings/{booking.booking_id}"
        if kind == "retry_refund":
            r = client.post(f"{url}/payment/refund-retry", headers=owner.headers)
            return answered(r), False
        if kind == "cancel_booking":
            r = client.delete(url, headers=booking.buyer.headers)
            return answered(r), r.status_code == 200 or answered(r).endswith("ALREADY_CANCELLED")
        shown = client.get(url, headers=booking.buyer.headers).json()
        active = [t for t in shown["tickets"] if t["status"] == "active"]
        pool = active or shown["tickets"]  # none left: asked all the same, and refused
        count = 1 if kind == "refund_one" else (
            len(pool) if len(pool) < 3 or rng.random() < 0.2 else rng.randint(2, len(pool) - 1))
        named = rng.sample(pool, count)
        body: dict[str, Any] = {"tickets": [t["code"] for t in named]}
        who = booking.buyer
        if rng.random() < 0.3:
            body["reason"], who = "Seats moved", owner
        left = max(len(active) - count, 0)
        self.asking[threading.get_ident()] = (
            f"{kind} [{', '.join(t['category'] for t in named)}] ({left} left)")
        r = client.post(f"{url}/refunds", json=body, headers=who.headers)
        after = r.json().get("booking", shown) if r.status_code == 201 else shown
        return answered(r), after["status"] == "cancelled" or answered(r).endswith(
            "ALREADY_CANCELLED")


def run_with_outages(run: Run, provider: DurableStripe, operations: list[tuple[str, int]],
                     rng: random.Random) -> None:
    """The operations from THREADS threads while another stops the provider (shut down, or
    killed) and starts it again at random; it is up when this returns."""
    todo = iter(enumerate(operations))
    pick = threading.Lock()
    done = threading.Event()

    def outages() -> None:
        while not done.wait(rng.uniform(0.2, 1.0)):
            provider.stop(kill=rng.random() < 0.5)
            done.wait(rng.uniform(0.2, 1.0))
            provider.start()

    def worker() -> None:
        while True:
            with pick:
                number, (kind, target) = next(todo, (-1, ("", 0)))
            if number < 0:
                return
            run.operate(number, kind, target)

    chaos = threading.Thread(target=outages, name="outages")
    chaos.start()
    try:
        with ThreadPoolExecutor(THREADS) as pool:
            for running in [pool.submit(worker) for _ in range(THREADS)]:
                running.result()
    finally:
        done.set()
        chaos.join()
    if not provider.running:
        provider.start()


def answered(r: Any) -> str:
    found = r.json() if r.headers.get("content-type", "").startswith("application/json") else {}
    detail = found.get("code") or found.get("status") or ""
    return f"{r.status_code} {detail}".strip()
