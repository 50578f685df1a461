"""The booking committer on a fake host: one save per group, each request answered on its own,
a conflicting save retried carefully with new refs, and groups across events where one
stream's conflict touches only that stream's requests."""

from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast
from uuid import UUID, uuid4

from eventsourcing.persistence import IntegrityError

from commands.application.asked import book_request
from commands.application.booking import BookRequest
from commands.application.request_groups import RequestGroups
from commands.application.views import Outcome
from commands.domain.booking import Booking
from commands.domain.errors import Conflict, DomainError, event_not_found
from commands.domain.event import Event
from commands.store.aggregate_cache import WarmAggregates
from commands.store.group_commit import Pending
from commands.store.locks import EventLocks
from tests.commands.given import NOW, new_event, replay

T = TypeVar("T")


class FakeHost:
    """The runner and store the committer uses, over in-memory streams; `conflicts` saves fail."""

    def __init__(self, seats: int) -> None:
        self.clock = lambda: NOW
        self.locks = EventLocks(None, 5, 5.0)
        self.warm = WarmAggregates(count=10, recorder=cast(Any, self), to_domain=lambda e: e,
                                   load=self.event)
        self.streams: dict[UUID, list[Any]] = {}
        self.event_id = self.new_event(seats)
        self.log: list[Any] = []  # the global log: position = index + 1
        self.saves: list[list[Any]] = []  # the aggregates of each save that committed
        self.conflicts = 0
        self.conflicting: dict[UUID, int] = {}  # streams that conflict: how many more saves
        self.woken: list[int | None] = []
        self.cache = self.warm  # as the runner calls them
        self.store = self  # its own store: `find_ref`, `append_units`

    def new_event(self, seats: int) -> UUID:
        event = new_event(categories=[{"name": "General", "price": "10", "capacity": seats}])
        self.streams[event.id] = list(event.collect_events())
        return event.id

    def aggregate(self, event_id: UUID) -> Event:
        return self.warm.take_fresh(event_id)

    def event(self, event_id: UUID, version: int | None = None) -> Event:
        if event_id not in self.streams:
            raise event_not_found(event_id)
        return replay(self.streams[event_id])

    def select_events(self, stream_id: UUID, gt: int) -> list[Any]:
        """The recorder's read the warm aggregates make: here the domain events themselves."""
        return [e for e in self.streams[stream_id] if e.originator_version > gt]

    def find_ref(self, booking_id: UUID) -> Booking | None:
        if booking_id not in self.streams:
            return None
        ref: Any = None
        for e in self.streams[booking_id]:
            ref = e.mutate(ref)
        assert isinstance(ref, Booking)
        return ref

    def find_claim(self, claim_id: UUID) -> None:
        """No hold is asked of this committer here: no claim to find."""

    def append_units(self, units: Sequence[Sequence[Any]]) -> list[dict[UUID, int] | None]:
        collected = [(list(u), [e for a in u for e in a.collect_events()]) for u in units]
        try:
            together = self._store([a for u, _ in collected for a in u],
                                   [e for _, es in collected for e in es])
            return [together] * len(units)
        except IntegrityError:
            if len(units) == 1:  # as the ledger: nothing to tell apart
                return [None]
        alone: list[dict[UUID, int] | None] = []
        for unit, events in collected:
            try:
                alone.append(self._store(unit, events))
            except IntegrityError:
                alone.append(None)
        return alone

    def _store(self, aggregates: list[Any], collected: list[Any]) -> dict[UUID, int]:
        if self.conflicts:
            self.conflicts -= 1
            raise IntegrityError("another writer got in")
        clash = [i for i in {e.originator_id for e in collected} if self.conflicting.get(i)]
        for i in clash:
            self.conflicting[i] -= 1
        if clash:
            raise IntegrityError("another writer got in")
        for e in collected:
            self.streams.setdefault(e.originator_id, []).append(e)
            self.log.append(e)
        self.saves.append(list(aggregates))
        return {e.originator_id: self.log.index(e) + 1 for e in collected}

    def retry_on_conflict(self, attempt: Callable[[int], T], *, tried: int = 0) -> T:
        for n in range(tried, 3):
            try:
                return attempt(n)
            except IntegrityError:
                continue
        raise AssertionError("gave up")

    def wake(self, position: int | None) -> None:
        self.woken.append(position)


def request(host: FakeHost, quantity: int = 1, key: str | None = None,
            user: UUID | None = None, event: UUID | None = None) -> Pending[BookRequest]:
    return Pending(book_request(event or host.event_id, user_id=user or uuid4(), user_name="U",
                                category=None, quantity=quantity, idempotency_key=key))


class Handed:
    """A queue's drain that hands over `group`, whatever is asked."""

    def __init__(self, group: list[Pending[BookRequest]]) -> None:
        self.group, self.drained = group, False

    def pending(self) -> list[BookRequest]:
        return [p.payload for p in self.group]

    def __call__(self, accept: Any = None) -> list[Pending[BookRequest]]:
        self.drained = True
        return self.group


def commit(host: FakeHost, group: list[Pending[BookRequest]]) -> list[Any]:
    """Commit `group` as the queue would hand it over; each request's answer or error, in the
    order of the group."""
    groups = RequestGroups(host)  # type: ignore[arg-type]  # a fake runner: what it calls of one
    answers = groups.commit(0, Handed(group))  # type: ignore[arg-type]  # the queue's part only
    by_request = {id(item): answer for item, answer in answers}
    assert set(by_request) == {id(item) for item in group}  # each answered, once
    return [by_request[id(item)] for item in group]


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


def test_a_conflicting_save_is_decided_again_on_fresh_state() -> None:
    host = FakeHost(seats=3)
    host.conflicts = 1
    group = [request(host, 1), request(host, 2)]
    answers = commit(host, group)
    assert all(isinstance(a, Outcome) for a in answers)
    [(_, *refs)] = host.saves  # only the retry committed, once
    assert {r.id for r in refs} == {p.payload.booking_id for p in group}
    assert all(len(host.streams[r.id]) == 1 for r in refs)  # each registered once
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


def test_a_group_across_events_is_saved_in_one_transaction() -> None:
    host = FakeHost(seats=2)
    other = host.new_event(seats=1)
    answers = commit(host, [request(host, 1), request(host, 1, event=other),
                            request(host, 1, event=other), request(host, 1)])
    first, elsewhere, sold_out, second = answers
    assert isinstance(sold_out, DomainError) and sold_out.code == "SOLD_OUT"
    assert all(isinstance(a, Outcome) for a in (first, elsewhere, second))
    assert len(host.saves) == 1  # both events and their 3 refs in one transaction
    assert {a.id for a in host.saves[0]} >= {host.event_id, other}
    assert host.woken == [max(a.position for a in (first, elsewhere, second))]


def test_one_conflicting_stream_in_a_group_retries_only_its_own_bookings() -> None:
    host = FakeHost(seats=5)
    other = host.new_event(seats=5)
    host.conflicting = {other: 2}  # the group's save and its own save alone
    calm = [request(host, 1), request(host, 2)]
    busy = [request(host, 1, event=other)]
    answers = commit(host, [calm[0], busy[0], calm[1]])
    assert all(isinstance(a, Outcome) for a in answers)
    # The group's save failed, then: the calm event alone (committed, its first refs), the
    # conflicting one alone (failed), and that one again, decided anew with new refs.
    calm_save, retried = host.saves
    assert calm_save[0].id == host.event_id
    assert [r.id for r in calm_save[1:]] == [p.payload.booking_id for p in calm]
    assert retried[0].id == other and retried[1].id == busy[0].payload.booking_id
    assert len(host.streams[host.event_id]) == 1 + 2  # created, then its 2 bookings once
    assert host.event(other).categories["General"]["sold"] == 1
    assert host.event(host.event_id).categories["General"]["sold"] == 3


def test_an_unknown_event_in_a_group_refuses_only_its_own_requests() -> None:
    host = FakeHost(seats=5)
    missing = uuid4()
    booked, refused = commit(host, [request(host, 1), request(host, 1, event=missing)])
    assert isinstance(booked, Outcome)
    assert isinstance(refused, DomainError) and refused.code == "EVENT_NOT_FOUND"


def test_a_stream_that_keeps_conflicting_fails_alone_while_the_rest_is_answered_saved() -> None:
    host = FakeHost(seats=5)
    other = host.new_event(seats=5)
    host.conflicting = {other: 99}  # never goes through: its retries run out
    booked, refused = commit(host, [request(host, 1), request(host, 1, event=other)])
    assert isinstance(booked, Outcome) and booked.position is not None
    assert isinstance(refused, AssertionError)  # the fake's "gave up", for its request only
    assert host.event(host.event_id).categories["General"]["sold"] == 1
    assert host.event(other).categories["General"]["sold"] == 0
