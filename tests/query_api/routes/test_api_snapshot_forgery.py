"""Through the API (embedded, and PostgreSQL with a worker): a forged snapshot is not used by a
process that starts after it was written, and a verify run reports it."""

import dataclasses
from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi.testclient import TestClient

from commands.domain.event import Event
from core.db import reset_singletons
from query_api.service.write_side import get_ledger
from tests.commands.audit.test_snapshot_forgery import insert_snapshot
from tests.fixtures.api import Caller, assert_error
from tests.support.verify_runs import verify_report


def test_a_forged_snapshot_is_not_used_by_the_api_and_verify_reports_it(
    client: TestClient, admin: Caller, alice: Caller, bob: Caller, auditor: Caller,
    signup: Callable[[str], Caller], make_event: Callable[..., dict[str, Any]],
    book: Callable[..., Any],
) -> None:
    event_id = make_event(total_seats=2)["id"]
    assert book(alice, event_id).status_code == 201
    assert book(bob, event_id).status_code == 201  # v3: sold out
    ledger = get_ledger()
    snapshot: Any = Event.Snapshot.take(ledger.event(UUID(event_id)))
    assert snapshot.originator_version == 3
    [name] = snapshot.state["categories"]
    state = snapshot.state | {"categories": {name: {**snapshot.state["categories"][name],
                                                    "sold": 0}},
                              "bookings": {}, "booked_by_user": {}, "ticket_index": {}}
    insert_snapshot(ledger, ledger.mapper.to_stored_event(dataclasses.replace(snapshot,
                                                                              state=state)))
    carol = signup("Carol")
    reset_singletons()  # as if the API restarted: its next command loads the event cold

    assert_error(book(carol, event_id), 400, "SOLD_OUT")
    then = client.get(f"/api/audit/events/{event_id}/state", params={"version": 3},
                      headers=auditor.headers)
    assert then.status_code == 200, then.text
    assert then.json()["available_seats"] == 0 and then.json()["bookings_total"] == 2

    report = verify_report(client, auditor.headers)
    assert report["ok"] is False and report["chain"]["ok"] is True
    assert [(b["event_id"], b["version"]) for b in report["snapshots"]["bad"]] == [(event_id, 3)]
    assert report["snapshots"]["bad"][0]["problem"].startswith("state differs")
