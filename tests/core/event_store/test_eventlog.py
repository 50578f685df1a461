"""The event log as readers see it: a log of its own reads what the ledger wrote, in order."""

from collections.abc import Iterator
from typing import Any

import pytest

from commands.domain.booking import Booking
from commands.domain.event import Event
from commands.ledger import Ledger
from core.event_store.global_log import EventLog
from core.settings import Settings
from tests.support.history import busy_history


@pytest.fixture
def own_log(any_settings: Settings) -> Iterator[EventLog]:
    """A log opened on its own, as a worker opens it: no Ledger in this process's reads."""
    log = EventLog.open(any_settings)
    yield log
    log.close()


def test_a_log_of_its_own_reads_every_event_the_ledger_wrote_in_order(
    any_ledger: Ledger, own_log: EventLog
) -> None:
    busy_history(any_ledger, events=2, bookings=5)
    top = any_ledger.eventlog.last()
    assert own_log.last() == top and own_log.head() == top  # nothing in flight here
    read: list[Any] = []
    after = 0
    while batch := own_log.read(after, 7):  # in batches, as the runner reads
        read.extend(batch)
        after = batch[-1].id
    assert [n.id for n in read] == sorted({n.id for n in read}) and read[-1].id == top
    written = any_ledger.recorder.select_notifications(start=1, limit=10_000)
    assert [(n.id, n.topic, bytes(n.state)) for n in read] == [
        (n.id, n.topic, bytes(n.state)) for n in written]
    kinds = {type(own_log.decode(n)) for n in read}  # the ledger's transcodings, decoded alike
    assert {Event.Created, Event.SeatsBooked, Booking.Registered} <= kinds


def test_reads_stop_where_asked(any_ledger: Ledger, own_log: EventLog) -> None:
    busy_history(any_ledger, events=1, bookings=4)
    top = own_log.last()
    assert [n.id for n in own_log.read(0, 100, upto=3)] == [1, 2, 3]
    assert own_log.read(top, 100) == []
    assert own_log.head(after=top + 5) == top + 5  # never below what the caller has seen


def test_partitions_split_the_streams_and_together_hold_every_event(
    pg_ledger: Ledger, pg_settings: Settings
) -> None:
    busy_history(pg_ledger, events=4, bookings=3)
    log = EventLog.open(pg_settings)
    try:
        top = log.head()
        parts = [log.read_part(0, top, top, (k, 3), None)[0] for k in range(3)]
        streams = [{n.originator_id for n in part} for part in parts]
        assert all(not (a & b) for i, a in enumerate(streams) for b in streams[i + 1:])
        assert sorted(n.id for part in parts for n in part) == [
            n.id for n in log.read(0, 10_000)]
        assert log.count_through(top) == len(log.read(0, 10_000))
    finally:
        log.close()
