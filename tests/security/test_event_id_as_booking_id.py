"""An event's id asked as a booking id costs one small read, never a load of the event.

Sign-up is open, so without this any customer could make the write side replay a large event's
whole stream by asking for it as a booking, at every booking route.
"""

from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from query_api.service.write_side import get_ledger
from tests.fixtures.api import Caller, assert_error

BOOKINGS = 30


class StoredReads:
    """Counts what the ledger's event and snapshot stores read, on this ledger only."""

    def __init__(self) -> None:
        self.calls = 0
        self.rows = 0

    def counting(self, select: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            rows = select(*args, **kwargs)
            self.calls += 1
            self.rows += len(rows)
            return rows
        return counted


def test_an_event_id_asked_as_a_booking_costs_one_small_read(
    client: TestClient, admin: Caller, alice: Caller, make_event: Callable[..., dict[str, Any]],
    book: Callable[..., Any], monkeypatch: pytest.MonkeyPatch,
) -> None:
    event = make_event(total_seats=BOOKINGS)
    for _ in range(BOOKINGS):
        assert book(alice, event["id"]).status_code == 201
    ledger = get_ledger()
    counted = StoredReads()
    for recorder in (ledger.recorder, ledger.snapshots.recorder):  # type: ignore[union-attr]
        monkeypatch.setattr(recorder, "select_events", counted.counting(recorder.select_events))

    for method, path in (("GET", f"/api/bookings/{event['id']}"),
                         ("DELETE", f"/api/bookings/{event['id']}"),
                         ("GET", f"/api/audit/proofs/bookings/{event['id']}")):
        assert_error(client.request(method, path, headers=alice.headers), 404,
                     "BOOKING_NOT_FOUND")
    assert_error(client.get(f"/api/bookings/{event['id']}", headers=admin.headers), 404,
                 "BOOKING_NOT_FOUND")
    assert counted.rows <= 4 and counted.calls <= 4, vars(counted)  # one row per request


def test_a_booking_is_still_found_by_its_id(
    client: TestClient, alice: Caller, make_event: Callable[..., dict[str, Any]],
    book: Callable[..., Any],
) -> None:
    booked = book(alice, make_event()["id"]).json()
    shown = client.get(f"/api/bookings/{booked['id']}", headers=alice.headers)
    assert shown.status_code == 200 and shown.json()["tickets"] == booked["tickets"]
    assert str(get_ledger().booking(UUID(booked["id"]))["id"]) == booked["id"]
    gone = client.delete(f"/api/bookings/{booked['id']}", headers=alice.headers)
    assert gone.status_code == 200 and gone.json()["status"] == "cancelled"
