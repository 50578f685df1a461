"""Embedded mode catches its projections up at startup: commits a crash left unprojected."""

from fastapi.testclient import TestClient
from sqlalchemy import update

from bench.scenario import book, new_event
from commands.ledger import Ledger
from core.db import session_scope
from core.settings import Settings
from projections import catch_up, tracking
from projections.tracking import ProjectionTracking
from query_api.service.app import create_app


def test_events_committed_before_a_crash_are_read_after_a_restart(
    sqlite_settings: Settings,
) -> None:
    # A process that committed and died before projecting: a Ledger that sends no wake-ups.
    ledger = Ledger(sqlite_settings)
    event_id = new_event(ledger, name="Committed before the crash")
    book(ledger, event_id, quantity=2)
    head = ledger.eventlog.last()
    ledger.close()
    assert tracking.current_positions().get("events", 0) == 0  # nothing projected yet
    with TestClient(create_app()) as client:  # the restart
        events = client.get("/api/events").json()["items"]
        assert [e["name"] for e in events] == ["Committed before the crash"]
        assert events[0]["available_seats"] == 98
    assert tracking.current_positions() == dict.fromkeys(catch_up.PROJECTIONS, head)


def test_a_projection_set_back_is_brought_to_the_head(sqlite_settings: Settings) -> None:
    ledger = Ledger(sqlite_settings)
    new_event(ledger, name="First")
    catch_up.advance_all(ledger.eventlog)
    new_event(ledger, name="Second")  # committed, not projected
    head = ledger.eventlog.last()
    ledger.close()
    with session_scope() as session:  # and one projection even further behind
        session.execute(update(ProjectionTracking).where(ProjectionTracking.name == "events")
                        .values(position=0))
    with TestClient(create_app()) as client:
        names = sorted(e["name"] for e in client.get("/api/events").json()["items"])
        assert names == ["First", "Second"]
    assert tracking.current_positions() == dict.fromkeys(catch_up.PROJECTIONS, head)
