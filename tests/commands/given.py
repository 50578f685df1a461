"""Given-when-then helpers: an event built from past domain events, commands, new events."""

import copy
import itertools
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from commands.domain.actor import Actor
from commands.domain.booking import Booking, booking_ref
from commands.domain.creation import create_event
from commands.domain.errors import DomainError, RuleBroken, booking_not_found, ticket_not_found
from commands.domain.event import Event
from commands.domain.events import CONFIRMED

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)
STARTS = NOW + timedelta(days=30)
_codes = itertools.count()
_refs: dict[UUID, Booking] = {}  # every booking's own stream (`remember`)


def categories(**capacities: int) -> list[dict[str, Any]]:
    """Categories priced 10.00, 20.00, ... in the order given."""
    return [
        {"name": name, "price": Decimal(10 * (i + 1)), "capacity": capacity}
        for i, (name, capacity) in enumerate(capacities.items())
    ]


def new_event(**overrides: Any) -> Event:
    """A fresh event (its Created event still pending), one 'General' category of 5 seats."""
    fields: dict[str, Any] = {
        "event_id": uuid4(),
        "name": "Concert",
        "description": "An evening of music",
        "venue": "Main Hall",
        "starts_at": STARTS,
        "ends_at": STARTS + timedelta(hours=3),
        "currency": "eur",
        "categories": [{"name": "General", "price": Decimal("25.50"), "capacity": 5}],
        "max_tickets_per_user": None,
        "now": NOW,
    }
    return create_event(**(fields | overrides))


def replay(events: Iterable[Any]) -> Event:
    """Rebuild an aggregate from its domain events, as the store does."""
    aggregate: Any = None
    for domain_event in events:
        aggregate = domain_event.mutate(aggregate)
    assert isinstance(aggregate, Event)
    return aggregate


def given(event: Event) -> Event:
    """The same event rebuilt from its past events, with nothing pending."""
    return replay(event.collect_events())


def book(
    event: Event,
    user: str = "alice",
    quantity: int = 1,
    category: str | None = None,
    *,
    booking_id: UUID | None = None,
    now: datetime = NOW,
) -> UUID:
    """Book on `event` with fresh ticket codes; answers the booking id."""
    booking_id = booking_id or uuid4()
    event.book(
        booking_id=booking_id,
        user_id=user,
        user_name=user.title(),
        category=category,
        quantity=quantity,
        ticket_codes=[f"code-{next(_codes)}" for _ in range(max(quantity, 0))],
        now=now,
    )
    return remember(event.pending_events[-1], event.id)


def remember(seats: Any, event_id: UUID) -> UUID:
    """Keep the own stream of the booking a `SeatsBooked` made (by `book`, or a hold's
    confirmation), as the ledger saves it beside the event's: its id."""
    _refs[seats.booking_id] = booking_ref(seats, event_id, "-")
    return UUID(str(seats.booking_id))


def ref(booking_id: UUID) -> Booking:
    """The booking's own stream (as the ledger finds it: unknown, BOOKING_NOT_FOUND)."""
    try:
        return _refs[booking_id]
    except KeyError:
        raise booking_not_found(booking_id) from None


def cancel(event: Event, booking_id: UUID, *, now: datetime = NOW, by: Actor | None = None,
           reason: str | None = None) -> None:
    """Cancel the booking on `event`, as the ledger does with the booking's ref."""
    event.cancel_booking(ref(booking_id), now=now, by=by, reason=reason)


def check_in(event: Event, code: str, *, now: datetime = NOW) -> None:
    """Check ticket `code` in on `event`, as the ledger does once it found the code's booking."""
    found = next((r for r in _refs.values() if code in r.tickets), None)
    if found is None:
        raise ticket_not_found()
    event.check_in(found, code, now=now)


def undo_check_in(event: Event, code: str, *, now: datetime = NOW) -> None:
    """Take the check-in of ticket `code` back on `event`, as the ledger does."""
    found = next((r for r in _refs.values() if code in r.tickets), None)
    if found is None:
        raise ticket_not_found()
    event.undo_check_in(found, code, now=now)


def confirmed(event: Event) -> list[Booking]:
    """The refs of the event's confirmed bookings."""
    return [r for r in _refs.values() if r.event_id == event.id and r.status == CONFIRMED]


def cancel_event(event: Event, *, now: datetime = NOW, by: Actor | None = None,
                 reason: str | None = None) -> None:
    """Cancel the event with its confirmed bookings, as the ledger does."""
    event.cancel(now=now, bookings=confirmed(event), by=by, reason=reason)


def new_events(event: Event) -> list[Any]:
    """The domain events the last command(s) recorded (then: ...)."""
    return list(event.collect_events())


def codes_of(event: Event, booking_id: UUID) -> list[str]:
    return list(event.booking(booking_id)["tickets"])


def types(events: Sequence[Any]) -> list[str]:
    """Domain events' short type names, e.g. ['SeatsBooked']."""
    return [type(e).__name__ for e in events]


def state(event: Event) -> dict[str, Any]:
    """Everything the aggregate holds, to prove a refused command changed nothing."""
    return copy.deepcopy({k: v for k, v in vars(event).items() if k != "_pending_events"})


def refused(event: Event, command: Callable[[], object], code: str,
            kind: type[DomainError] = RuleBroken) -> None:
    """`command` is refused with `kind` and `code`, and the event is exactly as it was."""
    before = state(event)
    with pytest.raises(kind) as refusal:
        command()
    # Plain asserts here are not rewritten by pytest (a helper module): say what was seen.
    assert refusal.value.code == code, f"refused with {refusal.value.code}, not {code}"
    assert new_events(event) == [], f"recorded {types(new_events(event))}"
    assert state(event) == before, "the refused command changed the event"
