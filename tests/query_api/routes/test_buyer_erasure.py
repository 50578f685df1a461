"""An organizer forgets their own buyer, on both backends: a customer all of whose bookings,
holds and places are for events the organizer organizes or co-organizes. A buyer of another
organizer too is an admin's (409 PERSON_BUYS_FROM_OTHERS); a person who bought nothing of the
organizer's is unknown to them (404, as an unknown id); staff accounts are an admin's too."""

from collections.abc import Callable
from uuid import uuid4

from fastapi.testclient import TestClient
from httpx import Response

from tests.fixtures.api import Caller, assert_error, future


def event_of(client: TestClient, who: Caller, **fields: object) -> str:
    """An event of `who`'s: 20 seats, or as `fields` say."""
    r = client.post("/api/events", headers=who.headers, json={
        "name": "Night", "starts_at": future()} | (fields or {"total_seats": 20}))
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def book(client: TestClient, who: Caller, event_id: str) -> None:
    r = client.post(f"/api/events/{event_id}/book", json={"quantity": 1}, headers=who.headers)
    assert r.status_code == 201, r.text


def co_organize(client: TestClient, event_id: str, organizer: Caller, invitee: Caller) -> None:
    r = client.post(f"/api/events/{event_id}/organizers", headers=organizer.headers,
                    json={"user_id": str(invitee.id)})
    assert r.status_code == 201, r.text
    r = client.post(f"/api/events/{event_id}/organizers/{invitee.id}/accept",
                    headers=invitee.headers)
    assert r.status_code == 200, r.text


def forget(client: TestClient, organizer: Caller, person_id: object) -> Response:
    answer: Response = client.post(f"/api/organizers/me/buyers/{person_id}/erasure",
                                   headers=organizer.headers)
    return answer


def test_an_organizer_forgets_their_own_buyer_who_then_reads_erased_and_cannot_sign_in(
    client: TestClient, signup: Callable[[str], Caller], organizer: Callable[[str], Caller],
) -> None:
    olga, una = organizer("Olga"), signup("Una")
    first, second = event_of(client, olga), event_of(client, olga)
    book(client, una, first)
    held = client.post(f"/api/events/{second}/holds", json={"quantity": 2}, headers=una.headers)
    assert held.status_code == 201, held.text

    done = forget(client, olga, una.id)
    assert done.status_code == 200, done.text
    assert (done.json()["person_id"], done.json()["by"], done.json()["reason"]) == (
        str(una.id), str(olga.id), "asked_of_organizer")
    assert int(done.headers["x-position"]) == done.json()["position"]

    attendees = client.get(f"/api/events/{first}/attendees", headers=olga.headers).json()
    assert [(a["name"], a["email"]) for a in attendees["items"]] == [("erased", None)]
    assert "Una" not in client.get(f"/api/events/{first}/bookings", headers=olga.headers).text
    assert client.get(f"/api/events/{second}").json()["available_seats"] == 20  # released
    assert_error(client.get("/api/users/me", headers=una.headers), 401)
    assert_error(client.post("/api/auth/token", data={"username": "una@example.com",
                                                      "password": "password-123"}), 401)
    assert_error(forget(client, olga, una.id), 409, "PERSON_ALREADY_ERASED")


def test_a_person_who_bought_nothing_of_the_organizer_s_is_unknown_to_them(
    client: TestClient, signup: Callable[[str], Caller], organizer: Callable[[str], Caller],
    admin: Caller,
) -> None:
    olga, oscar = organizer("Olga"), organizer("Oscar")
    stranger, ned = signup("Stan"), signup("Ned")
    book(client, ned, event_of(client, oscar))
    nobody = uuid4()
    unknown = assert_error(forget(client, olga, nobody), 404, "PERSON_NOT_FOUND")
    for person in (stranger, ned, admin):
        refused = assert_error(forget(client, olga, person.id), 404, "PERSON_NOT_FOUND")
        assert refused["message"].replace(str(person.id), "ID") == unknown["message"].replace(
            str(nobody), "ID")
    assert client.get("/api/users/me", headers=ned.headers).status_code == 200


def test_a_buyer_of_other_organizers_too_is_refused_with_the_admin_as_the_way(
    client: TestClient, signup: Callable[[str], Caller], organizer: Callable[[str], Caller],
    admin: Caller,
) -> None:
    olga, oscar, bea = organizer("Olga"), organizer("Oscar"), signup("Bea")
    book(client, bea, event_of(client, olga))
    # A place on a waitlist of Oscar's counts as a booking does.
    full = event_of(client, oscar, total_seats=1)
    book(client, signup("Finn"), full)
    placed = client.post(f"/api/events/{full}/waitlist", json={"quantity": 1},
                         headers=bea.headers)
    assert placed.status_code == 201, placed.text
    for who in (olga, oscar):
        refused = assert_error(forget(client, who, bea.id), 409, "PERSON_BUYS_FROM_OTHERS")
        assert "admin" in refused["message"]
    assert client.get("/api/users/me", headers=bea.headers).status_code == 200
    done = client.post(f"/api/users/{bea.id}/erasure", headers=admin.headers)
    assert done.status_code == 200, done.text


def test_co_organized_events_count_as_the_organizer_s_own(
    client: TestClient, signup: Callable[[str], Caller], organizer: Callable[[str], Caller],
) -> None:
    olga, cora, ivo = organizer("Olga"), organizer("Cora"), signup("Ivo")
    shared, coras = event_of(client, olga), event_of(client, cora)
    co_organize(client, shared, olga, cora)
    book(client, ivo, shared)
    book(client, ivo, coras)
    # Olga runs one of Ivo's events, not Cora's own; Cora runs both.
    assert_error(forget(client, olga, ivo.id), 409, "PERSON_BUYS_FROM_OTHERS")
    done = forget(client, cora, ivo.id)
    assert done.status_code == 200, done.text
    assert done.json()["by"] == str(cora.id)


def test_staff_accounts_unpaid_orders_and_other_roles_are_refused(
    client: TestClient, signup: Callable[[str], Caller], organizer: Callable[[str], Caller],
    auditor: Caller,
) -> None:
    olga, otto, pia = organizer("Olga"), organizer("Otto"), signup("Pia")
    event_id = event_of(client, olga, payment_methods=["offline"],
                       categories=[{"name": "Stalls", "price": "10.00", "capacity": 20}])
    r = client.post(f"/api/events/{event_id}/holds", json={"quantity": 1}, headers=otto.headers)
    assert r.status_code == 201, r.text
    assert_error(forget(client, olga, otto.id), 409, "PERSON_IS_STAFF")

    held = client.post(f"/api/events/{event_id}/holds", json={"quantity": 1},
                       headers=pia.headers).json()
    owed = client.post(f"/api/holds/{held['id']}/payment", headers=pia.headers,
                       json={"method": "offline"})
    assert owed.status_code == 201, owed.text
    refused = assert_error(forget(client, olga, pia.id), 409, "PERSON_HAS_UNPAID_ORDERS")
    assert refused["bookings"] == [owed.json()["booking_id"]]

    for who in (pia, auditor):
        assert_error(forget(client, who, pia.id), 403, "FORBIDDEN")
    assert_error(client.post(f"/api/organizers/me/buyers/{pia.id}/erasure"), 401)
    assert client.get("/api/users/me", headers=pia.headers).status_code == 200
