"""Group commit: bookings queued together are decided one by one, answered each on its own,
and appended in one save."""

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import OperationalError

from commands.application.views import Outcome
from commands.domain.errors import Busy, Conflict, DomainError
from commands.ledger import Ledger
from commands.store.group_commit import Drain, GroupCommitter, Pending, _Queue
from commands.store.snapshots import COUNTS, RECORDS
from tests.fixtures.ledgers import LedgerFactory

Call = Callable[[], Outcome]


def new_event(ledger: Ledger, seats: int, **extra: Any) -> UUID:
    fields = {"name": "Show", "description": "", "venue": "Hall", "ends_at": None,
              "currency": "EUR", "categories": [{"name": "General", "price": "10.00",
                                                 "capacity": seats}],
              "max_tickets_per_user": None,
              "starts_at": datetime.now(UTC) + timedelta(days=5)} | extra
    return UUID(str(ledger.create_event(**fields).view["id"]))


def booking(ledger: Ledger, event_id: UUID, user: UUID, quantity: int = 1,
            key: str | None = None) -> Call:
    return lambda: ledger.book(event_id, user_id=user, user_name="U", category=None,
                               quantity=quantity, idempotency_key=key)


def in_one_group(ledger: Ledger, event_id: UUID, calls: list[Call]) -> list[Any]:
    """Queue every call while the event is locked, in order; then let one group commit them."""
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        try:
            results[i] = calls[i]()
        except Exception as exc:
            results[i] = exc

    threads = []
    with ledger.locks.hold(event_id):
        for i in range(len(calls)):
            threads.append(threading.Thread(target=run, args=(i,)))
            threads[-1].start()
            deadline = time.monotonic() + 5
            while len(queued(ledger, event_id)) < i + 1:  # arrival order = queue order
                assert time.monotonic() < deadline, "the request never queued"
                time.sleep(0.001)
    for t in threads:
        t.join(10)
    return results


def queued(ledger: Ledger, event_id: UUID) -> list[Any]:
    shards = min(ledger.settings.commit_shards, ledger.settings.db_pool_size)
    queue = ledger.booking_queues._queues.get(event_id.int % shards)
    return [p for p in queue.pending if p.payload.event_id == event_id] if queue else []


def counting_saves(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many aggregates each transaction of the ledger saved (a save or a group's)."""
    saves: list[int] = []
    original = ledger.store._put

    def store(units: Any, **kwargs: Any) -> Any:
        saves.append(sum(len(aggregates) for aggregates, _ in units))
        return original(units, **kwargs)

    monkeypatch.setattr(ledger.store, "_put", store)
    return saves


def test_a_group_answers_each_booking_on_its_own_in_one_save(
    make_ledger: LedgerFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = make_ledger()
    event_id = new_event(ledger, seats=5)
    alice, bob, carol, dave, erin = (uuid4() for _ in range(5))
    saves = counting_saves(ledger, monkeypatch)
    results = in_one_group(ledger, event_id, [
        booking(ledger, event_id, alice, 2),
        booking(ledger, event_id, bob, 10),                # more than is left: refused alone
        booking(ledger, event_id, carol, 2, key="k1"),
        booking(ledger, event_id, carol, 2, key="k1"),     # a retry in the same group
        booking(ledger, event_id, carol, 1, key="k1"),     # the key with another body
        booking(ledger, event_id, dave, 1),
        booking(ledger, event_id, erin, 1),                # sold out by now
    ])
    assert saves == [4]  # one save: the event and the BookingRefs of its 3 new bookings
    first, refused, keyed, retried, reused, last, sold_out = results
    assert isinstance(first, Outcome) and first.view["quantity"] == 2
    assert isinstance(refused, DomainError) and refused.code == "NOT_ENOUGH_SEATS"
    assert isinstance(keyed, Outcome) and not keyed.replayed
    assert isinstance(retried, Outcome) and retried.replayed
    assert retried.view["id"] == keyed.view["id"]
    assert isinstance(reused, Conflict) and reused.code == "IDEMPOTENCY_KEY_REUSED"
    assert isinstance(last, Outcome)
    assert isinstance(sold_out, DomainError) and sold_out.code == "SOLD_OUT"
    positions = [r.position or 0 for r in (first, keyed, last)]
    assert all(positions) and positions == sorted(positions)
    stored = make_ledger().event(event_id)  # another writer's view: from the store
    assert stored.categories["General"]["sold"] == 5 and len(stored.bookings) == 3


def test_a_retry_in_a_later_group_answers_the_first_booking(make_ledger: LedgerFactory) -> None:
    ledger = make_ledger()
    event_id = new_event(ledger, seats=5)
    user = uuid4()
    first = booking(ledger, event_id, user, 1, key="once")()
    again = booking(ledger, event_id, user, 1, key="once")()
    assert again.replayed and again.view["id"] == first.view["id"]
    assert ledger.event(event_id).categories["General"]["sold"] == 1


def test_a_key_first_used_on_another_event_is_refused_after_one_retry(
    make_ledger: LedgerFactory,
) -> None:
    ledger = make_ledger()
    one, other = new_event(ledger, seats=5), new_event(ledger, seats=5)
    user = uuid4()
    booking(ledger, one, user, 1, key="shared")()
    before = ledger.retries
    with pytest.raises(Conflict) as refused:
        booking(ledger, other, user, 1, key="shared")()
    assert refused.value.code == "IDEMPOTENCY_KEY_REUSED"
    assert ledger.retries == before + 1  # the store's uniqueness caught it; then looked up
    assert ledger.event(other).categories["General"]["sold"] == 0


def test_bookings_retried_with_a_refused_key_keep_their_refs(make_ledger: LedgerFactory) -> None:
    """The conflict's first save took the group's refs' events; the retry saves new refs."""
    ledger = make_ledger()
    one, other = new_event(ledger, seats=5), new_event(ledger, seats=5)
    user = uuid4()
    booking(ledger, one, user, 1, key="shared")()
    reused, plain = in_one_group(ledger, other, [booking(ledger, other, user, 1, key="shared"),
                                                 booking(ledger, other, uuid4(), 2)])
    assert isinstance(reused, Conflict) and isinstance(plain, Outcome)
    booking_id = UUID(str(plain.view["id"]))
    assert ledger.booking_owner(booking_id) == str(plain.view["user_id"])  # found through its ref
    assert ledger.cancel_booking(booking_id).view["status"] == "cancelled"


def test_per_user_limits_hold_inside_a_group(make_ledger: LedgerFactory) -> None:
    ledger = make_ledger()
    event_id = new_event(ledger, seats=50, max_tickets_per_user=3)
    user = uuid4()
    results = in_one_group(ledger, event_id, [booking(ledger, event_id, user, 2)] * 3)
    assert isinstance(results[0], Outcome)
    assert [getattr(r, "code", None) for r in results[1:]] == ["USER_LIMIT_EXCEEDED"] * 2


def test_a_failed_save_fails_the_group_and_forgets_its_bookings(
    make_ledger: LedgerFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = make_ledger()
    event_id = new_event(ledger, seats=5)
    original = ledger.store._put

    def failing(*units: Any, **kwargs: Any) -> Any:
        raise OperationalError("the store went away")

    monkeypatch.setattr(ledger.store, "_put", failing)
    results = in_one_group(ledger, event_id, [booking(ledger, event_id, uuid4(), 2)] * 2)
    assert all(isinstance(r, Busy) and r.code == "STORE_UNAVAILABLE" for r in results)
    monkeypatch.setattr(ledger.store, "_put", original)
    after = booking(ledger, event_id, uuid4(), 5)()  # the unsaved 4 seats were never sold
    assert after.view["quantity"] == 5
    assert make_ledger().event(event_id).categories["General"]["sold"] == 5


def test_a_group_snapshots_at_the_exact_multiple_it_crosses(make_ledger: LedgerFactory) -> None:
    ledger = make_ledger()  # SNAPSHOT_INTERVAL=10 in this store
    event_id = new_event(ledger, seats=100)
    in_one_group(ledger, event_id, [booking(ledger, event_id, uuid4()) for _ in range(14)])
    ledger.snapshots_written()  # in the ledger's snapshot thread, after the commit
    assert ledger.snapshots is not None
    assert [s.originator_version for s in ledger.snapshots.get(event_id)] == [10]
    [snapshot] = ledger.snapshots.get(event_id)
    assert len(snapshot.state["bookings"]) == 9  # type: ignore[attr-defined]  # a Snapshot  # as it was at version 10, not 15
    fresh = make_ledger().event(event_id)
    assert fresh.version == 15 and len(fresh.bookings) == 14


def test_snapshots_are_stored_after_the_answers_and_a_failed_one_loses_nothing(
    make_ledger: LedgerFactory, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    ledger = make_ledger()  # SNAPSHOT_INTERVAL=10 in this store
    event_id = new_event(ledger, seats=100)
    assert ledger.snapshots is not None
    release, tried = threading.Event(), []

    def stuck_then_failing(stored: list[Any]) -> None:
        tried.append([s.originator_version for s in stored])
        release.wait(10)
        raise OperationalError("the snapshot table is gone")

    monkeypatch.setattr(ledger.snapshots.recorder, "insert_events", stuck_then_failing)
    calls = [booking(ledger, event_id, uuid4()) for _ in range(14)]
    answers = in_one_group(ledger, event_id, calls)
    assert all(isinstance(a, Outcome) for a in answers)  # answered while the snapshot is stuck
    more = booking(ledger, event_id, uuid4())()  # and the event takes the next commit meanwhile
    assert more.view["quantity"] == 1
    release.set()
    ledger.snapshots_written()
    assert tried == [[10]]
    assert "could not store a snapshot" in caplog.text
    assert list(ledger.snapshots.get(event_id)) == []  # none stored: its insert failed
    assert make_ledger().event(event_id).categories["General"]["sold"] == 15  # replayed


def test_with_workers_a_snapshot_owed_is_asked_of_them_and_taken_there_from_the_store(
    make_ledger: LedgerFactory,
) -> None:
    asked: list[tuple[UUID, int, str]] = []
    api = make_ledger(snapshot_elsewhere=lambda *snapshot: asked.append(snapshot))
    event_id = new_event(api, seats=100)
    in_one_group(api, event_id, [booking(api, event_id, uuid4()) for _ in range(14)])
    for _ in range(7):  # single commits cross the next multiple, 20
        booking(api, event_id, uuid4())()
    api.snapshots_written()
    assert asked == [(event_id, v, kind) for v in (10, 20) for kind in (COUNTS, RECORDS)]
    assert api.snapshots is not None and list(api.snapshots.get(event_id)) == []  # not here
    assert list(api.store.counts.get(event_id)) == []
    worker = make_ledger()
    for snapshot in asked:
        assert worker.snapshot_at(*snapshot)
    assert not worker.snapshot_at(event_id, 20)  # a task delivered twice: already there
    assert not worker.snapshot_at(event_id, 20, COUNTS)
    assert worker.snapshots is not None
    stored = {s.originator_version: s for s in worker.snapshots.get(event_id)}
    assert sorted(stored) == [10, 20]
    assert len(stored[10].state["bookings"]) == 9  # type: ignore[attr-defined]  # a Snapshot
    assert len(stored[20].state["bookings"]) == 19  # type: ignore[attr-defined]
    counts = {s.originator_version: s for s in worker.store.counts.get(event_id)}
    assert sorted(counts) == [10, 20]
    assert counts[20].state["bookings"] == {}  # type: ignore[attr-defined]
    assert counts[20].state["categories"]["General"]["sold"] == 19  # type: ignore[attr-defined]
    assert make_ledger().event(event_id).version == 22


def test_saving_an_aggregate_with_nothing_pending_is_a_no_op(make_ledger: LedgerFactory) -> None:
    ledger = make_ledger()
    event_id = new_event(ledger, seats=10)
    event = ledger.event(event_id)
    ledger.store.append(event)  # nothing new: no snapshot to take, no error
    assert ledger.event(event_id).version == event.version


def test_a_warm_aggregate_ahead_of_the_store_is_reloaded(make_ledger: LedgerFactory,
                                                        store_settings: Any) -> None:
    """A commit the database lost (e.g. an asynchronous replica promoted) must not leave this
    process deciding on, and appending after, versions the store does not hold."""
    ledger = make_ledger()
    event_id = new_event(ledger, seats=10)
    booking(ledger, event_id, uuid4(), 2)()
    lost = booking(ledger, event_id, uuid4(), 3)()  # kept warm, then lost by the store
    path = store_settings.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM stored_events WHERE originator_id = ? AND originator_version = "
                     "(SELECT max(originator_version) FROM stored_events WHERE originator_id = ?)",
                     (event_id.hex, event_id.hex))
        conn.execute("DELETE FROM stored_events WHERE originator_id = ?",
                     (UUID(str(lost.view["id"])).hex,))
    after = booking(ledger, event_id, uuid4(), 4)()
    assert after.view["quantity"] == 4
    fresh = make_ledger().event(event_id)  # contiguous and exact: 2 + 4 sold, not 2 + 3 + 4
    assert fresh.categories["General"]["sold"] == 6 and fresh.version == 3


def test_async_bookings_wait_on_the_event_loop_and_commit_in_groups(
    make_ledger: LedgerFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many awaiting tasks, no thread each: one committer thread saves them in few groups."""
    ledger = make_ledger()
    event_id = new_event(ledger, seats=30)
    saves = counting_saves(ledger, monkeypatch)
    threads_before = threading.active_count()

    async def book_all() -> list[Any]:
        calls = [ledger.book_async(event_id, user_id=uuid4(), user_name="U", category=None,
                                   quantity=1) for _ in range(40)]
        return await asyncio.gather(*calls, return_exceptions=True)

    results = asyncio.run(book_all())
    booked = [r for r in results if isinstance(r, Outcome)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(booked) == 30 and len(refused) == 10
    assert {r.code for r in refused} == {"SOLD_OUT"}
    assert len(saves) < 40  # grouped: the first alone, the rest queued behind it
    # The event's committer thread, and the ledger's snapshot thread (30 bookings cross 10).
    assert threading.active_count() - threads_before <= 2
    assert make_ledger().event(event_id).categories["General"]["sold"] == 30


def test_a_waiter_never_taken_into_a_group_gives_up_with_event_busy(
    make_ledger: LedgerFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = make_ledger()
    event_id = new_event(ledger, seats=5)
    monkeypatch.setattr(ledger.booking_queues, "_wait", 0.2)
    with ledger.locks.hold(event_id):  # another command holds the event meanwhile
        with pytest.raises(Busy) as sync_refused:
            booking(ledger, event_id, uuid4())()
        with pytest.raises(Busy) as async_refused:
            asyncio.run(ledger.book_async(event_id, user_id=uuid4(), user_name="U",
                                          category=None, quantity=1))
        assert not queued(ledger, event_id)  # both left the queue: never booked
    assert sync_refused.value.code == async_refused.value.code == "EVENT_BUSY"
    booking(ledger, event_id, uuid4(), 5)()  # all 5 seats still there


def test_a_request_queued_just_after_an_empty_drain_is_committed_by_the_next_group() -> None:
    """Everyone in line gave up (EVENT_BUSY) before the lock came: the group taken is empty.
    A request queued right after that is the next group's, not failed with this one."""
    queue: _Queue[str] = _Queue(leading=True)
    late: Pending[str] = Pending("late")
    rounds: list[list[str]] = []

    def commit(_key: UUID, drain: Drain[str]) -> list[tuple[Pending[str], str]]:
        taken = drain()
        rounds.append([p.payload for p in taken])
        if len(rounds) == 1:
            queue.pending.append(late)  # arrives between the drain and the end of the commit
        return [(p, f"booked {p.payload}") for p in taken]

    committer: GroupCommitter[UUID, str] = GroupCommitter(
        commit, key_of=lambda _payload: uuid4(), max_group=8, wait=1, threads=1)
    committer._lead(uuid4(), queue)
    committer.close()
    assert rounds == [[], ["late"]]
    assert late.outcome() == "booked late"


def test_warm_aggregates_hold_counts_however_much_they_sell(
    store_settings: Any, request: pytest.FixtureRequest
) -> None:
    """Memory: the warm arena keeps counts; cancellations and check-ins decide on the
    bookings' own streams, and the store's replay still has every record."""
    ledger = Ledger(store_settings)
    request.addfinalizer(ledger.close)
    event_id = new_event(ledger, seats=50)
    booked = [booking(ledger, event_id, uuid4(), 2)() for _ in range(6)]
    warm = ledger.warm.peek(event_id)
    assert warm is not None and warm.bookings == {} and warm.ticket_index == {}
    assert warm.categories["General"]["sold"] == 12
    first, second = (UUID(str(b.view["id"])) for b in booked[:2])
    second_code = booked[1].view["tickets"][0]["code"]
    ledger.cancel_booking(first)
    ledger.check_in(event_id, second_code, second)
    assert ledger.warm.peek(event_id) is warm and warm.bookings == {}
    assert warm.categories["General"]["sold"] == 10
    loaded = ledger.event(event_id)  # replayed from the store: every record
    assert len(loaded.bookings) == 6 and loaded.booking(first)["status"] == "cancelled"
    assert loaded.booking(second)["tickets"][second_code] == "used"
    assert vars(loaded)["categories"] == warm.categories
    assert loaded.booked_by_user == warm.booked_by_user


def test_a_booking_is_read_from_its_own_stream_never_from_its_event(
    make_ledger: LedgerFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read-your-writes during a sale: the booking's few rows, whatever the event's size."""
    here, elsewhere = make_ledger(), make_ledger()
    event_id = new_event(here, seats=10)
    mine = booking(here, event_id, uuid4(), 2)()  # keeps the event warm here
    theirs = booking(elsewhere, event_id, uuid4(), 3)()  # another process's write
    cancelled = elsewhere.cancel_booking(UUID(str(theirs.view["id"])))

    def no_event(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("read the event")

    monkeypatch.setattr(here.store, "load", no_event)
    monkeypatch.setattr(here.runner, "aggregate", no_event)
    assert here.booking(UUID(str(theirs.view["id"]))) == cancelled.view
    assert cancelled.view["status"] == "cancelled"
    assert {t["status"] for t in cancelled.view["tickets"]} == {"cancelled"}
    assert here.booking(UUID(str(mine.view["id"]))) == mine.view
    warm = here.warm.peek(event_id)
    assert warm is not None and warm.version == 2  # untouched: created, then my booking
