"""The event list and detail: a fixed number of SQL statements per request, and ETags."""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from core.db import get_engine
from query_api.reads.responses import PageCache
from tests.fixtures.api import Caller, assert_error, future

# Passwords hashed at a test's cost (tests/fixtures/api.py).
pytestmark = pytest.mark.usefixtures("cheap_hashing")

MakeEvent = Callable[..., dict[str, Any]]


@contextmanager
def counting_sql() -> Iterator[list[str]]:
    """Every statement the read tables' engine executes meanwhile."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(str(args[2]))

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def categories(n: int) -> list[dict[str, Any]]:
    return [{"name": f"Zone {i}", "price": "10.00", "capacity": 5} for i in range(n)]


def test_the_list_issues_the_same_statements_for_2_or_12_events(
    client: TestClient, make_event: MakeEvent
) -> None:
    for _ in range(2):
        make_event(categories=categories(3))
    client.get("/api/events", params={"limit": 5})  # warm up: one-off work is not per request
    with counting_sql() as few:  # never asked before: read from the tables
        assert len(client.get("/api/events", params={"limit": 30}).json()["items"]) == 2
    for _ in range(10):
        make_event(categories=categories(3))
    with counting_sql() as many:  # a new position: read again
        assert len(client.get("/api/events", params={"limit": 30}).json()["items"]) == 12
    assert len(many) == len(few) <= 6, many


def test_the_detail_issues_a_fixed_handful_of_statements(
    client: TestClient, make_event: MakeEvent
) -> None:
    client.get(f"/api/events/{make_event()['id']}")
    event_id = make_event(categories=categories(4))["id"]
    with counting_sql() as statements:
        assert len(client.get(f"/api/events/{event_id}").json()["categories"]) == 4
    assert len(statements) <= 5, statements


def test_an_unchanged_position_serves_the_same_answer_without_reading_rows(
    client: TestClient, make_event: MakeEvent, alice: Caller, book: Callable[..., Any]
) -> None:
    event_id = make_event()["id"]
    first = client.get("/api/events", params={"q": "jazz"})
    with counting_sql() as statements:
        again = client.get("/api/events", params={"q": "jazz"})
    assert again.status_code == 200 and again.json() == first.json()
    assert again.headers["etag"] == first.headers["etag"]
    assert not any("FROM events" in s for s in statements), statements
    assert book(alice, event_id).status_code == 201
    after = client.get("/api/events", params={"q": "jazz"}).json()
    assert after["items"][0]["available_seats"] == 4 and after != first.json()


def test_an_unchanged_list_answers_304_without_reading_rows(
    client: TestClient, make_event: MakeEvent
) -> None:
    made = make_event()
    for params in ({"status": "all"}, {}):  # all; on sale, until its first event starts
        first = client.get("/api/events", params=params)
        tag = first.headers["etag"]
        position = first.headers["x-projection-position"]
        starts = datetime.fromisoformat(made["starts_at"])
        until = f"-u{int(starts.timestamp() * 1000)}" if not params else ""
        assert tag == f'"p{position}{until}"'
        with counting_sql() as statements:
            again = client.get("/api/events", params=params, headers={"If-None-Match": tag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == tag
        assert not any("FROM events" in s for s in statements), statements


def test_a_change_gives_a_new_etag_and_a_full_answer(
    client: TestClient, make_event: MakeEvent, alice: Caller, book: Callable[..., Any]
) -> None:
    event_id = make_event()["id"]
    first = client.get(f"/api/events/{event_id}")
    tag = first.headers["etag"]
    assert client.get(f"/api/events/{event_id}", headers={"If-None-Match": tag}).status_code == 304
    assert book(alice, event_id).status_code == 201
    after = client.get(f"/api/events/{event_id}", headers={"If-None-Match": tag})
    assert after.status_code == 200 and after.headers["etag"] != tag
    assert after.json()["available_seats"] == 4


def test_a_list_of_tags_or_a_weak_tag_matches_too(
    client: TestClient, make_event: MakeEvent
) -> None:
    make_event()
    tag = client.get("/api/events").headers["etag"]
    held = f'"p0", W/{tag}'
    assert client.get("/api/events", headers={"If-None-Match": held}).status_code == 304
    assert client.get("/api/events", headers={"If-None-Match": '"p0"'}).status_code == 200


def test_a_read_without_min_position_reuses_an_answer_a_few_milliseconds_old(
    client: TestClient, make_event: MakeEvent
) -> None:
    make_event()
    client.last_position = 0  # read as a fresh client would
    client.app.state.event_pages = PageCache(fresh_for=60)  # type: ignore[attr-defined]  # FastAPI
    first = client.get("/api/events")
    with counting_sql() as statements:
        again = client.get("/api/events")
    assert again.json() == first.json() and again.headers["etag"] == first.headers["etag"]
    assert statements == []  # not even the position: it was read a moment ago
    with counting_sql() as statements:
        waited = client.get("/api/events", params={"min_position": 1})
    assert statements and waited.json()["position"] >= 1  # min_position always reads
    assert len(waited.json()["items"]) == 1


def test_an_unchanged_position_read_again_renews_the_micro_cache(
    client: TestClient, make_event: MakeEvent
) -> None:
    make_event()
    client.last_position = 0
    pages = PageCache(fresh_for=5)
    client.app.state.event_pages = pages  # type: ignore[attr-defined]  # FastAPI
    client.get("/api/events")
    when, position = pages._latest
    pages._latest = (when - 60, position)
    with counting_sql() as statements:
        client.get("/api/events")
    assert statements  # stale: read the position; unchanged, so the page came from the cache
    with counting_sql() as statements:
        client.get("/api/events")
    assert statements == []  # that read made the cached answer fresh again


def test_the_list_on_sale_is_paged_and_reached_past_by_any_filter(
    client: TestClient, admin: Caller, make_event: MakeEvent
) -> None:
    first, second, third = (make_event(starts_at=future(days))["id"] for days in (3, 4, 5))
    client.post(f"/api/events/{second}/cancel", headers=admin.headers)

    def pages(**params: Any) -> list[list[str]]:
        found, cursor = [], None
        while True:
            after: dict[str, str] = {"cursor": cursor} if cursor else {}
            page = client.get("/api/events", params=params | after | {"limit": 1})
            assert page.status_code == 200, page.text
            found.append([e["id"] for e in page.json()["items"]])
            cursor = page.json()["next_cursor"]
            if cursor is None:
                return found

    assert pages() == [[first], [third]]
    assert pages(status="all") == [[first], [second], [third]]
    assert pages(status="cancelled") == [[second]]
    assert pages(starts_after=future(3.5)) == [[second], [third]]
    assert_error(client.get("/api/events", params={"status": "past"}), 422, "VALIDATION_ERROR")


def test_the_answer_on_sale_is_never_served_past_its_first_events_start(
    client: TestClient, make_event: MakeEvent
) -> None:
    # Far enough ahead that creating it on a busy machine (the distributed stack, two
    # suites at once) cannot find its start already past.
    starts = datetime.now(UTC) + timedelta(seconds=6)
    soon = make_event(starts_at=starts.isoformat(),
                      ends_at=(starts + timedelta(hours=1)).isoformat())["id"]
    later = make_event(starts_at=future(2))["id"]
    client.get(f"/api/events/{later}")  # waits for the projections to reach the writes
    client.last_position = 0  # read as a fresh client would: from the micro-cache, if it may
    client.app.state.event_pages = PageCache(fresh_for=60)  # type: ignore[attr-defined]  # FastAPI
    on_sale = client.get("/api/events")
    assert [e["id"] for e in on_sale.json()["items"]] == [soon, later]
    with counting_sql() as statements:
        assert client.get("/api/events").json() == on_sale.json()
    assert statements == []

    time.sleep(max(0.0, (starts - datetime.now(UTC)).total_seconds()) + 0.1)
    again = client.get("/api/events")  # nothing was written meanwhile: the same position
    assert again.json()["position"] == on_sale.json()["position"]
    assert [e["id"] for e in again.json()["items"]] == [later]
    assert again.headers["etag"] != on_sale.headers["etag"]
    held = client.get("/api/events", headers={"If-None-Match": on_sale.headers["etag"]})
    assert held.status_code == 200 and held.json() == again.json()
    assert [e["id"] for e in client.get("/api/events", params={"status": "all"}).json()[
        "items"]] == [soon, later]
