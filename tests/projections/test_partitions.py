"""Read models caught up in partitions: each partition its streams' events, exactly once, the
tables equal to one advancer's; a new partition count by `repartition`, with no rebuild."""

import threading
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import text

from bench.scenario import book, new_event
from commands.ledger import Ledger
from core.db import session_scope
from projections import catch_up, partitions, rebuild, registry, tracking
from projections.batch_loop import run_batches
from projections.partitions import Part
from projections.proofs import tree
from projections.repartition import repartition
from projections.status import status
from projections.verify import verify_ledger
from query_api.reads.consistency import of_event
from tests.support.history import busy_history


def live_tables() -> dict[str, Any]:
    with session_scope() as session:
        return {n: registry.snapshot_tables(session, n) for n in catch_up.PROJECTIONS}


def rows() -> dict[str, int]:
    with session_scope() as session:
        found = session.execute(text("SELECT name, position FROM projection_tracking"))
        return {str(name): int(position) for name, position in found}


@pytest.fixture
def in_three(any_ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> Ledger:
    """A fresh store whose read models will catch up in three partitions."""
    monkeypatch.setattr(any_ledger.settings, "projection_partitions", 3)
    return any_ledger


def test_a_stream_s_partition_is_its_id_s_last_byte_as_sql_reads_it() -> None:
    stream = UUID("00000000-0000-0000-0000-0000000000ff")
    assert partitions.of_stream(stream, 4) == 255 % 4
    assert partitions.unit("bookings", Part(2, 4)) == "bookings#2/4"
    assert partitions.parse("bookings#2/4") == ("bookings", Part(2, 4))
    assert partitions.parse("bookings") == ("bookings", partitions.WHOLE)
    assert partitions.unit("bookings", partitions.WHOLE) == "bookings"


def test_a_read_model_folded_from_its_position_is_its_furthest_behind_partition() -> None:
    reached = partitions.folded({"availability#0/3": 9, "availability#1/3": 4,
                                 "availability#2/3": 7, tree.NAME: 9})
    assert reached["availability"] == 4 and reached[tree.NAME] == 9
    stream = UUID(int=7)  # last byte 7: partition 1 of 3
    assert partitions.position_of(reached, partitions.for_stream("availability", stream)) == 4
    assert partitions.position_of(reached, partitions.for_stream("availability", UUID(int=6))) == 9
    # In one partition the stream's partition is the whole.
    whole = {"availability": 5}
    assert partitions.position_of(whole, partitions.for_stream("availability", stream)) == 5


def test_an_event_s_reads_wait_for_its_partition_unless_they_read_other_streams() -> None:
    event_id = uuid4()
    scoped = of_event(("availability", "bookings"), str(event_id))
    # Its bookings' rows carry their payments' too: those streams lie in any partition.
    assert scoped == (partitions.for_stream("availability", event_id), "bookings")
    assert of_event(("availability",), None) == ("availability",)
    assert of_event(("availability",), "not-an-id") == ("availability",)


def test_partitions_apply_each_event_once_and_equal_one_advancer(in_three: Ledger) -> None:
    history = busy_history(in_three, events=4, bookings=6)
    assert catch_up.advance_all(in_three.eventlog)
    recorded = rows()
    head = in_three.eventlog.last()
    for name in catch_up.PROJECTIONS:
        assert name not in recorded
        assert [recorded[row] for row in partitions.units(name, 3)] == [head] * 3
    assert catch_up.advance_all(in_three.eventlog) == dict.fromkeys(catch_up.PROJECTIONS, 0)
    partitioned = live_tables()
    assert partitioned["bookings"]["bookings"]  # something was projected

    report = {r["name"]: r for r in status(in_three.eventlog)}
    assert [p["partition"] for p in report["bookings"]["partitions"]] == [0, 1, 2]
    assert report["bookings"]["position"] == head and report[tree.NAME]["partitions"] == []

    assert rebuild.rebuild_all(in_three.eventlog)  # a replay by one advancer agrees
    assert live_tables() == partitioned
    assert [rows()[row] for row in partitions.units("bookings", 3)] == [head] * 3

    # The event's partition reached the head: a read of it waits for no other partition.
    with session_scope() as session:
        reached = tracking.positions(session)
    name = partitions.for_stream("availability", history.event_ids[0])
    assert partitions.position_of(reached, name) == head


def test_the_merkle_tree_advances_on_its_own_beside_partitions(in_three: Ledger) -> None:
    busy_history(in_three, events=1, bookings=3)
    applied = catch_up.advance_together(catch_up.ALL, in_three.eventlog)
    head = in_three.eventlog.last()
    assert applied[tree.NAME] == len(in_three.eventlog.read(0, 10_000))
    assert set(applied) == set(catch_up.ALL)
    assert rows()[tree.NAME] == head
    assert tracking.current_positions()["revenue"] == head


def test_concurrent_runners_share_the_partitions_and_apply_each_event_once(
    in_three: Ledger,
) -> None:
    busy_history(in_three, events=3, bookings=6)
    runs = [threading.Thread(target=catch_up.advance_together,
                             args=(catch_up.PROJECTIONS, in_three.eventlog, 5))
            for _ in range(3)]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    partitioned = live_tables()
    rebuild.rebuild_all(in_three.eventlog)
    assert live_tables() == partitioned


def test_a_busy_partition_is_passed_over_then_waited_for(
    pg_ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pg_ledger.settings, "projection_partitions", 2)
    busy_history(pg_ledger, events=2, bookings=4)
    catch_up.advance_all(pg_ledger.eventlog)
    event_id = new_event(pg_ledger)
    for _ in range(4):
        book(pg_ledger, event_id)
    held = partitions.units("bookings", 2)[partitions.of_stream(event_id, 2)]
    other = partitions.units("bookings", 2)[1 - partitions.of_stream(event_id, 2)]
    finished = threading.Event()
    with session_scope() as session:  # another worker, mid-batch on the event's partition
        tracking.lock_all(session, [held])
        def woken() -> None:
            catch_up.advance_together(["bookings"], pg_ledger.eventlog)
            finished.set()

        runner = threading.Thread(target=woken)
        runner.start()
        # It advances the other partition past the event's bookings meanwhile...
        deadline = threading.Event()
        while tracking.current_positions()[other] < pg_ledger.eventlog.last():
            assert not deadline.wait(0.02) and runner.is_alive()
        assert not finished.is_set()  # ...and waits for the held one: it was woken for it
    runner.join(10)
    assert finished.is_set()
    assert tracking.current_positions()["bookings"] == pg_ledger.eventlog.last()


def test_repartition_moves_the_layout_without_a_rebuild_and_loses_nothing(
    any_ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    busy_history(any_ledger, events=3, bookings=5)
    catch_up.advance_all(any_ledger.eventlog)
    expected = live_tables()
    event_id = new_event(any_ledger)
    book(any_ledger, event_id)  # left for the partitions to apply from where each stood
    catch_up.advance("availability", any_ledger.eventlog)  # some ahead of others

    position = repartition(any_ledger.eventlog, 4)
    assert position == any_ledger.eventlog.last()
    recorded = rows()
    assert not [row for row in recorded if partitions.parse(row)[1].n not in (1, 4)]
    assert all(recorded[row] == position for name in catch_up.PROJECTIONS
               for row in partitions.units(name, 4))

    # A process still set for one partition follows the record.
    assert any_ledger.settings.projection_partitions == 1
    book(any_ledger, event_id)
    catch_up.advance_all(any_ledger.eventlog)
    assert "bookings" not in rows()
    moved = live_tables()

    monkeypatch.setattr(any_ledger.settings, "projection_partitions", 4)
    rebuild.rebuild_all(any_ledger.eventlog)
    assert live_tables() == moved != expected

    assert repartition(any_ledger.eventlog, 1) == any_ledger.eventlog.last()
    assert set(partitions.layouts(rows()).values()) == {1}
    assert live_tables() == moved


def test_a_layout_moved_under_a_runner_is_refused_not_recreated(in_three: Ledger) -> None:
    busy_history(in_three, events=1, bookings=2)
    catch_up.advance_all(in_three.eventlog)
    repartition(in_three.eventlog, 2)
    with pytest.raises(tracking.LayoutMoved), session_scope() as session:
        tracking.lock_all(session, partitions.units("bookings", 3))
    # A process that read the layout as one partition: its plain row is not made again at 0
    # (which would apply the whole log a second time).
    with pytest.raises(tracking.LayoutMoved), session_scope() as session:
        tracking.lock_all(session, ["bookings"])
    assert "bookings" not in rows()
    layouts = partitions.layouts(rows())
    assert {layouts[name] for name in catch_up.PROJECTIONS} == {2}


def test_verify_replays_each_partition_up_to_its_own_position(in_three: Ledger) -> None:
    busy_history(in_three, events=3, bookings=4)
    catch_up.advance_all(in_three.eventlog)
    event_id = new_event(in_three)
    book(in_three, event_id)
    # Only the new event's partition takes the booking: the others stay behind.
    models = list(registry.REGISTRY.values())
    run_batches(models, [], in_three.eventlog, part=Part(partitions.of_stream(event_id, 3), 3))
    reached = tracking.current_positions()
    assert len({reached[row] for row in partitions.units("bookings", 3)}) == 2

    report = verify_ledger(in_three)
    assert all(p["ok"] for p in report["projections"].values()), report["projections"]
    with session_scope() as session:  # and a drift in the partition ahead is still seen
        session.execute(text("UPDATE bookings SET quantity = 9 WHERE event_id = :e"),
                        {"e": event_id if in_three.settings.is_postgres else event_id.hex})
    assert not verify_ledger(in_three)["projections"]["bookings"]["ok"]


def test_a_partition_already_past_the_wake_up_is_not_waited_for(
    pg_ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pg_ledger.settings, "projection_partitions", 2)
    busy_history(pg_ledger, events=2, bookings=3)
    catch_up.advance_all(pg_ledger.eventlog)
    woken_at = pg_ledger.eventlog.last()
    held = partitions.units("bookings", 2)[0]
    with session_scope() as session:  # another worker holds partition 0, already there
        tracking.lock_all(session, [held])
        done = threading.Event()

        def woken() -> None:
            catch_up.advance_together(["bookings"], pg_ledger.eventlog, woken_at=woken_at)
            done.set()

        runner = threading.Thread(target=woken)
        runner.start()
        assert done.wait(10), "it waited for a partition that had what it was woken for"
    runner.join()
