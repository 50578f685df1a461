"""A commit whose answer is lost is answered as the success it was, exactly once.

The store's client retries an insert whose connection was lost. When the lost attempt had
committed, the retry collides with its own rows: it must answer their positions (a booking
201, not a 200 replay, a 409 or a second booking), and a real conflict must stay one.
"""

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent
from sqlalchemy.engine import make_url

from bench.scenario import new_event
from commands.application.views import Outcome, booking_view
from commands.domain.booking import Booking
from commands.domain.event import Event
from commands.ledger import Ledger
from core.settings import Settings
from tests.conftest import PG_ADMIN_URL, configure
from tests.core.event_store.cut_proxy import CutProxy

pytestmark = [pytest.mark.serial, pytest.mark.postgres]


@pytest.fixture
def proxy(pg_settings: Settings) -> Iterator[CutProxy]:
    url = make_url(pg_settings.database_url)
    with CutProxy((url.host or "127.0.0.1", url.port or 5432)) as cut:
        yield cut


@pytest.fixture
def cut_ledger(
    pg_settings: Settings, proxy: CutProxy, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Ledger, list[int]]]:
    """A Ledger whose every connection goes through the proxy; and the positions it woke."""
    monkeypatch.setenv("PGSSLMODE", "disable")  # the proxy reads the protocol in the clear
    monkeypatch.setenv("PGGSSENCMODE", "disable")
    url = make_url(pg_settings.database_url).set(host="127.0.0.1", port=proxy.port)
    settings = configure(monkeypatch, DATABASE_URL=url.render_as_string(hide_password=False))
    woken: list[int] = []
    ledger = Ledger(settings, on_commit=woken.append)
    yield ledger, woken
    ledger.close()


def _stream(ledger: Ledger, event_id: UUID) -> list[str]:
    return [e.topic.rsplit(".", 1)[-1] for e in ledger.recorder.select_events(event_id)]


def _booked(ledger: Ledger, event_id: UUID, key: str | None) -> tuple[Outcome, Event]:
    started = time.perf_counter()
    outcome = ledger.book(event_id, user_id=uuid4(), user_name="Ann", category=None,
                          quantity=2, idempotency_key=key)
    assert time.perf_counter() - started < 3  # one retry of the store's client, 0.2 s later
    return outcome, ledger.event(event_id)


@pytest.mark.parametrize("key", [None, "lost-answer-key"])
def test_a_booking_whose_commit_answer_is_lost_is_answered_201_once(
    cut_ledger: tuple[Ledger, list[int]], proxy: CutProxy, key: str | None
) -> None:
    ledger, woken = cut_ledger
    event_id = new_event(ledger)
    proxy.arm()
    outcome, event = _booked(ledger, event_id, key)
    assert proxy.cuts == 1  # the booking's commit went through and its answer was cut
    assert not outcome.replayed  # 201 Created, not 200 (a replay) nor 409 DUPLICATE_BOOKING
    assert ledger.retries == 0  # no conflict was seen: the retry found its own rows
    booking_id = outcome.view["id"]
    assert list(event.bookings) == [str(booking_id)]  # booked once, seats counted once
    assert event.available("General") == 98
    assert _stream(ledger, event_id).count("SeatsBooked") == 1
    ref: object = ledger.store.repository.get(booking_id)
    assert isinstance(ref, Booking) and ref.event_id == event_id
    # The position answered is the booking's row, and the projections were woken up to it.
    rows = ledger.recorder.select_notifications(start=1, limit=100)
    booked = [n.id for n in rows if n.originator_id == event_id]
    assert outcome.position in {booked[-1], max(n.id for n in rows)}
    assert woken[-1] == outcome.position
    assert outcome.view == booking_view(ref)  # as loaded from the store
    # The warm aggregate is exact: the next booking is decided on it and saved at once.
    after = ledger.book(event_id, user_id=uuid4(), user_name="Bo", category=None, quantity=1)
    assert not after.replayed and ledger.retries == 0
    assert ledger.event(event_id).available("General") == 97
    if key is not None:  # the client's own retry of that key is now the replay
        again = ledger.book(event_id, user_id=UUID(ref.user_id), user_name="Ann", category=None,
                            quantity=2, idempotency_key=key)
        assert again.replayed and again.view["id"] == booking_id


def test_a_cancellation_whose_commit_answer_is_lost_succeeds_once(
    cut_ledger: tuple[Ledger, list[int]], proxy: CutProxy
) -> None:
    ledger, woken = cut_ledger
    event_id = new_event(ledger)
    booking_id = ledger.book(event_id, user_id=uuid4(), user_name="Ann", category=None,
                             quantity=3).view["id"]
    proxy.arm()
    outcome = ledger.cancel_booking(booking_id)  # not BOOKING_ALREADY_CANCELLED
    assert proxy.cuts == 1 and ledger.retries == 0
    assert outcome.view["status"] == "cancelled" and woken[-1] == outcome.position
    assert _stream(ledger, event_id).count("BookingCancelled") == 1
    assert ledger.event(event_id).available("General") == 100


@pytest.mark.parametrize("with_ref", [False, True], ids=["same-keys", "some-keys"])
def test_a_real_conflict_after_a_lost_connection_is_still_a_conflict(
    pg_ledger: Ledger, pg_settings: Settings, with_ref: bool
) -> None:
    """Another writer's row at our version, stored while our first attempt's connection died.

    At every one of our keys (only the bytes differ), or at some of them (the rest absent).
    """
    event_id = new_event(pg_ledger)
    ours, theirs = pg_ledger.event(event_id), pg_ledger.event(event_id)
    ours.update_details({"description": "ours"}, now=datetime.now(UTC))
    theirs.update_details({"description": "theirs"}, now=datetime.now(UTC))
    ref = Booking(id=uuid4(), event_id=event_id, user_id="u", fingerprint="f")
    our_rows = [pg_ledger.mapper.to_stored_event(e)
                for e in [*ours.collect_events(), *(ref.collect_events() if with_ref else [])]]
    their_row = pg_ledger.mapper.to_stored_event(theirs.collect_events()[0])
    assert (their_row.originator_id, their_row.originator_version) == (
        our_rows[0].originator_id, our_rows[0].originator_version)
    database = make_url(pg_settings.database_url).database
    with psycopg.connect(f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{database}") as other:
        # The other writer's row at our version, not yet committed: our first attempt's
        # insert waits for its transaction at the unique (stream, version).
        _insert_row(other, their_row)
        result: list[BaseException | object] = []
        append = threading.Thread(target=_insert, args=(pg_ledger, our_rows, result))
        append.start()
        pid = _waiting_backend(other)
        killed = other.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()
        assert killed == (True,)  # our attempt's connection is lost, its commit in doubt
    append.join(10)
    assert len(result) == 1 and isinstance(result[0], IntegrityError), result
    stored = pg_ledger.recorder.select_events(event_id, gt=ours.version - 1)
    assert [s.state for s in stored] == [their_row.state]  # theirs, not ours
    assert not pg_ledger.recorder.select_events(ref.id)  # none of ours: all or nothing


def _insert(ledger: Ledger, rows: list[StoredEvent], result: list[Any]) -> None:
    try:
        result.append(ledger.recorder.insert_events(rows))
    except BaseException as exc:  # handed to the test's thread
        result.append(exc)


def _waiting_backend(conn: psycopg.Connection[Any]) -> int:
    """The backend waiting for the other writer's transaction (our append's first attempt)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        row = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()").fetchone()
        if row:
            return int(row[0])
        time.sleep(0.01)
    raise AssertionError("the append never waited for the other writer")


def _insert_row(conn: psycopg.Connection[Any], row: StoredEvent) -> None:
    conn.execute(
        "INSERT INTO ledger_events (originator_id, originator_version, topic, state) "
        "VALUES (%s, %s, %s, %s)",
        (row.originator_id, row.originator_version, row.topic, row.state))
