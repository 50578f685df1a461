"""Fill an event store fast: real aggregates and mapper, stored rows written with binary COPY."""

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import psycopg

from commands.application.seat_requests import new_ticket_code
from commands.domain.booking import Booking, booking_ref
from commands.domain.creation import create_event
from commands.ledger import Ledger

OPEN_STREAMS = 100  # events on sale at once: bookings interleave across their streams
STREAM_LENGTH = 4_000  # then the event is retired (one in ten cancelled, with every booking)
USERS = [str(uuid4()) for _ in range(2_000)]


class Show:
    """One open event and what the generator can still do on it."""

    def __init__(self, now: datetime) -> None:
        cats = [{"name": "General", "price": Decimal("25.00"), "capacity": 1_000_000},
                {"name": "VIP", "price": Decimal("90.50"), "capacity": 1_000_000}]
        self.event = create_event(
            event_id=uuid4(), name=f"Show {uuid4().hex[:6]}", description="", venue="Hall",
            starts_at=now + timedelta(days=90), ends_at=None, currency="EUR",
            categories=cats, max_tickets_per_user=None, now=now)
        self.cancellable: list[UUID] = []
        self.unused: list[tuple[UUID, str]] = []
        self.refs: dict[UUID, Booking] = {}  # each booking's own stream, as it goes on

    def step(self, rng: random.Random, now: datetime) -> list[Any]:
        """One command's worth of domain events (a booking also makes its Booking)."""
        event, roll = self.event, rng.random()
        if roll < 0.12 and self.cancellable:
            booking_id = self.cancellable.pop(rng.randrange(len(self.cancellable)))
            event.cancel_booking(self.refs[booking_id], now=now)
            self.unused = [(b, c) for b, c in self.unused if b != booking_id]
            return [*event.collect_events(), *self.refs[booking_id].collect_events()]
        elif roll < 0.2 and self.unused:
            booking_id, code = self.unused.pop(rng.randrange(len(self.unused)))
            event.check_in(self.refs[booking_id], code, now=now)
            if booking_id in self.cancellable:
                self.cancellable.remove(booking_id)  # a used ticket's booking stays
            return [*event.collect_events(), *self.refs[booking_id].collect_events()]
        elif roll < 0.201:
            cat = event.categories["VIP"]
            event.set_category("VIP", cat["price"], cat["capacity"] + 10)
        else:
            return self._book(rng, now)
        return list(event.collect_events())

    def _book(self, rng: random.Random, now: datetime) -> list[Any]:
        booking_id, user, quantity = uuid4(), rng.choice(USERS), rng.randint(1, 3)
        codes = [new_ticket_code() for _ in range(quantity)]
        self.event.book(booking_id=booking_id, user_id=user, user_name="Guest",
                        category=rng.choice(("General", "VIP")), quantity=quantity,
                        ticket_codes=codes, now=now)
        self.cancellable.append(booking_id)
        self.unused.extend((booking_id, c) for c in codes[:1])
        ref = booking_ref(self.event.pending_events[-1], self.event.id, "-")
        self.refs[booking_id] = ref
        return [*self.event.collect_events(), *ref.collect_events()]


def fill(ledger: Ledger, dsn: str, events: int, seed: int = 7) -> int:
    """Append about `events` stored events (whole commands); returns how many were written."""
    rng, now = random.Random(seed), datetime.now(UTC)  # noqa: S311 - test data, not secrets
    shows = [Show(now) for _ in range(OPEN_STREAMS)]
    table = ledger.recorder.events_table_name  # type: ignore[attr-defined]  # PG recorder
    sql = (f'COPY "{table}" (originator_id, originator_version, topic, state) '
           "FROM STDIN (FORMAT BINARY)")
    written = 0
    with psycopg.connect(dsn) as conn, conn.cursor() as cursor, cursor.copy(sql) as copy:
        copy.set_types(["uuid", "int8", "text", "bytea"])
        pending = [e for show in shows for e in show.event.collect_events()]
        while written < events:
            for domain_event in pending:
                stored = ledger.mapper.to_stored_event(domain_event)
                copy.write_row((stored.originator_id, stored.originator_version,
                                stored.topic, stored.state))
            written += len(pending)
            i = rng.randrange(len(shows))
            if shows[i].event.version >= STREAM_LENGTH:
                pending = _retire(shows[i], rng, now)
                shows[i] = Show(now)
                pending += list(shows[i].event.collect_events())
            else:
                pending = shows[i].step(rng, now)
    return written


def _retire(show: Show, rng: random.Random, now: datetime) -> list[Any]:
    if rng.random() < 0.1:
        show.event.cancel(now=now, bookings=show.refs.values())
        return [*show.event.collect_events(),
                *(e for ref in show.refs.values() for e in ref.collect_events())]
    return list(show.event.collect_events())

