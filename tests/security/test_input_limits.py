"""Hostile input: huge bodies and pages, deep JSON, odd text, SQL: a clean 4xx or an exact echo.

Run on the embedded system and on PostgreSQL, whose text rules differ (it cannot store NUL).
"""

import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from core.settings import Settings, get_settings
from tests.fixtures.api import Caller, assert_error, future
from tests.support.verify_runs import verified

MakeEvent = Callable[..., dict[str, Any]]
UNKNOWN = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
# Refused before any SQL runs: once is enough. Text that gets stored is checked on both.
EMBEDDED_ONLY = pytest.mark.parametrize("backend", ["embedded"], indirect=True)
STRANGE = [
    "Zoë & Björk — «Ünïcødé» 🎷🎺 世界",
    "مرحبا بالعالم",  # right to left
    "e\u0301 combining, \u200b zero width, \ufeff bom",
    "Robert'); DROP TABLE events;--",
    "' OR '1'='1' --",
    "%_\\%\\_ like wildcards",
    "<script>alert(1)</script>",
    "{{7*7}} ${7*7}",
    "\U0001d518\U0001d52b\U0001d526 astral 🏳️\u200d🌈",  # fraktur letters, a ZWJ flag
]
CONTROL = ["nul\x00here", "bell\x07", "esc\x1b[31m", "new\nline", "del\x7f", "c1\x85inside",
           # what else breaks a line (str.splitlines, and the e-mail headers written with it)
           "line\u2028separator", "paragraph\u2029separator", "vertical\x0btab",
           "form\x0cfeed", "file\x1cseparator",
           # what reorders a name as it is shown (a right-to-left override, an isolate)
           "evil\u202egpj.exe", "isolate\u2067inside"]


@pytest.fixture(params=["embedded", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> Iterator[Settings]:
    """SQLite, and PostgreSQL (projections in-process: the text goes through the same SQL)."""
    yield request.getfixturevalue("sqlite_settings" if request.param == "embedded"
                                  else "pg_settings")


@EMBEDDED_ONLY
def test_oversized_bodies_are_413(client: TestClient, admin: Caller) -> None:
    limit = get_settings().max_body_bytes
    big = json.dumps({"name": "x", "description": "y" * limit}).encode()
    for path in ("/api/events", "/api/auth/signup", f"/api/events/{UNKNOWN}/book"):
        response = client.post(path, content=big, headers=admin.headers | {
            "content-type": "application/json"})
        assert_error(response, 413, "PAYLOAD_TOO_LARGE")

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit counts what arrives
        yield b'{"name": "x", "description": "'
        for _ in range(limit // 65536 + 2):
            yield b"y" * 65536
        yield b'"}'

    response = client.post("/api/events", content=chunks(), headers=admin.headers | {
        "content-type": "application/json"})
    assert_error(response, 413, "PAYLOAD_TOO_LARGE")
    login = client.post("/api/auth/token", content=b"username=" + b"a" * limit,
                        headers={"content-type": "application/x-www-form-urlencoded"})
    assert_error(login, 413, "PAYLOAD_TOO_LARGE")


@EMBEDDED_ONLY
def test_a_body_just_under_the_limit_is_read(client: TestClient, admin: Caller) -> None:
    body = json.dumps({"name": "x", "starts_at": future(), "total_seats": 1,
                       "description": "y" * 4000, "padding": " " * 100_000}).encode()
    response = client.post("/api/events", content=body, headers=admin.headers | {
        "content-type": "application/json"})
    assert_error(response, 422, "VALIDATION_ERROR")  # read, then refused for `padding`


@EMBEDDED_ONLY
@pytest.mark.parametrize("params", [
    {"limit": 10**9}, {"limit": -1}, {"limit": 0}, {"limit": 10**40}, {"limit": "1e9"},
    {"cursor": "A" * 10_000}, {"min_position": 10**40}, {"min_position": -5},
    {"starts_after": "9999-12-31T23:59:59-23:59"}, {"starts_before": "0001-01-01T00:00:00+23:59"},
    {"q": "x" * 10_000}, {"q": "nul\x00"}, {"status": "'; DROP TABLE events;--"},
])
def test_huge_or_hostile_list_parameters_are_422(
    client: TestClient, admin: Caller, params: dict[str, Any]
) -> None:
    assert_error(client.get("/api/events", params=params), 422)


@EMBEDDED_ONLY
@pytest.mark.parametrize(("path", "params"), [
    ("/api/users", {"limit": 10**6}),
    ("/api/users", {"cursor": "WyJcdTAwMDAiXQ"}),  # ["\u0000"]: a forged cursor with a NUL
    (f"/api/users/{UNKNOWN}/bookings", {"limit": 101}),
    ("/api/audit/log", {"limit": 10**6}),
    ("/api/audit/log", {"after": 10**30}),
    (f"/api/audit/events/{UNKNOWN}/history", {"after_version": 2**63}),
    (f"/api/audit/events/{UNKNOWN}/state", {"version": 2**64}),
    (f"/api/audit/events/{UNKNOWN}/state", {"at": "9999-12-31T23:59:59-10:00"}),
    (f"/api/audit/events/{UNKNOWN}/state", {"version": 1, "bookings_limit": 10**6}),
    ("/api/projections", {"min_position": 10**30}),
    ("/api/health", {"min_position": 2**63}),
])
def test_huge_page_sizes_and_positions_are_422(
    client: TestClient, admin: Caller, path: str, params: dict[str, Any]
) -> None:
    assert_error(client.get(path, params=params, headers=admin.headers), 422)


@EMBEDDED_ONLY
def test_deep_json_is_a_clean_4xx(client: TestClient, admin: Caller, make_event: MakeEvent) -> None:
    event = make_event()
    for depth in (1000, 100_000):
        for raw in (b"[" * depth + b"]" * depth,
                    b'{"quantity": 1, "category": ' + b'{"a": ' * depth + b"1" + b"}" * depth
                    + b"}"):
            for path in (f"/api/events/{event['id']}/book", "/api/events"):
                response = client.post(path, content=raw, headers=admin.headers | {
                    "content-type": "application/json"})
                assert 400 <= response.status_code < 500, (depth, path, response.text)
                assert_error(response, response.status_code)


@pytest.mark.parametrize("text", STRANGE)
def test_strange_text_round_trips_exactly_and_executes_nothing(
    client: TestClient, admin: Caller, alice: Caller, text: str
) -> None:
    body = {"name": text, "venue": text, "description": f"{text}\nline two\ttab",
            "starts_at": future(), "categories": [{"name": text[:100], "price": "5.00",
                                                   "capacity": 3}]}
    created = client.post("/api/events", json=body, headers=admin.headers)
    assert created.status_code == 201, created.text
    event = created.json()
    booked = client.post(f"/api/events/{event['id']}/book", headers=alice.headers,
                         json={"category": text[:100], "quantity": 1})
    assert booked.status_code == 201, booked.text
    shown = client.get(f"/api/events/{event['id']}").json()
    assert (shown["name"], shown["venue"]) == (text, text)
    assert shown["description"] == f"{text}\nline two\ttab"
    assert shown["categories"][0]["name"] == text[:100]
    assert shown["available_seats"] == 2
    found = client.get("/api/events", params={"q": text}).json()["items"]
    assert [e["id"] for e in found] == [event["id"]]
    signup = client.post("/api/auth/signup", json={
        "email": "odd@example.com", "password": text + "-pass", "name": text})
    assert signup.status_code == 201, signup.text
    assert signup.json()["name"] == text
    login = client.post("/api/auth/token", data={"username": "odd@example.com",
                                                 "password": text + "-pass"})
    assert login.status_code == 200
    history = client.get(f"/api/audit/events/{event['id']}/history", headers=admin.headers)
    assert history.json()["items"][0]["payload"]["name"] == text
    # The tables are all still there and whole.
    assert verified(client, admin.headers)["ok"] is True


def test_control_characters_in_names_are_422(
    client: TestClient, admin: Caller, alice: Caller, make_event: MakeEvent,
    subtests: pytest.Subtests,
) -> None:
    # Every text refused stores nothing: they share one system, a subtest each, checked whole
    # once at the end.
    event = make_event()
    for text in CONTROL:
        with subtests.test(text=text):
            refuse_control_text(client, admin, alice, event, text)
    # Nothing of it got stored: every projection is still in step with the store.
    assert verified(client, admin.headers)["ok"] is True


def refuse_control_text(client: TestClient, admin: Caller, alice: Caller,
                        event: dict[str, Any], text: str) -> None:
    for method, path, body, field in (
        ("POST", "/api/events", {"name": text, "starts_at": future(), "total_seats": 1},
         ["name"]),
        ("POST", "/api/events", {"name": "ok", "venue": text, "starts_at": future(),
                                 "total_seats": 1}, ["venue"]),
        ("POST", "/api/events", {"name": "ok", "starts_at": future(),
                                 "categories": [{"name": text, "price": "1", "capacity": 1}]},
         ["categories", 0, "name"]),
        ("PUT", f"/api/events/{event['id']}", {"name": text}, ["name"]),
        ("POST", "/api/auth/signup", {"email": "c@example.com", "password": "password-123",
                                      "name": text}, ["name"]),
        ("POST", "/api/users", {"email": "d@example.com", "password": "password-123",
                                "name": text}, ["name"]),
        ("POST", f"/api/events/{event['id']}/book", {"category": text, "quantity": 1},
         ["category"]),
    ):
        who = alice if path.endswith("/book") else admin
        response = client.request(method, path, json=body, headers=who.headers)
        refused = assert_error(response, 422, "VALIDATION_ERROR")
        assert [d["type"] for d in refused["detail"] if d["loc"] == ["body", *field]] == [
            "character_not_allowed"], (path, refused)
    if "\x00" in text:
        nul_description = {"name": "ok", "description": text, "starts_at": future(),
                           "total_seats": 1}
        response = client.post("/api/events", json=nul_description, headers=admin.headers)
        assert_error(response, 422, "VALIDATION_ERROR")
    for username in (text, f"alice@example.com{text}"):
        login = client.post("/api/auth/token", data={"username": username,
                                                     "password": "password-123"})
        assert_error(login, 401, "INVALID_CREDENTIALS")
    check_in = client.post(f"/api/tickets/{quote(text, safe='')}/check-in", headers=admin.headers)
    assert 400 <= check_in.status_code < 500


@EMBEDDED_ONLY
def test_lone_surrogates_are_422(client: TestClient, admin: Caller) -> None:
    raw = b'{"name": "half \\ud83c pair", "starts_at": "2031-01-01T00:00:00Z", "total_seats": 1}'
    response = client.post("/api/events", content=raw, headers=admin.headers | {
        "content-type": "application/json"})
    assert_error(response, 422, "VALIDATION_ERROR")
