"""Seats sold on an event before a run, fast: the real aggregate decides each booking and the
store's own append writes them, a thousand bookings a transaction, each by a buyer of its own,
as the API's group commit would (the same events, sealed into the stream's chain, the
snapshots they owe asked for as usual); no HTTP between.

    python -m bench.sold_before --event ID --seats 1000000   (DATABASE_URL as the stack's)
    python -m bench.sold_before --measure --seats 100000     (a database of its own)

`--measure` shows, in this process on PostgreSQL, what grows with the seats sold: a booking on
a warm copy of the event (fresh, and with `--seats` sold), bringing a copy that is `--seats`
rows behind up to date, and loading the event cold (its snapshot, then the rows after it).

The suite's "sold before" case runs it on a hot event before measuring that event's bookings
(`bench.suite`): a rate must not depend on what was sold before. Its bookings are history for
the run: the suite moves the buyers' messages and the webhooks' fan-out past them, as the
migration that brought the messages did for bookings made before it, and waits for the read
models and the Merkle tree to project them.
"""

import argparse
import resource
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from uuid import UUID, uuid4

from commands.application.seat_requests import new_ticket_code
from commands.domain.booking import booking_ref
from commands.ledger import Ledger

PER_APPEND = 1000  # bookings a transaction, as a large group commit


def sell(ledger: Ledger, event_id: UUID, seats: int, category: str | None = None,
         progress: bool = False) -> float:
    """Book `seats` seats of the event, one a booking; the seconds it took."""
    began, left = time.monotonic(), seats
    while left:
        count = min(PER_APPEND, left)
        with ledger.locks.hold_all([event_id]):
            event = ledger.warm.take_fresh(event_id)
            now = datetime.now(UTC)
            name = category or next(iter(event.categories))
            refs = []
            for _ in range(count):
                event.book(booking_id=uuid4(), user_id=str(uuid4()), user_name="Earlier buyer",
                           category=name, quantity=1, ticket_codes=[new_ticket_code()], now=now)
                refs.append(booking_ref(event.pending_events[-1], event.id, "-"))
            ledger.store.append_units([[event, *refs]])
            ledger.warm.keep(event)
        left -= count
        if progress and (seats - left) % (100 * PER_APPEND) == 0:
            print(f"  {seats - left:,} sold in {time.monotonic() - began:.0f} s", flush=True)
    return time.monotonic() - began


def cpu_of(call: Callable[[], object]) -> tuple[float, float]:
    """The process's CPU and the wall clock a call took, in s."""
    cpu, wall = time.process_time(), time.perf_counter()
    call()
    return time.process_time() - cpu, time.perf_counter() - wall


def measure(seats: int, rounds: int = 3, bookings: int = 300) -> None:
    """Print what a booking costs on a fresh event and on one `seats` sold, warm; then what
    bringing a copy `seats` rows behind up to date and a cold load cost, once each."""
    from bench.db import bench_database, migrated_ledger  # noqa: PLC0415 - sets DATABASE_URL

    with bench_database("bench_sold_before") as url, migrated_ledger(url) as ledger:
        def new_event() -> UUID:
            made: UUID = ledger.create_event(
                name=f"Sold {uuid4().hex[:6]}", description="", venue="Hall",
                starts_at=datetime.now(UTC) + timedelta(days=30), ends_at=None, currency="EUR",
                categories=[{"name": "General", "price": Decimal("10.00"),
                             "capacity": 1_000_000}], max_tickets_per_user=None).view["id"]
            return made

        def book(on: Ledger, event_id: UUID) -> None:
            on.book(event_id, user_id=uuid4(), user_name="Ann", category=None, quantity=1)

        fresh, sold = new_event(), new_event()
        behind = Ledger(ledger.settings)  # another process's copy, warm before the sales
        book(behind, sold)
        print(f"{seats:,} sold in {sell(ledger, sold, seats):.1f} s", flush=True)
        # As an idle pause after a sale leaves them: written, so that the loads below start
        # from them (the thread would write them during the bookings measured, after 30 s).
        written = cpu_of(ledger.snapshots_written)
        print(f"their snapshots written in {written[1]:.1f} s ({written[0]:.1f} s CPU)",
              flush=True)
        per_booking: dict[str, list[float]] = {"fresh": [], "sold": []}
        def book_many(event_id: UUID) -> None:
            for _ in range(bookings):
                book(ledger, event_id)

        for _ in range(rounds):
            for name, event_id in (("fresh", fresh), ("sold", sold)):
                cpu, _ = cpu_of(partial(book_many, event_id))
                per_booking[name].append(cpu / bookings * 1000)
        forward = cpu_of(partial(book, behind, sold))
        ledger.warm.take(sold)  # as an eviction or a restart leaves it
        cold = cpu_of(partial(book, ledger, sold))
        behind.close()
    print("| measure | CPU | wall |\n|---|---:|---:|")
    for name, values in per_booking.items():
        print(f"| a booking, warm, {name} (median of {rounds} x {bookings}) | "
              f"{statistics.median(values):.3f} ms | |")
    print(f"| the first booking of a copy {seats:,} rows behind | {forward[0]:.2f} s | "
          f"{forward[1]:.2f} s |")
    print(f"| the first booking after a cold load | {cold[0]:.2f} s | {cold[1]:.2f} s |")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"| this process's peak RSS | {peak_mb} MB | |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--event", type=UUID)
    parser.add_argument("--seats", type=int, default=1_000_000)
    parser.add_argument("--category", help="the category sold (default: the event's first)")
    parser.add_argument("--measure", action="store_true")
    args = parser.parse_args()
    if args.measure:
        measure(args.seats)
        return
    if args.event is None:
        parser.error("--event is needed, or --measure")
    ledger = Ledger()
    took = sell(ledger, args.event, args.seats, args.category, progress=True)
    print(f"{args.seats:,} seats sold in {took:.1f} s", flush=True)
    began = time.monotonic()
    ledger.close()  # writes the snapshots the sale owes: the API's first loads start there
    print(f"their snapshots written in {time.monotonic() - began:.1f} s")


if __name__ == "__main__":
    main()
