"""An event's life through the API, on both backends: on sale until it starts, then closed to
bookings and to its organizer's cancel, completed on its own once over (the embedded process's
scheduler, or beat and a worker); cancellations of an event or of a customer's booking that
say who cancelled and why, as the customer reads them.
"""

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from query_api.service.write_side import get_ledger
from tests.fixtures.api import Caller, assert_error, future

# The embedded scheduler completes events every half second (the distributed worker's beat is
# started so): asked before the client is made.
pytestmark = pytest.mark.usefixtures("prompt_completion")
STARTS_IN = timedelta(seconds=3)  # time enough to book it first
LASTS = timedelta(seconds=5)  # time enough to be refused as started before it completes


def organizer(client: TestClient, admin: Caller, who: Caller) -> Caller:
    r = client.patch(f"/api/users/{who.id}", json={"role": "organizer"}, headers=admin.headers)
    assert r.status_code == 200, r.text
    return who


def create(client: TestClient, by: Caller, starts_at: datetime,
           ends_at: datetime | None = None) -> str:
    body = {"name": "Soon", "starts_at": starts_at.isoformat(), "total_seats": 10,
            "ends_at": ends_at.isoformat() if ends_at else None}
    r = client.post("/api/events", json=body, headers=by.headers)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def listed(client: TestClient, **params: Any) -> list[str]:
    r = client.get("/api/events", params=params)
    assert r.status_code == 200, r.text
    return [e["id"] for e in r.json()["items"]]


def wait_until(moment: datetime) -> None:
    time.sleep(max(0.0, (moment - datetime.now(UTC)).total_seconds()) + 0.2)


def stored_types(event_id: str) -> list[str]:
    """The types of the event's stream, as stored."""
    rows = get_ledger().recorder.select_events(UUID(event_id))
    return [row.topic.rsplit(".", 1)[1] for row in rows]


def test_an_event_is_on_sale_until_it_starts_then_closed_and_completed_on_its_own(
    client: TestClient, admin: Caller, alice: Caller, signup: Callable[[str], Caller],
    book: Callable[..., Any],
) -> None:
    olga = organizer(client, admin, signup("Olga"))
    starts = datetime.now(UTC) + STARTS_IN
    event_id = create(client, olga, starts, starts + LASTS)
    later = create(client, olga, datetime.now(UTC) + timedelta(days=2))
    booked = book(alice, event_id)
    assert booked.status_code == 201, booked.text
    on_sale = client.get("/api/events")
    assert [e["id"] for e in on_sale.json()["items"]] == [event_id, later]

    wait_until(starts)
    # Nothing was written since: the same position, yet the answer held only until it started.
    again = client.get("/api/events", headers={"If-None-Match": on_sale.headers["etag"]})
    assert again.status_code == 200
    assert again.headers["x-projection-position"] == on_sale.headers["x-projection-position"]
    assert [e["id"] for e in again.json()["items"]] == [later]
    assert listed(client, status="active") == [event_id, later]  # an explicit filter: all dates
    assert_error(book(alice, event_id), 400, "EVENT_IN_PAST")
    assert_error(client.post(f"/api/events/{event_id}/cancel", headers=olga.headers,
                             json={"reason": "Rain"}), 409, "EVENT_STARTED")
    assert_error(client.delete(f"/api/bookings/{booked.json()['id']}", headers=alice.headers),
                 400, "EVENT_IN_PAST")

    deadline = time.monotonic() + (LASTS + timedelta(seconds=15)).total_seconds()
    while client.get(f"/api/events/{event_id}").json()["status"] != "completed":
        assert time.monotonic() < deadline, "the event was not completed on its own"
        time.sleep(0.2)
    assert stored_types(event_id).count("EventCompleted") == 1
    assert listed(client, status="completed") == [event_id]
    assert listed(client, status="all", starts_before=datetime.now(UTC).isoformat()) == [
        event_id]  # the web UI's "Past"
    assert_error(client.post(f"/api/events/{event_id}/cancel", headers=admin.headers,
                             json={"reason": "Too late"}), 400, "EVENT_COMPLETED")
    assert stored_types(event_id).count("EventCompleted") == 1  # however many ticks since


def test_an_admin_cancels_a_started_event_only_with_a_reason_every_customer_reads(
    client: TestClient, admin: Caller, alice: Caller, book: Callable[..., Any],
) -> None:
    starts = datetime.now(UTC) + STARTS_IN
    event_id = create(client, admin, starts, starts + timedelta(hours=1))
    booking_id = book(alice, event_id).json()["id"]

    wait_until(starts)
    url = f"/api/events/{event_id}/cancel"
    assert_error(client.post(url, headers=admin.headers), 422, "REASON_REQUIRED")
    assert_error(client.post(url, headers=admin.headers, json={"reason": " "}), 422,
                 "REASON_REQUIRED")
    cancelled = client.post(url, headers=admin.headers, json={"reason": "The venue flooded"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"

    mine = client.get(f"/api/users/{alice.id}/bookings", headers=alice.headers).json()["items"]
    assert [(b["id"], b["status"], b["cancelled_by"], b["cancellation_reason"]) for b in mine] == [
        (booking_id, "cancelled", "admin", "The venue flooded")]
    assert listed(client, status="cancelled") == [event_id]


def test_organizers_and_admins_cancel_a_customers_booking_saying_why(
    client: TestClient, admin: Caller, alice: Caller, bob: Caller,
    signup: Callable[[str], Caller], book: Callable[..., Any],
) -> None:
    olga, cyd, oscar = (organizer(client, admin, signup(name)) for name in ("Olga", "Cyd", "Oscar"))
    event_id = create(client, olga, datetime.fromisoformat(future()))
    r = client.post(f"/api/events/{event_id}/organizers", headers=olga.headers,
                    json={"user_id": str(cyd.id)})
    assert r.status_code == 201, r.text
    r = client.post(f"/api/events/{event_id}/organizers/{cyd.id}/accept", headers=cyd.headers)
    assert r.status_code == 200, r.text
    ids = [book(alice, event_id).json()["id"] for _ in range(5)]

    def cancel(booking_id: str, who: Caller, reason: str | None = None) -> Any:
        body = None if reason is None else {"reason": reason}
        return client.post(f"/api/bookings/{booking_id}/cancel", headers=who.headers, json=body)

    assert_error(cancel(ids[0], olga), 422, "REASON_REQUIRED")
    assert_error(cancel(ids[0], admin, ""), 422, "REASON_REQUIRED")
    assert_error(cancel(ids[0], oscar, "Not mine"), 404, "BOOKING_NOT_FOUND")
    assert_error(cancel(ids[0], bob, "Not mine"), 404, "BOOKING_NOT_FOUND")
    answers = [cancel(ids[0], olga, "Seat plan changed"), cancel(ids[1], cyd, "Duplicate"),
               cancel(ids[2], admin, "Payment reversed"), cancel(ids[3], alice),
               cancel(ids[4], alice, "Cannot come")]
    expected = {ids[0]: ("organizer", "Seat plan changed"), ids[1]: ("organizer", "Duplicate"),
                ids[2]: ("admin", "Payment reversed"), ids[3]: ("customer", None),
                ids[4]: ("customer", "Cannot come")}
    assert {a.json()["id"]: (a.json()["cancelled_by"], a.json()["cancellation_reason"])
            for a in answers} == expected
    assert_error(cancel(ids[0], olga, "Again"), 400, "ALREADY_CANCELLED")

    def told(items: list[dict[str, Any]]) -> dict[str, tuple[str, str | None]]:
        assert {b["status"] for b in items} == {"cancelled"}
        return {b["id"]: (b["cancelled_by"], b["cancellation_reason"]) for b in items}

    mine = client.get(f"/api/users/{alice.id}/bookings", headers=alice.headers).json()["items"]
    assert told(mine) == expected
    theirs = client.get(f"/api/events/{event_id}/bookings", headers=olga.headers).json()
    assert told(theirs["items"]) == expected
    one = client.get(f"/api/bookings/{ids[0]}", headers=alice.headers).json()
    assert (one["cancelled_by"], one["cancellation_reason"]) == expected[ids[0]]
