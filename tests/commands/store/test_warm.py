"""The warm-aggregate cache: its count bound, aggregates kept without records, fast-forward."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, cast
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import OperationalError, StoredEvent

from commands.domain.errors import Busy, DomainError
from commands.domain.event import Event
from commands.store.aggregate_cache import WarmAggregates, fast_forward
from tests.commands.given import book, given, new_event, replay


def event_with(bookings: int) -> Event:
    event = new_event(categories=[{"name": "General", "price": "10", "capacity": 100}])
    for _ in range(bookings):
        book(event)
    return given(event)


def cache_of(count: int) -> WarmAggregates:
    """A cache these tests only keep in and take out of: it never reads the store."""
    def never(event_id: UUID) -> Event:
        raise AssertionError(f"{event_id} loaded from a store these tests do not have")
    return WarmAggregates(count=count, recorder=cast(Any, None), to_domain=lambda row: row,
                          load=never)


def test_past_the_count_the_least_recently_used_goes() -> None:
    warm = cache_of(2)
    a, b, c = event_with(0), event_with(0), event_with(0)
    for e in (a, b, c):
        warm.keep(e)
    assert list(warm) == [b.id, c.id]
    assert warm.take(a.id) is None  # gone: the caller loads it from the store
    assert warm.take(b.id) is b and list(warm) == [c.id]


def test_a_kept_aggregate_holds_counts_not_booking_records() -> None:
    """Memory: a warm arena costs what a small event does, however many seats it sold."""
    warm = cache_of(10)
    big = event_with(7)
    assert len(big.bookings) == 7 and big.keeps_records  # as loaded from the store
    warm.keep(big)
    assert warm.peek(big.id) is big
    assert (big.bookings, big.ticket_index, big.keeps_records) == ({}, {}, False)
    assert big.categories["General"]["sold"] == 7 and big.booked_by_user == {"alice": 7}
    book(big, quantity=2)  # decided and applied on counts alone
    assert big.bookings == {} and big.categories["General"]["sold"] == 9
    with pytest.raises(RuntimeError):  # no record to answer with: never a false "not found"
        big.booking(uuid4())


def test_cooling_keeps_a_refused_aggregate_and_forgets_a_changed_one() -> None:
    warm = cache_of(10)
    event = event_with(1)
    with pytest.raises(DomainError), warm.cooling(event):
        book(event, quantity=500)  # refused before any change: still exact
    assert warm.take(event.id) is event
    with pytest.raises(RuntimeError), warm.cooling(event):
        book(event)
        raise RuntimeError("the save failed")  # changed, never saved: not kept
    assert warm.take(event.id) is None


def test_fast_forward_applies_the_rows_after_the_aggregates_own() -> None:
    origin = new_event()
    book(origin)
    past = list(origin.collect_events())
    stale = replay(past)  # kept warm at version 2; another process then booked twice
    elsewhere = replay(past)
    book(elsewhere)
    book(elsewhere)
    domain = {e.originator_version: e for e in [*past, *elsewhere.collect_events()]}
    stored = [StoredEvent(stale.id, v, "", b"") for v in sorted(domain)]

    def rows_from(_id: Any, version: int) -> list[StoredEvent]:
        return [r for r in stored if r.originator_version >= version]

    decoded: list[int] = []

    def to_domain(row: StoredEvent) -> Any:
        decoded.append(row.originator_version)
        return domain[row.originator_version]

    assert fast_forward(stale, rows_from, to_domain)
    assert stale.version == 4 and len(stale.bookings) == 3
    assert decoded == [3, 4]  # its own last row only checked, never decoded


def test_fast_forward_refuses_an_aggregate_ahead_of_the_store() -> None:
    event = event_with(2)  # version 3; the store lost it: its last row is version 2
    decoded: list[Any] = []
    assert not fast_forward(event, lambda _id, _v: [], decoded.append)
    assert decoded == []


def test_fast_forward_turns_a_lost_store_into_busy() -> None:
    def unreachable(_id: Any, _v: int) -> list[StoredEvent]:
        raise OperationalError("connection refused")

    with pytest.raises(Busy) as refused:
        fast_forward(event_with(0), unreachable, lambda row: row)
    assert refused.value.code == "STORE_UNAVAILABLE"


def test_bookings_read_from_the_store_share_what_they_repeat(make_ledger: Any) -> None:
    """Memory: a user's name and id, the category and its price are held once per event,
    not once per booking, however many bookings the event loads."""
    ledger = make_ledger()
    event_id = UUID(str(ledger.create_event(
        name="Show", description="", venue="Hall", ends_at=None, currency="EUR",
        categories=[{"name": "General", "price": "12.50", "capacity": 10}],
        max_tickets_per_user=None, starts_at=datetime.now(UTC) + timedelta(days=5),
    ).view["id"]))
    user = uuid4()
    for _ in range(2):
        ledger.book(event_id, user_id=user, user_name="Zoë Example", category=None, quantity=1)
    loaded = make_ledger().event(event_id)  # decoded from the store: fresh strings
    first, second = loaded.bookings.values()
    for field in ("user_id", "user_name", "category"):
        assert first[field] is second[field], field
    price = loaded.categories["General"]["price"]
    assert first["unit_price"] is price and second["unit_price"] is price
    assert price == Decimal("12.50") and str(price) == "12.50"
