"""Read the store's facts and the read tables' seats: `python -m bench.chaos.store OUT.json`.

Run with the system's owner environment (DATABASE_URL). Every stored domain event is read
from the global log (`core.event_store.global_log`) and decoded by the ledger's own mapper,
never through a
snapshot, a cache or a projection; the seats per category come from the read table
`event_categories`.
"""

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from bench.chaos.checker import Seats, Store
from core.event_store.global_log import EventLog
from core.settings import get_settings

FIELDS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "Created": lambda e: {"categories": [{"name": c["name"], "capacity": c["capacity"]}
                                         for c in e.categories]},
    "CategoryAdded": lambda e: {"name": e.name, "capacity": e.capacity},
    "CategoryChanged": lambda e: {"name": e.name, "capacity": e.capacity},
    "SeatsBooked": lambda e: {"booking_id": str(e.booking_id), "user_id": e.user_id,
                              "category": e.category, "quantity": e.quantity},
    "BookingCancelled": lambda e: {"booking_id": str(e.booking_id), "category": e.category,
                                   "quantity": e.quantity},
}


def facts(eventlog: EventLog) -> tuple[Store, list[int]]:
    """Each Event stream's facts in version order, with their log positions; every position."""
    store: Store = {}
    log: list[int] = []
    after = 0
    while True:
        batch = eventlog.read(after, 2000)
        if not batch:
            return store, log
        for entry in batch:
            after = entry.id
            log.append(entry.id)
            event = eventlog.decode(entry)
            kind = type(event).__qualname__.rsplit(".", 1)[-1]
            if not type(event).__qualname__.startswith("Event."):
                continue  # booking refs and other aggregates: not seats
            fact = {"position": entry.id, "version": event.originator_version, "type": kind}
            fact |= FIELDS[kind](event) if kind in FIELDS else {}
            store.setdefault(str(event.originator_id), []).append(fact)


def read_seats(database_url: str) -> Seats:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT event_id, name, capacity, sold FROM event_categories"))
            seats: Seats = {}
            for event_id, name, capacity, sold in rows:
                seats.setdefault(str(event_id), {})[name] = {"capacity": capacity, "sold": sold}
            return seats
    finally:
        engine.dispose()


def main() -> None:
    eventlog = EventLog.open(get_settings())
    try:
        store, log = facts(eventlog)
    finally:
        eventlog.close()
    read = read_seats(get_settings().database_url)
    out: dict[str, Any] = {"store": store, "log": log, "read": read}
    Path(sys.argv[1]).write_text(json.dumps(out))


if __name__ == "__main__":
    main()
