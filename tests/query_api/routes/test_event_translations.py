"""An event's name and description per language: given on creation or replaced by an update,
recorded in its stream as its other details are, and shown with the event (its own name and
description as given); a language not offered is 422 UNSUPPORTED_LANGUAGE on its key. On both
backends."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.fixtures.api import Caller, assert_error, future

GERMAN = {"name": "Jazzabend", "description": "Ein Abend mit Jazz."}
POLISH = {"name": "Wieczór jazzowy"}
POLISH_SHOWN = POLISH | {"description": None}  # none given: the event's own


def test_an_event_is_named_per_language_on_creation_and_shown_so(
    client: TestClient, make_event: Callable[..., dict[str, Any]],
) -> None:
    made = make_event(description="An evening of jazz.",
                      translations={"de": GERMAN, "pl": POLISH})

    shown = client.get(f"/api/events/{made['id']}").json()

    assert shown["name"] == "Jazz night" and shown["description"] == "An evening of jazz."
    assert made["translations"] == shown["translations"] == {"de": GERMAN, "pl": POLISH_SHOWN}
    listed = client.get("/api/events").json()["items"]
    assert [e["translations"] for e in listed if e["id"] == made["id"]] == [
        {"de": GERMAN, "pl": POLISH_SHOWN}]


def test_an_update_replaces_the_translations_and_leaving_them_out_keeps_them(
    client: TestClient, admin: Caller, make_event: Callable[..., dict[str, Any]],
) -> None:
    made = make_event(translations={"de": GERMAN})
    event_id = made["id"]

    kept = client.put(f"/api/events/{event_id}", json={"venue": "Red Hall"},
                      headers=admin.headers)
    assert kept.status_code == 200, kept.text
    assert client.get(f"/api/events/{event_id}").json()["translations"] == {"de": GERMAN}

    replaced = client.put(f"/api/events/{event_id}", json={"translations": {"pl": POLISH}},
                          headers=admin.headers)
    assert replaced.status_code == 200, replaced.text
    assert client.get(f"/api/events/{event_id}").json()["translations"] == {"pl": POLISH_SHOWN}
    client.put(f"/api/events/{event_id}", json={"translations": {}}, headers=admin.headers)
    assert client.get(f"/api/events/{event_id}").json()["translations"] == {}


def test_an_event_never_translated_shows_none(
    client: TestClient, make_event: Callable[..., dict[str, Any]],
) -> None:
    made = make_event()
    event_id = made["id"]
    assert client.get(f"/api/events/{event_id}").json()["translations"] == {}


def test_a_language_not_offered_a_blank_name_or_an_empty_translation_is_refused(
    client: TestClient, admin: Caller,
) -> None:
    body = {"name": "Jazz night", "starts_at": future(), "total_seats": 5, "price": "10.00"}

    refused = assert_error(client.post("/api/events", json=body | {
        "translations": {"fr": {"name": "Soirée jazz"}}}, headers=admin.headers),
        422, "UNSUPPORTED_LANGUAGE")
    assert refused["detail"][0]["loc"] == ["body", "translations", "fr"]
    assert_error(client.post("/api/events", json=body | {"translations": {"de": {"name": " "}}},
                             headers=admin.headers), 422, "VALIDATION_ERROR")
    assert_error(client.post("/api/events", json=body | {"translations": {"de": {}}},
                             headers=admin.headers), 400, "INVALID_EVENT")
    assert_error(client.post("/api/events", json=body | {
        "translations": {"de": {"venue": "Halle"}}}, headers=admin.headers), 422,
        "VALIDATION_ERROR")
