"""Snapshots checked: a forged one is refused on every load and reported by verify; a genuine
one is still used. On SQLite and on PostgreSQL."""

import dataclasses
import logging
from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from prometheus_client import REGISTRY
from sqlalchemy import create_engine, make_url, text

from bench.scenario import book, new_event
from commands.audit.timetravel import state_at
from commands.audit.verify import verify_store
from commands.domain.errors import RuleBroken
from commands.domain.event import Event
from commands.ledger import Ledger
from core.db import get_engine
from ops.cli import main
from tests.conftest import PG_ADMIN_URL


@dataclasses.dataclass
class Sale:
    """Capacity 2: A booked (v2), B booked (v3), A cancelled (v4), C booked (v5): sold out."""

    event_id: UUID
    a: str
    b: str
    c: str


def sale(ledger: Ledger) -> Sale:
    event_id = new_event(ledger, categories=[{"name": "General", "price": "10.00",
                                              "capacity": 2}])
    a, b = book(ledger, event_id)["id"], book(ledger, event_id)["id"]
    ledger.cancel_booking(a)
    return Sale(event_id, str(a), str(b), str(book(ledger, event_id)["id"]))


def insert_snapshot(ledger: Ledger, stored: StoredEvent) -> None:
    """A row in the snapshots table, as anyone allowed to INSERT there could add it."""
    assert ledger.snapshots is not None
    table = ledger.snapshots.recorder.events_table_name  # type: ignore[attr-defined]
    postgres = ledger.settings.is_postgres
    stream = UUID(str(stored.originator_id))
    if postgres:  # as the tables' owner: whatever the app's role may do, an insider may more
        owner = make_url(PG_ADMIN_URL)
        url = make_url(ledger.settings.database_url).set(username=owner.username,
                                                         password=owner.password)
        engine = create_engine(url)
    else:
        engine = get_engine()
    try:
        with engine.begin() as conn:
            conn.execute(text(f"INSERT INTO {table} VALUES (:id, :version, :topic, :state)"),  # noqa: S608 - the store's own name
                         {"id": stream if postgres else stream.hex, "topic": stored.topic,
                          "version": stored.originator_version, "state": bytes(stored.state)})
    finally:
        if postgres:
            engine.dispose()


def written_off(ledger: Ledger, s: Sale) -> None:
    """At v5: nothing sold, no bookings, the true chain hash copied (encoded, not sealed)."""
    snapshot: Any = Event.Snapshot.take(ledger.event(s.event_id, version=5))
    state = snapshot.state | {"categories": {"General": {**snapshot.state["categories"]["General"],
                                                         "sold": 0}},
                              "bookings": {}, "booked_by_user": {}, "ticket_index": {}}
    insert_snapshot(ledger, ledger.mapper.to_stored_event(dataclasses.replace(snapshot,
                                                                              state=state)))


def written_off_without_chain(ledger: Ledger, s: Sale) -> None:
    """The same, carrying no chain hash at all."""
    snapshot: Any = Event.Snapshot.take(ledger.event(s.event_id, version=5))
    state = {k: v for k, v in snapshot.state.items() if k != "chain_head"}
    state |= {"categories": {"General": {**state["categories"]["General"], "sold": 0}},
              "bookings": {}, "booked_by_user": {}, "ticket_index": {}}
    forged = dataclasses.replace(snapshot, state=state)
    vars(forged).pop("chain", None)  # absent, as in a library snapshot
    insert_snapshot(ledger, ledger.mapper.to_stored_event(forged))


def genuine_v2_moved_to_v5(ledger: Ledger, s: Sale) -> None:
    """A genuine snapshot (one seat sold) copied byte for byte to version 5."""
    assert ledger.snapshot_at(s.event_id, 2) and ledger.snapshots is not None
    [stored] = ledger.snapshots.recorder.select_events(s.event_id, gt=1, lte=2)
    insert_snapshot(ledger, StoredEvent(s.event_id, 5, stored.topic, stored.state))


FORGERIES: list[Callable[[Ledger, Sale], None]] = [
    written_off, written_off_without_chain, genuine_v2_moved_to_v5]


def refusals() -> float:
    return sum(REGISTRY.get_sample_value("ledger_snapshots_refused_total", {"reason": r}) or 0
               for r in ("seal", "chain", "unreadable"))


@pytest.mark.parametrize("forge", FORGERIES, ids=lambda f: f.__name__)
def test_a_forged_snapshot_is_never_used_and_verify_reports_it(
    any_ledger: Ledger, forge: Callable[[Ledger, Sale], None],
    caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str],
) -> None:
    s = sale(any_ledger)
    forge(any_ledger, s)
    before = refusals()
    cold = Ledger(any_ledger.settings)  # a process that starts now: nothing warm
    try:
        with caplog.at_level(logging.WARNING):
            with pytest.raises(RuleBroken) as refused:  # the forged state had 2 seats free
                book(cold, s.event_id)
            assert refused.value.code == "SOLD_OUT"
        assert "refused" in caplog.text and refusals() > before
        assert cold.booking(UUID(s.b))["status"] == "confirmed"  # a booking read from the stream
        assert cold.booking(UUID(s.a))["status"] == "cancelled"

        then = state_at(cold, s.event_id, version=5)  # time travel to the forged version
        assert then["categories"][0]["sold"] == 2 and then["bookings_total"] == 3

        cold.cancel_booking(UUID(s.b))  # v6; the worker's task rebuilds v6 from the store
        assert cold.snapshot_at(s.event_id, 6)
        assert cold.event(s.event_id).categories["General"]["sold"] == 1

        report = verify_store(cold)
    finally:
        cold.close()
    assert report["ok"] is False and report["chain"]["ok"] is True
    [bad] = report["snapshots"]["bad"]
    assert bad["event_id"] == str(s.event_id) and bad["version"] == 5, bad
    assert report["snapshots"]["checked"] == (3 if forge is genuine_v2_moved_to_v5 else 2)

    assert main(["verify"]) == 1
    out = capsys.readouterr().out
    assert "snapshots refused" in out and str(s.event_id) in out


def test_a_genuine_snapshot_is_used_and_checks_fine(
    any_ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    event_id = new_event(any_ledger)
    views = [book(any_ledger, event_id) for _ in range(12)]  # versions 2..13
    assert any_ledger.snapshot_at(event_id, 10)
    before = refusals()

    cold = Ledger(any_ledger.settings)
    read: list[int] = []
    select = cold.recorder.select_events

    def counted(*args: Any, **kwargs: Any) -> Any:
        rows = select(*args, **kwargs)
        read.extend(r.originator_version for r in rows)
        return rows

    monkeypatch.setattr(cold.recorder, "select_events", counted)  # this instance only
    try:
        event = cold.event(event_id)
        assert read == [10, 11, 12, 13]  # its own version's event, to check, then the later ones
        assert len(event.bookings) == 12 and str(views[-1]["id"]) in event.bookings
        read.clear()
        assert state_at(cold, event_id, version=12)["bookings_total"] == 11
        assert read and min(read) == 10
        report = verify_store(cold)
    finally:
        cold.close()
    assert refusals() == before
    assert report["snapshots"] == {"ok": True, "checked": 1, "unsealed": 0, "bad": []}
    assert report["ok"] is True


def test_an_unsealed_snapshot_is_not_used_but_a_faithful_one_verifies(ledger: Ledger) -> None:
    """As the library wrote them before sealing: refused at load, yet not a forgery."""
    s = sale(ledger)
    faithful: Any = Event.Snapshot.take(ledger.event(s.event_id, version=3))
    insert_snapshot(ledger, ledger.mapper.to_stored_event(faithful))
    before = refusals()

    cold = Ledger(ledger.settings)
    try:
        assert cold.event(s.event_id).version == 5
        assert refusals() == before + 1
        report = verify_store(cold)
    finally:
        cold.close()
    assert report["snapshots"] == {"ok": True, "checked": 1, "unsealed": 1, "bad": []}


def test_a_snapshot_of_another_stream_and_of_no_stream_are_reported(ledger: Ledger) -> None:
    one, other = sale(ledger), sale(ledger)
    assert ledger.snapshot_at(one.event_id, 3) and ledger.snapshots is not None
    [stored] = ledger.snapshots.recorder.select_events(one.event_id, gt=2, lte=3)
    insert_snapshot(ledger, StoredEvent(other.event_id, 3, stored.topic, stored.state))
    nowhere = uuid4()
    insert_snapshot(ledger, StoredEvent(nowhere, 3, stored.topic, stored.state))

    assert str(state_at(ledger, other.event_id, version=3)["bookings"][0]["id"]) == other.a
    problems = {(b["event_id"], b["problem"]) for b in verify_store(ledger)["snapshots"]["bad"]}
    assert problems == {(str(other.event_id), "its chain hash is not the stored event's at its "
                                              "version"),
                        (str(nowhere), "no stored event at its version")}


def test_the_seal_needs_the_same_key_and_without_one_no_snapshot_is_taken(
    ledger: Ledger,
) -> None:
    s = sale(ledger)
    keyed = ledger.settings.model_copy(update={"snapshot_key": "k" * 40})
    writer, reader = Ledger(keyed), Ledger(keyed)
    other = Ledger(keyed.model_copy(update={"snapshot_key": "o" * 40}))
    keyless = Ledger(keyed.model_copy(update={"snapshot_key": "", "secret_key": ""}))
    try:
        assert writer.snapshot_at(s.event_id, 4) and writer.snapshots is not None
        before = refusals()
        assert other.event(s.event_id, version=4).categories["General"]["sold"] == 1
        assert refusals() == before + 1  # sealed, but not with its key
        assert reader.event(s.event_id, version=4).version == 4
        assert refusals() == before + 1  # the same key: used
        assert not keyless.snapshot_at(s.event_id, 5)
        assert [x.originator_version for x in writer.snapshots.get(s.event_id)] == [4]
    finally:
        for app in (writer, reader, other, keyless):
            app.close()
