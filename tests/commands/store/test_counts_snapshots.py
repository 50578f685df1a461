"""A command's cold load starts from the event's counts' snapshot: small however much it sold,
checked as the full ones are, and verified against the events like them."""

from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import text

from commands.audit.snapshots import verify_snapshots
from commands.domain.event import Event
from commands.ledger import Ledger
from commands.store import aggregate_cache
from commands.store.snapshots import COUNTS
from core.db import get_engine
from tests.commands.store.test_group_commit import booking, new_event
from tests.fixtures.ledgers import LedgerFactory


def sold(ledger: Ledger, event_id: UUID, bookings: int) -> None:
    for _ in range(bookings):
        booking(ledger, event_id, uuid4())()


def event_sold(ledger: Ledger, bookings: int) -> UUID:
    """An event of 100 seats, `bookings` of one seat each sold: at versions 2 to bookings + 1."""
    event_id = new_event(ledger, seats=100)
    sold(ledger, event_id, bookings)
    return event_id


def counts_versions(ledger: Ledger, event_id: UUID) -> list[int]:
    return sorted(s.originator_version for s in ledger.store.counts.get(event_id))


def decoded_rows(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The versions of the event rows this ledger decodes from now on."""
    seen: list[int] = []
    decode = ledger.store.mapper.to_domain_event

    def counting(stored: Any) -> Any:
        seen.append(stored.originator_version)
        return decode(stored)

    monkeypatch.setattr(ledger.store.mapper, "to_domain_event", counting)
    return seen


def counts_of(event: Event) -> tuple[Any, ...]:
    return (event.version, event.categories, event.booked_by_user, vars(event)["chain_head"])


def test_a_cold_command_starts_from_the_counts_snapshot_and_decides_as_a_full_load(
    make_ledger: LedgerFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = make_ledger()
    event_id = event_sold(writer, 24)  # versions 2..25: counts' snapshots at 10 and 20
    writer.snapshots_written()
    assert counts_versions(writer, event_id) == [10, 20]
    cold = make_ledger()
    rows = decoded_rows(cold, monkeypatch)
    event = cold.warm.take_fresh(event_id)
    assert rows == list(range(20, 26))  # the snapshot's own row for its chain, then those after
    assert not event.keeps_records and event.bookings == {}
    assert counts_of(event) == counts_of(cold.event(event_id))
    cold.warm.keep(event)
    outcome = booking(cold, event_id, uuid4(), quantity=3)()
    assert outcome.view["status"] == "confirmed"
    assert cold.event(event_id).categories["General"]["sold"] == 27


def test_an_event_without_counts_snapshots_starts_from_its_full_one_and_drops_its_records(
    make_ledger: LedgerFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = make_ledger()
    event_id = event_sold(writer, 14)
    writer.snapshot_at(event_id, 10)  # as a store from before the counts' snapshots holds
    cold = make_ledger()
    rows = decoded_rows(cold, monkeypatch)
    event = cold.store.load_counts(event_id)
    assert rows == list(range(10, 16))
    assert not event.keeps_records and event.bookings == {} and event.ticket_index == {}
    assert counts_of(event) == counts_of(cold.event(event_id))


def test_a_counts_snapshot_is_taken_from_the_one_before_and_never_past_the_stream(
    make_ledger: LedgerFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = make_ledger()
    event_id = event_sold(ledger, 24)
    assert ledger.snapshot_at(event_id, 10, COUNTS)
    rows = decoded_rows(ledger, monkeypatch)
    assert ledger.snapshot_at(event_id, 20, COUNTS)
    assert rows == list(range(10, 21))
    assert not ledger.snapshot_at(event_id, 20, COUNTS)  # there already
    assert not ledger.snapshot_at(event_id, 30, COUNTS)  # the stream ends at 25
    assert counts_versions(ledger, event_id) == [10, 20]


def test_a_warm_copy_far_behind_is_loaded_again_from_the_counts_snapshot(
    make_ledger: LedgerFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(aggregate_cache, "FAST_FORWARD_AT_MOST", 5)
    behind, seller = make_ledger(), make_ledger()
    event_id = new_event(seller, seats=100)
    booking(behind, event_id, uuid4())()  # warm at version 2
    sold(seller, event_id, 20)  # versions 3..22, counts' snapshots at 10 and 20
    seller.snapshots_written()
    rows = decoded_rows(behind, monkeypatch)
    outcome = booking(behind, event_id, uuid4())()
    assert outcome.view["status"] == "confirmed"
    assert rows[:3] == [20, 21, 22]  # from the snapshot at 20, not the 20 rows it missed
    assert behind.event(event_id).categories["General"]["sold"] == 22


def test_verify_names_a_counts_snapshot_whose_counts_its_events_do_not_add_up_to(
    make_ledger: LedgerFactory,
) -> None:
    ledger = make_ledger()
    event_id = event_sold(ledger, 14)
    assert ledger.snapshot_at(event_id, 10, COUNTS)
    assert verify_snapshots(ledger)["ok"]
    # Sealed with the store's own key at a real version: only a replay tells it is false.
    event = ledger.store.load_counts(event_id, version=12)
    event.categories["General"]["sold"] = 0
    ledger.store.counts.put([Event.Snapshot.take_counts(event)])
    report = verify_snapshots(ledger)
    assert not report["ok"]
    assert report["bad"] == [{"event_id": str(event_id), "version": 12,
                              "problem": "counts' snapshot: state differs from its events "
                                         "replayed: categories"}]


def test_a_counts_snapshot_not_sealed_with_the_key_is_refused_for_the_events_alone(
    make_ledger: LedgerFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = make_ledger()
    event_id = event_sold(writer, 14)
    writer.snapshot_at(event_id, 10)  # a genuine full one: not a start beside a forged one
    event = writer.store.load_counts(event_id, version=12)
    event.categories["General"]["sold"] = 0  # seats sold back, by whoever can INSERT
    forged = writer.store.counts.mapper.to_stored_event(Event.Snapshot.take_counts(event))
    with get_engine().begin() as conn:
        conn.execute(text("INSERT INTO stored_count_snapshots VALUES (:id, :version, :topic, "
                          ":state)"), {"id": event_id.hex, "version": 12, "topic": forged.topic,
                                       "state": bytes(forged.state)[:-1] + b" "})
    cold = make_ledger()
    rows = decoded_rows(cold, monkeypatch)
    loaded = cold.warm.take_fresh(event_id)
    assert rows[0] == 1 and loaded.categories["General"]["sold"] == 14  # from the first event
