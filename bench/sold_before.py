"""Seats sold on an event before a run, fast: the real aggregate decides each booking and the
store's own append writes them, a thousand bookings a transaction, each by a buyer of its own,
as the API's group commit would (the same events, sealed into the stream's chain, the
snapshots they owe asked for as usual); no HTTP between.

    python -m bench.sold_before --event ID --seats 1000000   (DATABASE_URL as the stack's)

The suite's "sold before" case runs it on a hot event before measuring that event's bookings
(`bench.suite`): a rate must not depend on what was sold before. Its bookings are history for
the run: the suite moves the buyers' messages and the webhooks' fan-out past them, as the
migration that brought the messages did for bookings made before it, and waits for the read
models and the Merkle tree to project them.
"""

import argparse
import time
from datetime import UTC, datetime
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--event", type=UUID, required=True)
    parser.add_argument("--seats", type=int, default=1_000_000)
    parser.add_argument("--category", help="the category sold (default: the event's first)")
    args = parser.parse_args()
    ledger = Ledger()
    took = sell(ledger, args.event, args.seats, args.category, progress=True)
    print(f"{args.seats:,} seats sold in {took:.1f} s")


if __name__ == "__main__":
    main()
