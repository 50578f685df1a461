"""The booking committer on a fake host: one save per group, each request answered on its own,
and a conflicting save retried carefully with new refs."""

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID, uuid4

from eventsourcing.persistence import IntegrityError

from commands.aggregate import Event
from commands.booking_group import BookingCommitter, BookRequest, book_request
from commands.booking_ref import BookingRef
from commands.errors import Conflict, DomainError
from commands.group import Pending
from commands.locks import EventLocks
from commands.snapshots import SnapshotSchedule
from commands.views import Outcome
from commands.warm import WarmAggregates
from tests.unit.given import NOW, new_event, replay

T = TypeVar("T")


class FakeHost:
    """The ledger's part the committer uses, over in-memory streams; `conflicts` saves fail."""

    def __init__(self, seats: int) -> None:
        self.clock = lambda: NOW
        self.locks = EventLocks(None, 5, 5.0)
        self.warm = WarmAggregates(count=10, bookings=1000)
        self.schedule = SnapshotSchedule(None, interval=10, sealed=False,
                                         rebuild_at=lambda *_: None)
        event = new_event(categories=[{"name": "General", "price": "10", "capacity": seats}])
        self.event_id = event.id
        self.streams: dict[UUID, list[Any]] = {event.id: list(event.collect_events())}
        self.log: list[Any] = []  # the global log: position = index + 1
        self.saves: list[list[Any]] = []  # the aggregates of each save that committed
        self.conflicts = 0
        self.woken: list[int | None] = []

    def warm_event(self, event_id: UUID) -> Event:
        return self.warm.take(event_id) or self.event(event_id)

    def event(self, event_id: UUID, version: int | None = None) -> Event:
        return replay(self.streams[event_id])

    def find_ref(self, booking_id: UUID) -> BookingRef | None:
        if booking_id not in self.streams:
            return None
        ref: Any = None
        for e in self.streams[booking_id]:
            ref = e.mutate(ref)
        assert isinstance(ref, BookingRef)
        return ref

    def save_positions(self, *aggregates: Any) -> dict[UUID, int]:
        collected = [e for a in aggregates for e in a.collect_events()]  # as the library does
        if self.conflicts:
            self.conflicts -= 1
            raise IntegrityError("another writer got in")
        for e in collected:
            self.streams.setdefault(e.originator_id, []).append(e)
            self.log.append(e)
        self.saves.append(list(aggregates))
        return {e.originator_id: self.log.index(e) + 1 for e in collected}

    def on_conflict_retry(self, attempt: Callable[[int], T]) -> T:
        for n in range(3):
            try:
                return attempt(n)
            except IntegrityError:
                continue
        raise AssertionError("gave up")

    def wake(self, position: int | None) -> None:
        self.woken.append(position)


def request(host: FakeHost, quantity: int = 1, key: str | None = None,
            user: UUID | None = None) -> Pending[BookRequest]:
    return Pending(book_request(host.event_id, user_id=user or uuid4(), user_name="U",
                                category=None, quantity=quantity, idempotency_key=key))


def commit(host: FakeHost, group: list[Pending[BookRequest]]) -> list[Any]:
    """Commit `group` as the queue would hand it over; each request's answer or error."""
    committer = BookingCommitter(host, wait=1.0, threads=1)
    committer._commit(host.event_id, lambda: group)
    committer.close()
    assert all(p.done for p in group)
    return [p.error or p.result for p in group]


def test_a_group_is_saved_once_and_each_request_answered_on_its_own() -> None:
    host = FakeHost(seats=4)
    user = uuid4()
    answers = commit(host, [request(host, 2), request(host, 5), request(host, 1, "k", user),
                            request(host, 1, "k", user), request(host, 1)])
    booked, refused, keyed, again, last = answers
    assert [len(s) for s in host.saves] == [4]  # the event and its 3 new bookings' refs
    assert isinstance(refused, DomainError) and refused.code == "NOT_ENOUGH_SEATS"
    assert isinstance(again, Outcome) and again.replayed and again.view["id"] == keyed.view["id"]
    positions = [a.position for a in (booked, keyed, last)]
    assert positions == sorted(positions) and None not in positions
    assert host.woken == [max(positions)]  # one wake-up for the group
    assert host.event(host.event_id).categories["General"]["sold"] == 4


def test_a_conflicting_save_is_decided_again_on_fresh_state_with_new_refs() -> None:
    host = FakeHost(seats=3)
    host.conflicts = 1
    group = [request(host, 1), request(host, 2)]
    first_refs = [p.payload.ref for p in group]
    answers = commit(host, group)
    assert all(isinstance(a, Outcome) for a in answers)
    [(_, *refs)] = host.saves  # only the retry committed, once
    assert {r.id for r in refs} == {r.id for r in first_refs}
    assert not any(r is first for r in refs for first in first_refs)  # new ones: the failed
    assert all(len(host.streams[r.id]) == 1 for r in refs)  # save took the first ones' events
    assert host.event(host.event_id).categories["General"]["sold"] == 3


def test_a_key_reused_with_another_request_is_refused_alone() -> None:
    host = FakeHost(seats=5)
    user = uuid4()
    first, reused, plain = commit(host, [request(host, 1, "k", user), request(host, 2, "k", user),
                                         request(host, 1)])
    assert isinstance(first, Outcome) and isinstance(plain, Outcome)
    assert isinstance(reused, Conflict) and reused.code == "IDEMPOTENCY_KEY_REUSED"


def test_the_aggregate_is_kept_warm_after_the_group() -> None:
    host = FakeHost(seats=5)
    commit(host, [request(host, 1)])
    warm = host.warm.peek(host.event_id)
    assert warm is not None and warm.version == 2 and not warm.pending_events
