"""History rebuilds state: replaying an event's stream, or loading it from the store, gives the
same event as the one that decided."""

from decimal import Decimal
from typing import Any
from uuid import UUID

from commands.domain.event import Event
from commands.ledger import Ledger
from tests.commands.given import (
    NOW,
    STARTS,
    book,
    cancel,
    cancel_event,
    categories,
    check_in,
    codes_of,
    new_event,
    new_events,
    replay,
    state,
)
from tests.fixtures.ledgers import LedgerFactory


def busy_history() -> Event:
    """An event that went through every kind of change."""
    event = new_event(categories=categories(Stalls=6, Balcony=4), max_tickets_per_user=5,
                      timezone="Europe/London", published=False)
    event.publish(now=NOW)
    alices = book(event, "alice", 2, "Stalls")
    bobs = book(event, "bob", 3, "Balcony")
    book(event, "carol", 1, "Stalls")
    cancel(event, alices, now=NOW)
    event.set_category("Stalls", Decimal("12.50"), 9)
    event.set_category("VIP", Decimal("99.99"), 2)
    event.update_details({"venue": "Arena", "max_tickets_per_user": 4,
                          "timezone": "America/New_York"}, now=NOW)
    event.choose_payment_methods(["offline"], registered=["stripe", "offline"])
    book(event, "alice", 2, "VIP")
    check_in(event, codes_of(event, bobs)[0], now=STARTS)
    book(event, "dave", 4, "Stalls")
    return event


def test_replaying_the_stream_gives_the_same_state() -> None:
    event = busy_history()
    events = new_events(event)

    assert len(events) == 13
    assert state(replay(events)) == state(event)


def test_replaying_a_cancelled_event_gives_the_same_state() -> None:
    event = busy_history()
    cancel_event(event, now=NOW)

    assert state(replay(new_events(event))) == state(event)


def saved(ledger: Ledger, event: Event) -> UUID:
    ledger.store.append(event)
    return event.id


def test_loading_from_the_store_past_a_snapshot_gives_the_same_state(
    make_ledger: LedgerFactory,
) -> None:
    event = busy_history()
    expected = state(event)
    writer = make_ledger()
    event_id = saved(writer, event)
    writer.snapshots_written()
    assert writer.snapshots is not None
    assert [s.originator_version for s in writer.snapshots.get(event_id)] == [10]

    loaded = make_ledger().event(event_id)

    assert loaded.version == 13
    assert state(loaded) == expected


def test_loading_an_earlier_version_gives_the_state_then(make_ledger: LedgerFactory) -> None:
    event = busy_history()
    events = list(event.pending_events)
    event_id = saved(make_ledger(), event)

    then: dict[str, Any] = state(make_ledger().event(event_id, version=5))

    assert then == state(replay(events[:5]))
    assert then["categories"]["Stalls"]["sold"] == 3


def test_a_fork_takes_further_events_and_leaves_the_original_as_it_was() -> None:
    event = busy_history()
    before = state(event)
    fork = event.fork()
    bookings = [UUID(key) for key in fork.bookings]

    cancel(fork, bookings[2], now=NOW)  # carol's
    check_in(fork, codes_of(fork, bookings[4])[0], now=STARTS)  # dave's
    fork.set_category("Stalls", Decimal("14.00"), 12)
    book(fork, "erin", 1, "Stalls")
    cancel_event(fork, now=NOW)

    assert state(event) == before
    assert fork.status == "cancelled" and fork.categories["Stalls"]["capacity"] == 12


def test_time_travel_from_cached_snapshots_equals_a_plain_replay(
    make_ledger: LedgerFactory,
) -> None:
    from commands.audit.timetravel import event_at  # noqa: PLC0415

    event = busy_history()
    for name in ("eve", "frank", "gina", "hal"):
        book(event, name, 1, "Stalls")
    cancel(event, UUID(list(event.bookings)[2]), now=NOW)
    check_in(event, codes_of(event, UUID(list(event.bookings)[4]))[1], now=STARTS)
    cancel_event(event, now=NOW)
    events = list(event.pending_events)
    ledger = make_ledger()
    event_id = saved(ledger, event)
    ledger.snapshots_written()
    assert ledger.snapshots is not None
    assert [s.originator_version for s in ledger.snapshots.get(event_id)] == [10, 20]

    versions = list(range(1, len(events) + 1))
    for version in versions + versions[::-1]:  # the second pass runs on a warm cache
        assert state(event_at(ledger, event_id, version)) == state(replay(events[:version]))
    assert state(event_at(ledger, event_id, None)) == state(event)
