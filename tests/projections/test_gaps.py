"""Notification ids have permanent gaps; projections step over them and never wait."""

import sqlite3
from datetime import UTC, datetime
from itertools import pairwise
from uuid import UUID

import pytest
from eventsourcing.persistence import IntegrityError
from sqlalchemy.engine import make_url

from bench.scenario import book, new_event
from commands.ledger import Ledger
from core.db import session_scope
from core.settings import Settings
from projections import catch_up, registry, tracking
from projections.availability import EventRow
from projections.rebuild import rebuild_all


def burn_ids(ledger: Ledger, settings: Settings, event_id: UUID, after: int) -> None:
    """Leave a hole in the ids after position `after`, the way each backend can."""
    if settings.is_postgres:
        # Two writers on one stream: the loser's insert takes an id, then rolls back.
        first, second = ledger.event(event_id), ledger.event(event_id)
        first.update_details({"description": "one"}, now=datetime.now(UTC))
        second.update_details({"description": "two"}, now=datetime.now(UTC))
        ledger.store.append(first)
        with pytest.raises(IntegrityError):
            ledger.store.append(second)
        return
    # SQLite never burns a rowid, so move the newest rows up instead.
    with sqlite3.connect(make_url(settings.database_url).database or "") as conn:
        conn.execute("UPDATE stored_events SET rowid = rowid + 100 WHERE rowid > ?", (after,))


def ids(ledger: Ledger) -> list[int]:
    return [n.id for n in ledger.recorder.select_notifications(start=1, limit=10_000)]


def test_projections_step_over_permanent_gaps(any_ledger: Ledger, any_settings: Settings) -> None:
    event_id = new_event(any_ledger)
    book(any_ledger, event_id)
    catch_up.advance_all(any_ledger.eventlog)
    before = any_ledger.eventlog.last()
    if any_settings.is_postgres:
        burn_ids(any_ledger, any_settings, event_id, before)
        book(any_ledger, event_id)
    else:
        book(any_ledger, event_id)
        burn_ids(any_ledger, any_settings, event_id, before)
    book(any_ledger, event_id, quantity=2)

    seen = ids(any_ledger)
    assert any(b - a > 1 for a, b in pairwise(seen)), seen
    applied = catch_up.advance_all(any_ledger.eventlog)
    assert applied == dict.fromkeys(catch_up.PROJECTIONS, len([i for i in seen if i > before]))
    with session_scope() as session:
        assert tracking.positions(session) == dict.fromkeys(catch_up.PROJECTIONS, seen[-1])
        live = {name: registry.snapshot_tables(session, name) for name in catch_up.PROJECTIONS}
        event = session.get(EventRow, event_id)
        assert event is not None and event.available_seats == 100 - 4
    # One rebuild of them all: on PostgreSQL each rebuild starts its partition processes.
    rebuild_all(any_ledger.eventlog, catch_up.PROJECTIONS)
    with session_scope() as session:
        rebuilt = {name: registry.snapshot_tables(session, name) for name in catch_up.PROJECTIONS}
    assert rebuilt == live
