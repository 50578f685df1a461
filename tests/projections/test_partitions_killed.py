"""Partitions under random work, their workers killed at random: the read tables end identical
to one advancer's replay of the same log (PostgreSQL, worker processes)."""

import contextlib
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.scenario import book, new_event
from commands.application.seat_requests import SeatFields
from commands.domain.errors import DomainError
from commands.ledger import Ledger
from core.db import session_scope
from projections import catch_up, rebuild, registry, tracking
from tests.support.history import paid_through_a_provider

PARTITIONS = 3
KINDS = ("book", "book", "cancel", "hold", "release", "confirm", "join", "check_in", "pay")
STEPS = st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 1_000), st.integers(1, 3)),
                 min_size=15, max_size=45)


def advance_forever(batch_size: str, ready: Any) -> None:
    """A worker process: wake-up after wake-up, as Celery's would, until it is killed."""
    os.environ["PROJECTION_PARTITIONS"] = str(PARTITIONS)
    os.environ["PROJECTION_BATCH_SIZE"] = batch_size  # small: kills land mid-catch-up
    from core.event_store.global_log import get_eventlog  # noqa: PLC0415 - in the child

    log = get_eventlog()
    ready.set()
    while True:
        catch_up.advance_together(catch_up.PROJECTIONS, log)
        time.sleep(0.005)


class Workload:
    """Random commands across several events, remembering what they made to act on later."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        small = [{"name": "General", "price": "15.00", "capacity": 6}]
        self.events = [new_event(ledger) for _ in range(4)] + [
            new_event(ledger, categories=small) for _ in range(2)]  # sold out: lines form
        self.bookings: list[dict[str, Any]] = []
        self.holds: list[UUID] = []

    def run(self, kind: str, pick: int, quantity: int) -> None:
        event_id = self.events[pick % len(self.events)]
        buyer: SeatFields = {"user_id": uuid4(), "user_name": "Rae", "category": None,
                             "quantity": quantity}
        steps: dict[str, Callable[[], Any]] = {
            "book": lambda: self.bookings.append(book(self.ledger, event_id, quantity)),
            "cancel": lambda: self.ledger.cancel_booking(self._booking(pick)["id"]),
            "hold": lambda: self.holds.append(self.ledger.hold(event_id, **buyer).view["id"]),
            "release": lambda: self.ledger.release_hold(self._hold(pick)),
            "confirm": lambda: self.ledger.confirm_hold(self._hold(pick)),
            "join": lambda: self.ledger.join_waitlist(event_id, **buyer),
            "check_in": lambda: self.ledger.check_in(
                self._booking(pick)["event_id"], self._booking(pick)["tickets"][0]["code"],
                self._booking(pick)["id"]),
            "pay": lambda: self.bookings.append(paid_through_a_provider(self.ledger, event_id)),
        }
        # Refused (sold out, done already), or nothing to act on yet: the log holds the rest.
        with contextlib.suppress(DomainError, LookupError):
            steps[kind]()

    def _booking(self, pick: int) -> dict[str, Any]:
        if not self.bookings:
            raise LookupError("no booking yet")
        return self.bookings[pick % len(self.bookings)]

    def _hold(self, pick: int) -> UUID:
        if not self.holds:
            raise LookupError("no hold yet")
        return self.holds[pick % len(self.holds)]


def live_tables() -> dict[str, Any]:
    with session_scope() as session:
        return {n: registry.snapshot_tables(session, n) for n in catch_up.PROJECTIONS}


def test_killed_workers_leave_partitions_equal_to_one_advancer(
    pg_ledger: Ledger, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pg_ledger.settings, "projection_partitions", PARTITIONS)
    monkeypatch.setattr(pg_ledger.settings, "rebuild_processes", 1)  # one pass: one advancer
    spawn = multiprocessing.get_context("spawn")

    def started() -> multiprocessing.Process:  # at work when this returns
        ready = spawn.Event()
        worker = spawn.Process(target=advance_forever, args=("3", ready), daemon=True)
        worker.start()
        assert ready.wait(30), "a worker did not start"
        return worker  # type: ignore[return-value]  # a spawn context's process

    # The workers outlive each example (a process takes a second to start): one of them is
    # killed and replaced in each. The store grows from example to example; the tables must
    # equal a replay of all of it each time.
    workers = [started(), started()]

    @settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps=STEPS, kill_at=st.floats(0.0, 1.0))
    def example(steps: list[tuple[str, int, int]], kill_at: float) -> None:
        workload = Workload(pg_ledger)
        for i, step in enumerate(steps):
            workload.run(*step)
            if i == int(kill_at * (len(steps) - 1)):  # one worker dies, wherever it was
                victim = workers.pop(0)
                os.kill(victim.pid or 0, signal.SIGKILL)
                victim.join()
                workers.append(started())
        head = pg_ledger.eventlog.last()
        assert tracking.wait_for(head, catch_up.PROJECTIONS, timeout=60), "the workers stalled"
        reached = tracking.current_positions()
        assert all(reached[f"{name}#{k}/{PARTITIONS}"] >= head
                   for name in catch_up.PROJECTIONS for k in range(PARTITIONS))
        partitioned = live_tables()
        rebuild.rebuild_all(pg_ledger.eventlog)
        assert live_tables() == partitioned

    try:
        example()
    finally:
        for worker in workers:
            worker.kill()
            worker.join()
