"""Appends commit out of order; no reader of the global log ever passes a position in flight.

Real PostgreSQL transactions append through the recorder's own statements and commit when
the test says: the higher position first, the lower one later (or never). The projections,
the audit log feed and a live subscriber's read, polled in between, stop before the gap and
end with every committed event exactly once, equal to a fresh replay.
"""

import random
import secrets
import threading
from datetime import UTC, datetime
from uuid import UUID, uuid4

import psycopg
import pytest

from bench.scenario import new_event
from commands.audit.store import log_page
from commands.ledger import Ledger
from core.db import get_engine, libpq_url
from core.event_store import safe_head
from core.settings import Settings
from projections import catch_up
from projections.verify import verify_ledger
from query_api.live.sse_hub import read_views

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """Readers give up on a transaction in flight after 50 ms, not 1 s: polls stay quick."""
    monkeypatch.setattr(safe_head, "WAIT", 0.05)


class Append:
    """One append in a transaction of its own, left open until `commit` or `abort`."""

    def __init__(self, ledger: Ledger, url: str, event_id: UUID, insert: bool = True) -> None:
        aggregate = ledger.event(event_id)
        aggregate.book(booking_id=uuid4(), user_id=str(uuid4()), user_name="Ann", category=None,
                       quantity=1, ticket_codes=[secrets.token_urlsafe(16)],
                       now=datetime.now(UTC))
        self.rows = [ledger.mapper.to_stored_event(e) for e in aggregate.collect_events()]
        self.statement = ledger.recorder.insert_rows_statement  # type: ignore[attr-defined]
        self.conn = psycopg.connect(url, autocommit=True)
        self.conn.execute("BEGIN")
        self.conn.execute("SELECT pg_current_xact_id()")  # its id now, its position later
        self.positions: list[int] = []
        if insert:
            self.insert()

    def insert(self) -> None:
        rows = self.rows
        self.positions = [r[0] for r in self.conn.execute(self.statement, (
            [r.originator_id for r in rows], [r.originator_version for r in rows],
            [r.topic for r in rows], [r.state for r in rows])).fetchall()]

    def end(self, commit: bool) -> None:
        self.conn.execute("COMMIT" if commit else "ROLLBACK")
        self.conn.close()


@pytest.fixture
def url(pg_settings: Settings) -> str:
    return libpq_url(pg_settings.database_url)


def _readers(ledger: Ledger, events: list[UUID]) -> tuple[int, list[int], int]:
    """Each reader polled once: (lowest projection position after a projection run, the
    audit log feed's positions, the position a live subscriber's read reports)."""
    catch_up.advance_all(ledger.eventlog)
    with get_engine().connect() as conn:
        positions = [int(p) for (p,) in conn.exec_driver_sql(
            "SELECT position FROM projection_tracking")]
    log = [r["position"] for r in log_page(ledger, 0, 10_000)]
    live = {view["position"] for view in read_views(events).values()}
    assert len(live) == 1
    return min(positions), log, live.pop()


def _committed(ledger: Ledger) -> list[int]:
    with get_engine().connect() as conn:
        return [int(p) for (p,) in conn.exec_driver_sql(
            "SELECT notification_id FROM ledger_events ORDER BY notification_id")]


def _assert_final(ledger: Ledger, events: list[UUID]) -> None:
    """Every committed event exactly once, everywhere; the projections equal a replay."""
    committed = _committed(ledger)
    lowest, log, live = _readers(ledger, events)
    assert log == committed
    assert lowest == live == committed[-1]
    report = verify_ledger(ledger)
    assert all(p["ok"] for p in report["projections"].values()), report["projections"]


@pytest.mark.parametrize("crossed", [False, True], ids=["in-order", "ids-crossed"])
@pytest.mark.parametrize("lower_commits", [True, False], ids=["then-commits", "then-aborts"])
def test_a_higher_position_committed_first_is_not_read_past_the_lower(
    pg_ledger: Ledger, url: str, lower_commits: bool, crossed: bool
) -> None:
    """Crossed: the higher position's transaction took its id first (reading only rows whose
    own transaction is below the horizon would pass the lower position here)."""
    events = [new_event(pg_ledger) for _ in range(2)]
    catch_up.advance_all(pg_ledger.eventlog)
    if crossed:
        high = Append(pg_ledger, url, events[1], insert=False)
        low = Append(pg_ledger, url, events[0])
        high.insert()
    else:
        low = Append(pg_ledger, url, events[0])
        high = Append(pg_ledger, url, events[1])
    assert high.positions[0] > low.positions[-1]
    high.end(commit=True)  # the higher position is visible; the lower one still in flight
    for _ in range(3):
        lowest, log, live = _readers(pg_ledger, events)
        assert lowest < low.positions[0] and live < low.positions[0]
        assert all(p < low.positions[0] for p in log), log
        assert pg_ledger.eventlog.head() < low.positions[0]
    assert pg_ledger.eventlog.last() == high.positions[-1]  # what commands answered exists
    low.end(commit=lower_commits)
    _assert_final(pg_ledger, events)


def test_random_commit_and_abort_orders_end_equal_to_a_replay(
    pg_ledger: Ledger, url: str
) -> None:
    rng = random.Random(17)
    events = [new_event(pg_ledger) for _ in range(8)]
    stop = threading.Event()
    pages: list[list[int]] = []

    def poll(read_log: bool) -> None:  # readers racing the commits
        while not stop.is_set():
            if read_log:
                pages.append([r["position"] for r in log_page(pg_ledger, 0, 10_000)])
            else:
                catch_up.advance_all(pg_ledger.eventlog)

    readers = [threading.Thread(target=poll, args=(k == 0,)) for k in range(3)]
    for reader in readers:
        reader.start()
    try:
        for _ in range(20):
            # Open appends to distinct streams (one writer per stream: none waits), then end
            # them from threads of their own in a random order, some aborted.
            appends = [Append(pg_ledger, url, e) for e in rng.sample(events, rng.randint(2, 6))]
            _end_all(appends, rng)
    finally:
        stop.set()
        for reader in readers:
            reader.join(30)
    committed = _committed(pg_ledger)
    assert len(pages) > 20
    for page in pages:  # each page a prefix of the final log: nothing passed, nothing twice
        assert page == committed[:len(page)]
    _assert_final(pg_ledger, events)


def _end_all(appends: list[Append], rng: random.Random) -> None:
    """End the appends from threads of their own, in a random order, about a third aborted."""
    rng.shuffle(appends)
    threads = [threading.Thread(target=a.end, args=(rng.random() > 0.33,)) for a in appends]
    for thread in threads:
        thread.start()
        if rng.random() < 0.5:
            thread.join()  # now and then one ends before the next starts: orders vary more
    for thread in threads:
        thread.join(10)


def test_a_transaction_left_open_elsewhere_does_not_hold_readers_back(
    pg_ledger: Ledger, url: str
) -> None:
    """A row lock held in another session (a transaction id, no append): readers still
    reach every append that ended; only appends in flight hold them back."""
    events = [new_event(pg_ledger) for _ in range(2)]
    with psycopg.connect(url) as idle:
        idle.execute("SELECT pg_current_xact_id()")
        appended = Append(pg_ledger, url, events[0])
        appended.end(commit=True)
        assert pg_ledger.eventlog.head() == appended.positions[-1]
        log = [r["position"] for r in log_page(pg_ledger, 0, 10_000)]
        assert log == _committed(pg_ledger)
        idle.rollback()
    _assert_final(pg_ledger, events)


def test_the_store_has_no_lock_function_left(pg_settings: Settings) -> None:
    """Appends need no lock: the migration leaves no `ledger_events_lock()` to call."""
    with psycopg.connect(pg_settings.database_url.replace("+psycopg", "")) as conn:
        found = conn.execute("SELECT to_regprocedure('ledger_events_lock()')").fetchone()
    assert found == (None,)
