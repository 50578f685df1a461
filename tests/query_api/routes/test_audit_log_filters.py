"""GET /api/audit/log filtered by stream, type and period, paged by position with `next_after`,
on both backends."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from commands.audit import store as audit_store
from tests.fixtures.api import Caller, assert_error
from tests.query_api.routes.api_scenario import TYPES, told_through_the_api

LOG = "/api/audit/log"


def _all(client: TestClient, who: Caller, limit: int = 1, **filters: Any) -> list[dict[str, Any]]:
    """Every entry the filters let through, a page of `limit` at a time, by `next_after`."""
    seen: list[dict[str, Any]] = []
    after = 0
    while True:
        page = client.get(LOG, params={"after": after, "limit": limit, **filters},
                          headers=who.headers).json()
        seen += page["items"]
        if page["next_after"] == after:
            return seen
        assert page["next_after"] > after
        after = page["next_after"]


def test_filters_by_stream_and_type_page_by_position(
    client: TestClient, admin: Caller, alice: Caller, bob: Caller, auditor: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> None:
    event_id = told_through_the_api(client, admin, alice, bob, make_event, book)
    other = make_event(name="Other")["id"]
    assert book(alice, other, 1).status_code == 201
    whole = client.get(LOG, params={"limit": 1000}, headers=auditor.headers).json()
    assert whole["next_after"] == whole["next_cursor"] == whole["items"][-1]["position"]

    stream = _all(client, auditor, event_id=event_id)

    assert [e["type"] for e in stream] == TYPES
    assert {e["stream"] for e in stream} == {event_id}
    assert [e["position"] for e in stream] == [
        e["position"] for e in whole["items"] if e["stream"] == event_id]
    booked = _all(client, auditor, type="SeatsBooked")
    assert [(e["stream"], e["type"]) for e in booked] == [
        (e["stream"], "SeatsBooked") for e in whole["items"] if e["type"] == "SeatsBooked"]
    assert {e["stream"] for e in booked} == {event_id, other}
    both = _all(client, admin, limit=100, event_id=other, type="SeatsBooked")
    assert [(e["stream"], e["type"]) for e in both] == [(other, "SeatsBooked")]
    refs = _all(client, admin, limit=3, type="Registered")  # a booking's own stream
    assert len(refs) == 3 and {e["aggregate_type"] for e in refs} == {"BookingRef"}


def test_a_page_that_matches_nothing_still_moves_past_what_it_read(
    client: TestClient, admin: Caller, auditor: Caller, alice: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> None:
    event_id = make_event()["id"]
    for _ in range(3):
        assert book(alice, event_id).status_code == 201
    head = client.get(LOG, params={"limit": 1000}, headers=auditor.headers).json()["head"]

    page = client.get(LOG, params={"type": "EventCancelled"}, headers=auditor.headers).json()

    assert page["items"] == [] and page["next_after"] == head
    later = client.get(LOG, params={"type": "EventCancelled", "after": page["next_after"]},
                       headers=auditor.headers).json()
    assert later["items"] == [] and later["next_after"] == head  # stays put, caught up
    assert client.post(f"/api/events/{event_id}/cancel", headers=admin.headers).is_success
    followed = client.get(LOG, params={"type": "EventCancelled", "after": head},
                          headers=auditor.headers).json()
    assert [e["type"] for e in followed["items"]] == ["EventCancelled"]


def test_a_cursor_past_the_end_of_the_log_resumes_at_its_end(
    client: TestClient, admin: Caller, auditor: Caller, alice: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> None:
    event_id = make_event()["id"]
    head = client.get(LOG, headers=auditor.headers).json()["head"]

    page = client.get(LOG, params={"after": head + 1000}, headers=auditor.headers).json()

    assert page["items"] == [] and page["head"] == page["next_after"] == head
    assert book(alice, event_id).status_code == 201
    resumed = client.get(LOG, params={"after": page["next_after"]}, headers=auditor.headers)
    assert "SeatsBooked" in [e["type"] for e in resumed.json()["items"]]


def test_since_and_until_bound_the_recorded_time(
    client: TestClient, admin: Caller, alice: Caller, bob: Caller, auditor: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> None:
    told_through_the_api(client, admin, alice, bob, make_event, book)
    whole = client.get(LOG, params={"limit": 1000}, headers=auditor.headers).json()["items"]
    times = [datetime.fromisoformat(e["recorded_at"]) for e in whole]
    since, until = times[3], times[-3]

    window = _all(client, auditor, limit=2, since=since.isoformat(), until=until.isoformat())

    assert [e["position"] for e in window] == [
        e["position"] for e, t in zip(whole, times, strict=True) if since <= t <= until]
    assert len(window) >= 2  # the scenario's events are recorded at distinct times
    after = _all(client, auditor, limit=50, since=since.isoformat())
    assert [e["position"] for e in after] == [
        e["position"] for e, t in zip(whole, times, strict=True) if t >= since]
    before = _all(client, auditor, limit=50, until=until.isoformat())
    assert [e["position"] for e in before] == [
        e["position"] for e, t in zip(whole, times, strict=True) if t <= until]


def test_bad_filters_get_stable_codes(client: TestClient, auditor: Caller) -> None:
    assert_error(client.get(LOG, params={"type": "Hacked"}, headers=auditor.headers),
                 422, "UNKNOWN_EVENT_TYPE")
    assert_error(client.get(LOG, params={"type": "Snapshot"}, headers=auditor.headers),
                 422, "UNKNOWN_EVENT_TYPE")
    assert_error(client.get(LOG, params={"since": "2030-01-02T00:00:00Z",
                                         "until": "2030-01-01T00:00:00Z"},
                            headers=auditor.headers), 422, "PERIOD_INVALID")
    assert_error(client.get(LOG, params={"since": "yesterday"}, headers=auditor.headers),
                 422, "VALIDATION_ERROR")
    assert_error(client.get(LOG, params={"event_id": "nope"}, headers=auditor.headers),
                 422, "VALIDATION_ERROR")
    assert_error(client.get(LOG, params={"type": "x" * 101}, headers=auditor.headers),
                 422, "VALIDATION_ERROR")


def test_a_type_filter_reads_a_bounded_window_per_page_and_still_finds_every_entry(
    client: TestClient, admin: Caller, alice: Caller, auditor: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No index on the store's topics: each type-filtered page reads a window of positions."""
    events = [make_event(name=f"E{n}")["id"] for n in range(3)]
    for event_id in events:
        assert book(alice, event_id, 1).status_code == 201
    whole = client.get(LOG, params={"limit": 1000}, headers=auditor.headers).json()["items"]
    monkeypatch.setattr(audit_store, "TYPE_SCAN", 2)

    first = client.get(LOG, params={"after": 0, "limit": 100, "type": "SeatsBooked"},
                       headers=auditor.headers).json()
    booked = _all(client, auditor, limit=100, type="SeatsBooked")

    assert first["next_after"] <= 2  # one window read, however many pages it takes
    assert [e["position"] for e in booked] == [
        e["position"] for e in whole if e["type"] == "SeatsBooked"]
    assert len(booked) == 3
