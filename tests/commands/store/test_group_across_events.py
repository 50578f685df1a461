"""Group commit across events, on each backend: bookings of many events queued together are
appended in one transaction, and a stream that conflicts costs only its own requests."""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any
from uuid import UUID, uuid4

import pytest
from prometheus_client import REGISTRY

from bench.scenario import new_event
from commands.application.views import Outcome
from commands.ledger import Ledger

Book = Callable[[], Outcome]


def booking(ledger: Ledger, event_id: UUID, quantity: int = 1) -> Book:
    return lambda: ledger.book(event_id, user_id=uuid4(), user_name="Ann", category=None,
                               quantity=quantity)


def queued(ledger: Ledger) -> int:
    return sum(len(q.pending) for q in ledger.booking_queues._queues.values())


def in_one_group(ledger: Ledger, held: list[UUID], calls: list[Book]) -> list[Any]:
    """Queue every call (in order) while this process holds the `held` events' locks; then
    let the committer go. The first call's group is its event's alone (the committer waits on
    that lock before the others queue); every later call waits for the next group, together."""
    results: list[Any] = [None] * len(calls)
    locking = threading.Event()
    hold_all = ledger.locks.hold_all

    def spied(event_ids: Any) -> Any:
        locking.set()
        return hold_all(event_ids)

    ledger.locks.hold_all = spied  # type: ignore[method-assign]  # this instance only

    def run(i: int) -> None:
        try:
            results[i] = calls[i]()
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    with ExitStack() as locks:
        for event_id in held:
            locks.enter_context(ledger.locks.hold_here(event_id))
        for i, thread in enumerate(threads):
            thread.start()
            deadline = time.monotonic() + 5
            while queued(ledger) < i + 1:
                assert time.monotonic() < deadline, "the request never queued"
                time.sleep(0.001)
            if i == 0:
                assert locking.wait(5), "the committer never asked for the locks"
    for thread in threads:
        thread.join(10)
    return results


@pytest.fixture
def one_shard(any_ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> Iterator[Ledger]:
    """Every event's bookings in one queue, as events that share a shard are."""
    monkeypatch.setattr(any_ledger.booking_queues, "_key_of", lambda _request: 0)
    yield any_ledger


def stores(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> list[set[UUID]]:
    """The streams each transaction of the ledger wrote (a spy on the real store)."""
    seen: list[set[UUID]] = []
    original = ledger.store._put

    def store(units: Any, **kwargs: Any) -> Any:
        recordings = original(units, **kwargs)
        seen.append({r.domain_event.originator_id for r in recordings})
        return recordings

    monkeypatch.setattr(ledger.store, "_put", store)
    return seen


def stream(ledger: Ledger, event_id: UUID) -> list[str]:
    return [type(e).__name__ for e in ledger.store.events.get(event_id)]


def committed() -> tuple[float, float, float]:
    """The group commits so far in this process: how many, their requests and their events."""
    def sample(name: str) -> float:
        return REGISTRY.get_sample_value(name) or 0.0

    return (sample("ledger_commit_group_requests_count"),
            sample("ledger_commit_group_requests_sum"), sample("ledger_commit_group_events_sum"))


def test_bookings_of_several_events_are_appended_in_one_transaction(
    one_shard: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = one_shard
    blocker, *events = [new_event(ledger) for _ in range(4)]
    seen = stores(ledger, monkeypatch)
    calls = [booking(ledger, e) for e in [blocker, *events]] + [booking(ledger, events[0], 2)]
    before = committed()
    answers = in_one_group(ledger, [blocker], calls)
    assert all(isinstance(a, Outcome) for a in answers), answers
    # Two commits: the blocker's booking alone, then four requests for three events.
    assert [a - b for a, b in zip(committed(), before, strict=True)] == [2, 1 + 4, 1 + 3]
    first, written = seen  # the blocker's; then the three events and the 4 bookings' refs
    assert blocker in first and set(events) <= written and len(written) == 3 + 4
    assert [ledger.event(e).categories["General"]["sold"] for e in events] == [3, 1, 1]


def test_one_conflicting_stream_fails_only_its_own_requests_the_others_commit_once(
    one_shard: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer appends to one event between the group's load and its save."""
    ledger = one_shard
    blocker, calm, contested = new_event(ledger), new_event(ledger), new_event(ledger)
    other = Ledger(ledger.settings)  # another process, writing past the locks
    original = ledger.warm.take_all

    def warm_events(event_ids: Any) -> Any:
        found = original(event_ids)
        if contested in event_ids:  # the group's aggregates are loaded: now it gets in
            rival = other.event(contested)
            rival.update_details({"venue": "Elsewhere"}, now=rival.modified_on)
            other.store.append(rival)
        return found

    monkeypatch.setattr(ledger.warm, "take_all", warm_events)
    seen = stores(ledger, monkeypatch)
    retries = ledger.retries
    answers = in_one_group(ledger, [blocker], [
        booking(ledger, blocker), booking(ledger, calm), booking(ledger, contested),
        booking(ledger, calm, 2)])
    other.close()
    assert all(isinstance(a, Outcome) for a in answers), answers
    # The group's save failed whole; then each event alone: the calm one committed (once,
    # as decided), the contested one failed again and was decided anew on fresh state.
    assert ledger.retries == retries + 1  # the contested stream's, counted once
    assert [calm in s for s in seen] == [False, True, False]  # (blocker, calm alone, contested)
    assert stream(ledger, calm).count("SeatsBooked") == 2
    contested_stream = stream(ledger, contested)
    assert contested_stream.count("SeatsBooked") == 1
    assert contested_stream.index("DetailsUpdated") < contested_stream.index("SeatsBooked")
    assert ledger.event(contested).venue == "Elsewhere"
    assert ledger.event(calm).categories["General"]["sold"] == 3
