"""A paid checkout's commands against a direct booking's, in one process: CPU each.

    python -m bench.payments [--rounds 5] [--count 200] [--url sqlite|postgresql] [--profile N]

The ledger's commands alone, as `bench.commands` measures them, with payments through
localstripe (a Stripe API in a process of its own, started here on 127.0.0.1): a direct booking
of a free category (`Ledger.book`), against a paid order: a hold of the paid category, then its
payment (`Ledger.pay_hold`: the intent made and recorded, confirmed, its success booked). The
CPU counted is this process's only (its threads and the Stripe client's HTTP included), not
localstripe's: the provider's work is not ours. The cards' PaymentMethods are made before the
clock starts, as the browser makes them. Which goes first swaps from round to round.

`--profile N` runs cProfile on the process's CPU time (not the wall clock: waiting on
localstripe is not counted) around the paid orders' commands only, and prints the `N` functions
with the most CPU including what they call, then by their own.
"""

import argparse
import cProfile
import os
import pstats
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import stripe

from bench import stack
from bench.commands import cpu_per_call
from bench.db import bench_database, migrated_ledger


def _round(ledger: Any, cards: Iterator[str], count: int, paid_first: bool,
           profiler: cProfile.Profile | None = None) -> dict[str, float]:
    event_id: UUID = ledger.create_event(
        name=f"Payments {uuid4().hex[:6]}", description="", venue="Hall",
        starts_at=datetime.now(UTC) + timedelta(days=7), ends_at=None, currency="EUR",
        categories=[{"name": "Free", "price": Decimal("0.00"), "capacity": 10 * count},
                    {"name": "Paid", "price": Decimal("25.00"), "capacity": 10 * count}],
        max_tickets_per_user=None).view["id"]
    ledger.book(event_id, user_id=uuid4(), user_name="Warm", category="Free", quantity=1)

    def book() -> None:
        ledger.book(event_id, user_id=uuid4(), user_name="Ann", category="Free", quantity=1)

    def order() -> dict[str, float]:
        held = paid = 0.0
        made: list[UUID] = []

        def hold() -> None:
            made.append(ledger.hold(event_id, user_id=uuid4(), user_name="Bo",
                                    category="Paid", quantity=1).view["id"])

        def pay() -> None:
            ledger.pay_hold(made.pop(), None, next(cards))

        if profiler is not None:
            hold, pay = _profiled(profiler, hold), _profiled(profiler, pay)

        for _ in range(count):  # each hold paid for before the next is made, as a buyer does
            held += cpu_per_call(1, hold)
            paid += cpu_per_call(1, pay)
        return {"hold": held / count, "pay": paid / count}

    if paid_first:
        parts = order()
        booked = cpu_per_call(count, book)
    else:
        booked = cpu_per_call(count, book)
        parts = order()
    return {"book": booked, **parts, "order": parts["hold"] + parts["pay"]}


def _profiled(profiler: cProfile.Profile, call: Callable[[], None]) -> Callable[[], None]:
    def profiled() -> None:
        profiler.enable()
        try:
            call()
        finally:
            profiler.disable()
    return profiled


def run(url: str, base: str, rounds: int, count: int,
        profiler: cProfile.Profile | None = None) -> list[dict[str, float]]:
    os.environ.update(STRIPE_API_KEY="sk_test_bench", STRIPE_API_BASE=base,
                      STRIPE_WEBHOOK_SECRET=f"whsec_{secrets.token_hex(8)}",
                      STRIPE_PUBLISHABLE_KEY="pk_test_bench")
    provider = stripe.StripeClient("sk_test_bench", base_addresses={"api": base})
    params: Any = {"type": "card", "card": {"number": "4242424242424242", "exp_month": 12,
                                            "exp_year": 2034, "cvc": "123"}}
    cards = iter([str(provider.v1.payment_methods.create(params=params).id)
                  for _ in range(rounds * count)])
    with migrated_ledger(url) as ledger:
        return [_round(ledger, cards, count, paid_first=r % 2 == 1, profiler=profiler)
                for r in range(rounds)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--count", type=int, default=200, help="bookings and orders a round")
    parser.add_argument("--url", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="profile the paid orders' CPU; print the top N functions")
    args = parser.parse_args()
    # Its timer is the process's CPU; profiled, every figure below includes its own overhead.
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    with stack.local_stripe(Path(tempfile.mkdtemp(prefix="bench-stripe-"))) as base:
        if args.url == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                results = run(f"sqlite:///{Path(tmp) / 'ledger.db'}", base, args.rounds,
                              args.count, profiler)
        else:
            with bench_database("bench_payments") as url:
                results = run(url, base, args.rounds, args.count, profiler)
    print(f"{args.url}, {args.rounds} rounds of {args.count}: CPU of this process per command, ms")
    print("| round | book | hold | pay | paid order | paid order / book |")
    print("|---|---:|---:|---:|---:|---:|")
    for i, r in enumerate(results, 1):
        print(f"| {i} | {r['book']:.3f} | {r['hold']:.3f} | {r['pay']:.3f} | "
              f"{r['order']:.3f} | {r['order'] / r['book']:.2f}x |")
    med = {k: statistics.median(r[k] for r in results) for k in results[0]}
    ratio = statistics.median(r["order"] / r["book"] for r in results)
    print(f"| median | {med['book']:.3f} | {med['hold']:.3f} | {med['pay']:.3f} | "
          f"{med['order']:.3f} | {ratio:.2f}x |")
    if profiler is not None:
        stats = pstats.Stats(profiler).strip_dirs()
        for order in ("cumulative", "tottime"):
            print(f"\nthe paid orders' CPU, by {order}:")
            stats.sort_stats(order).print_stats(args.profile)


if __name__ == "__main__":
    main()
