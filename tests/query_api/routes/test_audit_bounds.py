"""Verify runs and exports read the whole store: each user starts a bounded number of verify
runs an hour, and a bounded number of exports stream at once, per user and in total."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from query_api.reads import export_places
from tests.fixtures.api import Caller, assert_error
from tests.support.verify_runs import verified

RUNS = "/api/audit/verify-runs"


@pytest.fixture
def tight_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Asked before the client: the app is made with these."""
    monkeypatch.setenv("VERIFY_RUNS_PER_USER_PER_HOUR", "2")
    monkeypatch.setenv("EXPORTS_MAX_PER_USER", "1")
    monkeypatch.setenv("EXPORTS_MAX_TOTAL", "2")


@pytest.fixture
def places_given_back() -> Iterator[list[str]]:
    """Export places a test takes by hand, as exports under way would; given back after."""
    held: list[str] = []
    yield held
    for user_id in held:
        export_places.give_back(user_id)


def test_a_user_starts_a_bounded_number_of_verify_runs_an_hour(
    tight_bounds: None, client: TestClient, auditor: Caller, admin: Caller,
) -> None:
    verified(client, auditor.headers)
    verified(client, auditor.headers)

    refused = client.post(RUNS, headers=auditor.headers)

    body = assert_error(refused, 429, "TOO_MANY_VERIFY_RUNS")
    assert "2" in body["message"]
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert verified(client, admin.headers)["status"] == "finished"  # another user's own count


@pytest.mark.parametrize("path", ["/api/audit/export", "/api/audit/events/{event}/export"])
def test_exports_at_once_are_bounded_per_user_and_in_total(
    tight_bounds: None, client: TestClient, auditor: Caller, admin: Caller,
    make_event: Callable[..., dict[str, Any]], places_given_back: list[str], path: str,
) -> None:
    url = path.format(event=make_event()["id"])
    assert client.get(url, headers=auditor.headers).status_code == 200
    assert client.get(url, headers=auditor.headers).status_code == 200  # the first gave it back

    assert export_places.take(str(auditor.id))  # the auditor's export under way
    places_given_back.append(str(auditor.id))
    refused = client.get(url, headers=auditor.headers)
    assert_error(refused, 429, "TOO_MANY_EXPORTS")
    assert refused.headers["Retry-After"]
    assert client.get(url, headers=admin.headers).status_code == 200  # within the total

    assert export_places.take("someone-else")  # the total's last place
    places_given_back.append("someone-else")
    assert_error(client.get(url, headers=admin.headers), 429, "TOO_MANY_EXPORTS")


def test_an_export_left_unread_gives_its_place_back() -> None:
    lines = export_places.streamed(iter(["a\n", "b\n"]), "reader", per_user=1, total=1)
    assert next(lines) == "a\n"
    assert not export_places.take("reader", per_user=1, total=1)  # still streaming
    lines.close()  # the client went away
    assert export_places.take("reader", per_user=1, total=1)
    export_places.give_back("reader")
