"""A group commit's cold events loaded together: each from its latest snapshot (counts', else
full, checked), their rows read with the warm ones', and each as a load of its own would have it."""

from typing import Any, cast
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import StoredEvent

from commands.domain.errors import DomainError
from commands.domain.event import Event
from commands.ledger import Ledger
from commands.store.snapshots import COUNTS
from core.settings import Settings
from tests.commands.store.test_counts_snapshots import counts_of, event_sold, sold


@pytest.fixture
def writer(any_settings: Settings) -> Any:
    ledger = Ledger(any_settings)
    yield ledger
    ledger.close()


@pytest.fixture
def cold(any_settings: Settings) -> Any:
    """A process that starts now: nothing warm."""
    ledger = Ledger(any_settings)
    yield ledger
    ledger.close()


def forge_counts(ledger: Ledger, event_id: UUID, version: int) -> None:
    """A counts' snapshot with seats sold back to 0, written by whoever can INSERT: its seal
    broken."""
    event = ledger.store.load_counts(event_id, version=version)
    event.categories["General"]["sold"] = 0
    stored = ledger.store.counts.mapper.to_stored_event(Event.Snapshot.take_counts(event))
    ledger.store.counts.recorder.insert_events([StoredEvent(
        originator_id=stored.originator_id, originator_version=stored.originator_version,
        topic=stored.topic, state=bytes(stored.state)[:-1] + b" ")])


def test_cold_events_of_a_group_load_together_as_each_would_alone(
    writer: Ledger, cold: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = event_sold(writer, 24)
    assert writer.snapshot_at(counted, 10, COUNTS) and writer.snapshot_at(counted, 20, COUNTS)
    full_only = event_sold(writer, 14)
    assert writer.snapshot_at(full_only, 10)  # as a store from before the counts' snapshots
    fresh = event_sold(writer, 3)  # no snapshot: from its first event
    forged = event_sold(writer, 14)
    forge_counts(writer, forged, 12)
    warm = event_sold(writer, 2)
    kept = writer.store.load_counts(warm)
    sold(writer, warm, 2)  # the kept copy is two rows behind
    cold.warm.keep(kept)
    unknown = uuid4()
    alone: list[UUID] = []  # streams read one at a time
    assert cold.store.snapshots is not None
    for recorder in (cold.store.recorder, cold.store.counts.recorder,
                     cold.store.snapshots.recorder):
        def reading(*args: Any, _read: Any = recorder.select_events, **kwargs: Any) -> Any:
            alone.append(args[0] if args else kwargs["originator_id"])
            return _read(*args, **kwargs)
        monkeypatch.setattr(recorder, "select_events", reading)

    found = cold.warm.take_all([counted, full_only, fresh, forged, warm, unknown])
    monkeypatch.undo()

    if cold.settings.is_postgres:  # one read per snapshot store and one of rows, for all
        assert alone == [forged]  # but the forged one's events, read again from the first

    for event_id in (counted, full_only, fresh, forged, warm):
        event = found[event_id]
        assert isinstance(event, Event) and not event.keeps_records and event.bookings == {}
        assert counts_of(event) == counts_of(writer.event(event_id)), event_id
    assert cast(Event, found[forged]).categories["General"]["sold"] == 14  # forgery not used
    assert found[warm] is kept and kept.version == 5  # brought forward, not loaded
    missing = found[unknown]
    assert isinstance(missing, DomainError) and missing.code == "EVENT_NOT_FOUND"


def test_a_stream_of_another_kind_named_as_an_event_is_not_found_in_a_group(
    writer: Ledger, cold: Ledger
) -> None:
    event_id = event_sold(writer, 1)
    booking_id = UUID(next(iter(writer.event(event_id).bookings)))  # its `Booking` stream
    found = cold.warm.take_all([event_id, booking_id])
    assert isinstance(found[event_id], Event)
    refused = found[booking_id]
    assert isinstance(refused, DomainError) and refused.code == "EVENT_NOT_FOUND"
