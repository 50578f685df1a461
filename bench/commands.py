"""A checkout's commands against a direct booking's, in one process and one thread: CPU each.

    python -m bench.commands [--rounds 5] [--count 1000] [--url sqlite|postgresql]

No HTTP and no read models: the ledger's commands alone (`Ledger.book`, `Ledger.hold`,
`Ledger.confirm_hold`), each deciding on its event's aggregate and appending to the store.
Each round takes a new event of ample capacity and makes `count` direct bookings, then
`count` holds each confirmed at once, every one by a new customer; which goes first swaps
from round to round, so a drift of the machine's speed falls on both. Prints the CPU of the
process per command in ms (medians over the rounds) and the checkout's ratio to the booking.
"""

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from bench.db import bench_database, migrated_ledger


def cpu_per_call(calls: int, call: Callable[[], Any]) -> float:
    """The process's CPU per call, in ms."""
    started = time.process_time()
    for _ in range(calls):
        call()
    return (time.process_time() - started) * 1000 / calls


def signed_up(count: int, cold: bool) -> list[UUID]:
    """`count` new customers, each with the data key their sign-up makes, kept by this process
    as the embedded process that signed them up keeps it; `cold`: made by another process (an
    API process that is not the one booking), so their first booking reads it."""
    from sqlalchemy.orm import Session  # noqa: PLC0415 - after DATABASE_URL is set

    from core.personal_data.vault import PersonalData, personal_data  # noqa: PLC0415

    keys, made = personal_data(), [uuid4() for _ in range(count)]
    if cold:  # another process's: its cache is not this one's
        keys = PersonalData(keys.keyring, keys.engine)
    with Session(keys.engine) as session, session.begin():
        for person in made:
            keys.make_key(session, str(person))
    return made


def _round(ledger: Any, count: int, checkout_first: bool, cold: bool) -> dict[str, float]:
    event_id: UUID = ledger.create_event(
        name=f"Commands {uuid4().hex[:6]}", description="", venue="Hall",
        starts_at=datetime.now(UTC) + timedelta(days=7), ends_at=None, currency="EUR",
        categories=[{"name": "General", "price": Decimal("25.00"), "capacity": 10 * count}],
        max_tickets_per_user=None).view["id"]
    ledger.book(event_id, user_id=uuid4(), user_name="Warm", category=None, quantity=1)
    # Every customer signed up before (untimed): their key made with their account
    # (`signed_up`).
    booking, holding = signed_up(count, cold), signed_up(count, cold)

    def book() -> None:
        ledger.book(event_id, user_id=booking.pop(), user_name="Ann", category=None,
                    quantity=1)

    holds: list[UUID] = []

    def hold() -> None:
        holds.append(ledger.hold(event_id, user_id=holding.pop(), user_name="Bo",
                                 category=None, quantity=1).view["id"])

    def confirm() -> None:
        ledger.confirm_hold(holds.pop())

    def checkout() -> dict[str, float]:
        # Each hold confirmed before the next is made, as a buyer does; timed apart.
        held = confirmed = 0.0
        for _ in range(count):
            held += cpu_per_call(1, hold)
            confirmed += cpu_per_call(1, confirm)
        return {"hold": held / count, "confirm": confirmed / count}

    if checkout_first:
        parts = checkout()
        booked = cpu_per_call(count, book)
    else:
        booked = cpu_per_call(count, book)
        parts = checkout()
    return {"book": booked, **parts, "checkout": parts["hold"] + parts["confirm"]}


def run(url: str, rounds: int, count: int, cold: bool = False) -> list[dict[str, float]]:
    with migrated_ledger(url) as ledger:
        return [_round(ledger, count, checkout_first=r % 2 == 1, cold=cold)
                for r in range(rounds)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--count", type=int, default=1000, help="bookings and checkouts a round")
    parser.add_argument("--url", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--cold-keys", action="store_true",
                        help="customers signed up by another process: each first booking "
                             "reads its buyer's key")
    args = parser.parse_args()
    if args.url == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            results = run(f"sqlite:///{Path(tmp) / 'ledger.db'}", args.rounds, args.count,
                          args.cold_keys)
    else:
        with bench_database("bench_commands") as url:
            results = run(url, args.rounds, args.count, args.cold_keys)
    keys = "read at each first booking" if args.cold_keys else "kept since sign-up"
    print(f"{args.url}, {args.rounds} rounds of {args.count} (buyers' keys {keys}): "
          "CPU per command, ms")
    print("| round | book | hold | confirm | checkout | checkout / book |")
    print("|---|---:|---:|---:|---:|---:|")
    for i, r in enumerate(results, 1):
        print(f"| {i} | {r['book']:.3f} | {r['hold']:.3f} | {r['confirm']:.3f} | "
              f"{r['checkout']:.3f} | {r['checkout'] / r['book']:.2f}x |")
    med = {k: statistics.median(r[k] for r in results) for k in results[0]}
    ratio = statistics.median(r["checkout"] / r["book"] for r in results)
    print(f"| median | {med['book']:.3f} | {med['hold']:.3f} | {med['confirm']:.3f} | "
          f"{med['checkout']:.3f} | {ratio:.2f}x |")


if __name__ == "__main__":
    main()
