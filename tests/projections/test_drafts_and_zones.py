"""Drafts and venue time zones in the availability read model, on SQLite and PostgreSQL: the
`events` row says whether the event is published and in which zone its venue is, as the stream
says, and a rebuild from the store comes out identical to the live tables."""

from typing import Any
from uuid import UUID

from bench.scenario import new_event
from commands.ledger import Ledger
from core.db import session_scope
from projections import catch_up, registry
from projections.availability import EventRow
from projections.rebuild import rebuild_all


def published_and_zone(event_id: UUID) -> tuple[bool, str]:
    with session_scope() as session:
        row = session.get(EventRow, event_id)
        assert row is not None
        return row.published, row.timezone


def live_tables() -> dict[str, Any]:
    with session_scope() as session:
        return {name: registry.snapshot_tables(session, name) for name in catch_up.PROJECTIONS}


def test_a_draft_published_and_a_zone_changed_fold_and_rebuild_alike(any_ledger: Ledger) -> None:
    ledger = any_ledger
    draft = new_event(ledger, published=False, timezone="Europe/London")
    on_sale = new_event(ledger)  # as clients that name neither do: UTC, published at once
    catch_up.advance_all(ledger.eventlog)
    assert published_and_zone(draft) == (False, "Europe/London")
    assert published_and_zone(on_sale) == (True, "UTC")

    ledger.publish_event(draft)
    ledger.update_event(draft, {"timezone": "America/New_York"}, [])
    catch_up.advance_all(ledger.eventlog)
    assert published_and_zone(draft) == (True, "America/New_York")

    live = live_tables()
    rebuild_all(ledger.eventlog, catch_up.PROJECTIONS)
    assert live_tables() == live
