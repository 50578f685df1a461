"""Events complete on their own once over: found through the events read table's index, and
completed once, however many schedulers find them due at the same moment."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy import text

from bench.scenario import new_event
from commands.domain.actor import Actor
from commands.ledger import Ledger
from core.db import read_scope
from core.settings import Settings
from workers import lifecycle

NOW = datetime.now(UTC)
STARTS = NOW + timedelta(hours=1)
OVER = STARTS + timedelta(hours=2)  # the events below end an hour after they start


def completions(ledger: Ledger, event_id: UUID) -> int:
    rows = ledger.recorder.select_events(event_id)
    return sum(row.topic.endswith(".EventCompleted") for row in rows)


def test_two_schedulers_finding_an_event_due_at_once_complete_it_once(
    ledgers: Callable[..., Ledger],
) -> None:
    event_id = new_event(ledgers(), starts_at=STARTS, ends_at=STARTS + timedelta(hours=1))
    schedulers = [ledgers(clock=lambda: OVER) for _ in range(2)]
    both_found_it = threading.Barrier(2)

    def tick(ledger: Ledger) -> int | None:
        assert lifecycle.due_events(ledger.clock()) == [event_id]
        both_found_it.wait(timeout=10)
        return ledger.complete_when_over(event_id).position  # "already completed": None

    with ThreadPoolExecutor(2) as pool:
        positions = list(pool.map(tick, schedulers))

    assert [p is None for p in sorted(positions, key=lambda p: p is None)] == [False, True]
    assert completions(schedulers[0], event_id) == 1
    assert schedulers[1].event(event_id).status == "completed"
    assert lifecycle.due_events(OVER) == []  # the read table says so too


def test_a_tick_completes_what_is_over_and_leaves_the_rest(
    ledgers: Callable[..., Ledger],
) -> None:
    organizer = ledgers()
    over = new_event(organizer, starts_at=STARTS, ends_at=STARTS + timedelta(hours=1))
    no_end = new_event(organizer, starts_at=STARTS)
    running = new_event(organizer, starts_at=STARTS, ends_at=OVER + timedelta(days=1))
    later = new_event(organizer, starts_at=OVER + timedelta(days=1))
    cancelled = new_event(organizer, starts_at=STARTS)
    organizer.cancel_event(cancelled, Actor("admin", admin=True))
    done_by_hand = new_event(organizer, starts_at=STARTS)
    scheduler = ledgers(clock=lambda: OVER)
    scheduler.complete_event(done_by_hand)  # its organizer closed it first

    assert sorted(lifecycle.due_events(OVER)) == sorted([over, no_end])
    assert len(lifecycle.complete_due(scheduler)) == 2
    assert lifecycle.complete_due(scheduler) == []  # nothing left: no error, nothing appended

    statuses = {e: scheduler.event(e).status
                for e in (over, no_end, running, later, cancelled, done_by_hand)}
    assert statuses == {over: "completed", no_end: "completed", running: "active",
                        later: "active", cancelled: "cancelled", done_by_hand: "completed"}
    assert all(completions(scheduler, e) == 1 for e in (over, no_end, done_by_hand))


def test_the_due_events_are_found_through_the_events_index(sqlite_settings: Settings) -> None:
    query = lifecycle.due_query(OVER).compile(compile_kwargs={"literal_binds": True})
    with read_scope() as session:
        plan = " ".join(str(row[-1]) for row in session.execute(
            text(f"EXPLAIN QUERY PLAN {query}")))
    assert "USING INDEX ix_events_status_starts_at_id" in plan, plan
    assert "SCAN" not in plan and "TEMP B-TREE" not in plan, plan  # no scan, no sort
