"""The suite's paid checkout: the system paying through localstripe, and what a paid order costs.

When the paid scenario is selected the suite starts localstripe first (its own process, not one
of ours: its CPU is the provider's and is not counted) and gives the API and the workers the
Stripe settings pointing at it; localstripe sends its webhooks to the API, as a deployment
registers them (scripts/run.sh), so each order's notice is part of its cost. Every buyer then
holds a seat of a paid category and pays for it with a card's PaymentMethod made beforehand, as
the browser makes it with Stripe.js, outside the measured processes.
"""

import os
import secrets
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import stripe

from bench import stack
from bench.measure import cpu_seconds

API_KEY = "sk_test_bench"
EVENTS = ["payment_intent.succeeded", "payment_intent.payment_failed"]
PAY = {"kind": "hold_pay", "book_path": "/api/events/{event}/holds",
       "pay_path": "/api/holds/{hold}/payment"}


@contextmanager
def provider(logs: Path) -> Iterator[dict[str, str]]:
    """localstripe, started until the block ends; the Stripe settings that point at it."""
    with stack.local_stripe(logs) as base:
        yield {"STRIPE_API_KEY": API_KEY, "STRIPE_API_BASE": base,
               "STRIPE_WEBHOOK_SECRET": f"whsec_{secrets.token_hex(16)}",
               "STRIPE_PUBLISHABLE_KEY": "pk_test_bench"}


def register_webhook(env: dict[str, str], api_url: str) -> None:
    """localstripe's webhooks to the API's endpoint, signed with its secret."""
    httpx.post(f"{env['STRIPE_API_BASE']}/_config/webhooks/bench", timeout=10, json={
        "url": f"{api_url}/api/payments/stripe/webhook",
        "secret": env["STRIPE_WEBHOOK_SECRET"], "events": EVENTS}).raise_for_status()


def cards(env: dict[str, str], count: int) -> list[str]:
    """`count` cards' PaymentMethod ids, made at localstripe as Stripe.js makes them."""
    client = stripe.StripeClient(API_KEY, base_addresses={"api": env["STRIPE_API_BASE"]})
    params: Any = {"type": "card", "card": {"number": "4242424242424242", "exp_month": 12,
                                            "exp_year": 2034, "cvc": "123"}}

    def card(_: int) -> str:
        return str(client.v1.payment_methods.create(params=params).id)

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(card, range(count)))


def provider_pids() -> list[int]:
    """localstripe's process (a child of this one)."""
    found = []
    for pid in stack.children(os.getpid()):
        try:
            if b"ops.local_stripe" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
        except OSError:
            continue
    return found


def quiet(pids: Callable[[], list[int]], *, step: float = 0.2, idle: float = 0.01,
          longest: float = 10.0) -> None:
    """Wait until these processes are idle (the provider's last webhooks delivered and
    answered): less than `idle` CPU seconds over `step`, or `longest` seconds at most."""
    deadline = time.monotonic() + longest
    before = sum(cpu_seconds(p) for p in pids())
    while time.monotonic() < deadline:
        time.sleep(step)
        now = sum(cpu_seconds(p) for p in pids())
        if now - before < idle:
            return
        before = now


def ratio_lines(results: dict[str, dict[str, Any]], clients: list[int]) -> list[str]:
    """A paid order's CPU in our processes against a direct booking's, run beside it."""
    lines = []
    for n in clients:
        paid = results.get(f"paid checkout, ledger, {n} clients")
        direct = results.get(f"hot event, ledger, {n} clients")
        if not paid or not direct:
            continue
        ours, theirs = sum(paid["cpu_ms"].values()), sum(direct["cpu_ms"].values())
        api = paid["cpu_ms"].get("API", 0.0) / max(1e-9, direct["cpu_ms"].get("API", 0.0))
        # Each sends its buyer the same message with the tickets: the ratio without it too.
        bare = ((ours - paid["cpu_ms"].get("messages", 0.0))
                / max(1e-9, theirs - direct["cpu_ms"].get("messages", 0.0)))
        lines.append(
            f"- paid checkout at {n} clients: {paid['rate']:.0f} orders/s against "
            f"{direct['rate']:.0f} direct bookings/s; CPU per paid order in our processes "
            f"(localstripe's not counted) / per direct booking = {ours:.3f} / {theirs:.3f} ms = "
            f"**{ours / max(1e-9, theirs):.2f}x** (without the buyers' messages {bare:.2f}x; "
            f"API alone {api:.2f}x; localstripe spent "
            f"{paid.get('provider_cpu_ms', float('nan')):.3f} ms per order besides)")
    return lines
