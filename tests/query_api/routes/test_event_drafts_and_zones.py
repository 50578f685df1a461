"""Drafts and venue time zones through the API, on both topologies.

A draft (`published: false`) is seen only by its organizers and admins, in lists and alone
(404 for anyone else), refuses bookings, holds and places (409 EVENT_NOT_PUBLISHED), and goes on
sale with `POST /api/events/{id}/publish` (idempotent). Every event answers its venue's
`timezone`; left out on creation, the server's default; an unknown name is a 422 naming it, as
is a start or end outside the years events may be in.
"""

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.fixtures.api import Caller, assert_error, future

MakeEvent = Callable[..., dict[str, Any]]


def new_draft(client: TestClient, by: Caller, **fields: Any) -> dict[str, Any]:
    body = {"name": "Secret gig", "starts_at": future(), "total_seats": 5, "price": "0",
            "timezone": "Europe/London", "published": False} | fields
    response = client.post("/api/events", json=body, headers=by.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def listed(client: TestClient, caller: Caller | None = None, **params: Any) -> list[str]:
    headers = caller.headers if caller is not None else {}
    response = client.get("/api/events", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [e["id"] for e in response.json()["items"]]


def test_a_draft_is_seen_only_by_its_organizers_and_admins(
    client: TestClient, admin: Caller, alice: Caller, organizer: Callable[[str], Caller],
) -> None:
    ann, ben = organizer("Ann"), organizer("Ben")
    draft = new_draft(client, ann)
    assert draft["published"] is False
    path = f"/api/events/{draft['id']}"

    assert draft["id"] not in listed(client)
    assert draft["id"] not in listed(client, alice)
    assert draft["id"] not in listed(client, ann)  # the public list, even for its organizer
    assert draft["id"] not in listed(client, organizer=str(ann.id))  # anonymous
    assert draft["id"] not in listed(client, ben, organizer=str(ann.id))
    assert draft["id"] in listed(client, ann, organizer=str(ann.id))
    assert draft["id"] in listed(client, admin)

    assert_error(client.get(path), 404, "EVENT_NOT_FOUND")
    assert_error(client.get(path, headers=alice.headers), 404, "EVENT_NOT_FOUND")
    assert_error(client.get(path, headers=ben.headers), 404, "EVENT_NOT_FOUND")
    assert client.get(path, headers=ann.headers).json()["published"] is False
    assert client.get(path, headers=admin.headers).status_code == 200
    # Asked again anonymously: the organizer's answer is never served from the cache.
    assert_error(client.get(path), 404, "EVENT_NOT_FOUND")


def test_a_co_organizer_sees_the_draft_and_publishes_it(
    client: TestClient, admin: Caller, organizer: Callable[[str], Caller],
) -> None:
    ann, cory = organizer("Ann"), organizer("Cory")
    draft = new_draft(client, ann)
    path = f"/api/events/{draft['id']}"
    added = client.post(f"{path}/organizers", json={"user_id": str(cory.id)},
                        headers=admin.headers)
    assert added.status_code == 201, added.text

    assert client.get(path, headers=cory.headers).status_code == 200
    published = client.post(f"{path}/publish", headers=cory.headers)
    assert published.status_code == 200, published.text
    assert published.json()["published"] is True


def test_a_draft_refuses_bookings_holds_and_places_until_published(
    client: TestClient, alice: Caller, organizer: Callable[[str], Caller],
    book: Callable[..., Any],
) -> None:
    ann = organizer("Ann")
    draft = new_draft(client, ann)
    path = f"/api/events/{draft['id']}"

    assert_error(book(alice, draft["id"]), 409, "EVENT_NOT_PUBLISHED")
    assert_error(client.post(f"{path}/holds", json={"quantity": 1}, headers=alice.headers),
                 409, "EVENT_NOT_PUBLISHED")
    assert_error(client.post(f"{path}/waitlist", json={"quantity": 1}, headers=alice.headers),
                 409, "EVENT_NOT_PUBLISHED")

    published = client.post(f"{path}/publish", headers=ann.headers)
    assert published.status_code == 200, published.text
    assert isinstance(published.json()["position"], int)

    assert draft["id"] in listed(client)
    assert client.get(path).json()["published"] is True
    assert book(alice, draft["id"]).status_code == 201


def test_publishing_twice_is_idempotent(
    client: TestClient, organizer: Callable[[str], Caller],
) -> None:
    ann = organizer("Ann")
    path = f"/api/events/{new_draft(client, ann)['id']}"
    first = client.post(f"{path}/publish", headers=ann.headers)
    again = client.post(f"{path}/publish", headers=ann.headers)

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json()["position"] is None  # nothing recorded
    history = client.get(f"/api/events/{first.json()['id']}")
    assert history.json()["published"] is True


def test_only_those_who_run_it_publish_it(
    client: TestClient, alice: Caller, organizer: Callable[[str], Caller],
) -> None:
    ann, ben = organizer("Ann"), organizer("Ben")
    path = f"/api/events/{new_draft(client, ann)['id']}"

    assert_error(client.post(f"{path}/publish"), 401)
    assert_error(client.post(f"{path}/publish", headers=alice.headers), 403)
    assert_error(client.post(f"{path}/publish", headers=ben.headers), 403,
                 "NOT_EVENT_ORGANIZER")


def test_leaving_published_out_puts_the_event_on_sale_at_once(
    client: TestClient, make_event: MakeEvent,
) -> None:
    event = make_event()
    assert event["published"] is True
    assert event["id"] in listed(client)


def test_the_venue_zone_is_kept_changed_and_shown(
    client: TestClient, admin: Caller, make_event: MakeEvent,
) -> None:
    event = make_event(timezone="Europe/London", starts_at="2031-07-01T19:00:00+01:00")
    assert event["timezone"] == "Europe/London"
    assert event["starts_at"] == "2031-07-01T18:00:00Z"  # instants stay in UTC
    path = f"/api/events/{event['id']}"

    changed = client.put(path, json={"timezone": "America/New_York"}, headers=admin.headers)
    assert changed.status_code == 200, changed.text
    assert changed.json()["timezone"] == "America/New_York"
    assert client.get(path).json()["timezone"] == "America/New_York"
    assert [e["timezone"] for e in client.get("/api/events").json()["items"]
            if e["id"] == event["id"]] == ["America/New_York"]


def test_a_zone_left_out_is_the_default_setting(
    client: TestClient, make_event: MakeEvent,
) -> None:
    assert make_event()["timezone"] == "UTC"


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "../../etc/passwd", "", "utc+1",
                                  "localtime", "Factory"])
def test_an_unknown_zone_is_a_validation_error_naming_the_field(
    client: TestClient, admin: Caller, make_event: MakeEvent, zone: str,
) -> None:
    body = {"name": "X", "starts_at": future(), "total_seats": 5, "timezone": zone}
    refused = assert_error(client.post("/api/events", json=body, headers=admin.headers), 422,
                           "VALIDATION_ERROR")
    assert ["body", "timezone"] in [d["loc"] for d in refused["detail"]]

    path = f"/api/events/{make_event()['id']}"
    refused = assert_error(client.put(path, json={"timezone": zone}, headers=admin.headers),
                           422, "VALIDATION_ERROR")
    assert ["body", "timezone"] in [d["loc"] for d in refused["detail"]]


@pytest.mark.parametrize(("field", "moment"), [
    ("starts_at", "2101-01-01T00:00:00Z"),
    ("starts_at", "9999-12-31T23:00:00Z"),
    ("starts_at", "1999-12-31T23:59:59Z"),
    ("starts_at", "0001-01-01T00:00:00+00:00"),
    ("ends_at", "2101-01-01T00:00:00Z"),
])
def test_a_time_outside_the_years_events_may_be_in_is_a_validation_error_naming_the_field(
    client: TestClient, admin: Caller, make_event: MakeEvent, field: str, moment: str,
) -> None:
    body = {"name": "X", "starts_at": future(), "total_seats": 5,
            "timezone": "Pacific/Kiritimati", field: moment}
    refused = assert_error(client.post("/api/events", json=body, headers=admin.headers), 422,
                           "VALIDATION_ERROR")
    assert [d["type"] for d in refused["detail"] if d["loc"] == ["body", field]] == [
        "event_time_out_of_range"], refused

    path = f"/api/events/{make_event()['id']}"
    refused = assert_error(client.put(path, json={field: moment}, headers=admin.headers),
                           422, "VALIDATION_ERROR")
    assert [d["type"] for d in refused["detail"] if d["loc"] == ["body", field]] == [
        "event_time_out_of_range"], refused


def test_the_last_moment_events_may_be_in_is_taken_in_the_zone_furthest_ahead(
    client: TestClient, admin: Caller,
) -> None:
    body = {"name": "Last night", "starts_at": "2100-12-31T12:00:00Z",
            "ends_at": "2100-12-31T23:59:59Z", "total_seats": 5, "timezone": "Pacific/Kiritimati"}
    created = client.post("/api/events", json=body, headers=admin.headers)
    assert created.status_code == 201, created.text
    assert created.json()["ends_at"] == "2100-12-31T23:59:59Z"


def test_a_draft_scheduled_goes_on_sale_by_itself_at_its_time(
    prompt_completion: None, client: TestClient, admin: Caller, alice: Caller,
) -> None:
    soon = datetime.now(UTC) + timedelta(seconds=2)
    draft = new_draft(client, admin, publish_at=soon.isoformat())
    assert (draft["published"], draft["publish_at"] is not None) == (False, True)
    assert draft["id"] not in listed(client)
    later = new_draft(client, admin)
    moved = client.put(f"/api/events/{later['id']}/publication", headers=admin.headers,
                       json={"publish_at": (datetime.now(UTC) + timedelta(days=1)).isoformat()})
    assert moved.status_code == 200, moved.text
    withdrawn = client.put(f"/api/events/{later['id']}/publication", headers=admin.headers,
                           json={"publish_at": None})
    assert withdrawn.json()["publish_at"] is None

    deadline = time.monotonic() + 20  # the scheduler's ticks, every COMPLETION_INTERVAL_SECONDS
    while not client.get(f"/api/events/{draft['id']}", headers=admin.headers).json()["published"]:
        assert time.monotonic() < deadline, "the draft was not published at its time"
        time.sleep(0.2)

    assert draft["id"] in listed(client)
    booked = client.post(f"/api/events/{draft['id']}/book", json={"quantity": 1},
                         headers=alice.headers)
    assert booked.status_code == 201, booked.text
    assert not client.get(f"/api/events/{later['id']}", headers=admin.headers).json()["published"]


def test_a_publication_is_scheduled_only_for_a_draft_before_it_starts(
    client: TestClient, admin: Caller,
) -> None:
    draft = new_draft(client, admin)
    url = f"/api/events/{draft['id']}/publication"
    assert_error(client.put(url, headers=admin.headers,
                            json={"publish_at": "2001-01-01T00:00:00Z"}), 400, "PUBLISH_AT_INVALID")
    assert_error(client.put(url, headers=admin.headers,
                            json={"publish_at": (datetime.fromisoformat(draft["starts_at"])
                                                 + timedelta(hours=1)).isoformat()}),
                 400, "PUBLISH_AT_INVALID")
    assert client.post(f"/api/events/{draft['id']}/publish", headers=admin.headers
                       ).status_code == 200
    assert_error(client.put(url, headers=admin.headers,
                            json={"publish_at": (datetime.now(UTC) + timedelta(hours=1)
                                                 ).isoformat()}), 409, "ALREADY_PUBLISHED")
