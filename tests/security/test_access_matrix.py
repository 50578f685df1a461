"""Who gets what: every operation of the OpenAPI document called by every kind of caller.

Each row is one operation and what anonymous callers, the booking's owner (a customer),
another customer, an admin and an auditor get. The table must name every operation the app
serves, so a new route cannot ship without saying who may call it.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Caller, future

ROLES = ("anonymous", "owner", "other", "admin", "auditor")


@dataclass
class World:
    """One event with a booking of the owner's, and the callers."""

    client: TestClient
    callers: dict[str, Caller | None]
    event_id: str
    booking_id: str
    owner_id: str
    ticket: str
    admin: Caller
    owner: Caller

    def fresh_event(self, **fields: Any) -> str:
        body = {"name": "Fresh", "starts_at": future(), "total_seats": 5} | fields
        r = self.client.post("/api/events", json=body, headers=self.admin.headers)
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    def fresh_booking(self) -> str:
        r = self.client.post(f"/api/events/{self.event_id}/book", json={"quantity": 1},
                             headers=self.owner.headers)
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    def fresh_ticket(self) -> str:
        r = self.client.post(f"/api/events/{self.event_id}/book", json={"quantity": 1},
                             headers=self.owner.headers)
        return str(r.json()["tickets"][0]["code"])


Request = tuple[str, str, dict[str, Any]]  # method, path, keyword arguments of the request
Build = Callable[[World], Request]


def _signup(_: World) -> Request:
    email = f"s-{uuid.uuid4().hex[:8]}@example.com"
    return "POST", "/api/auth/signup", {"json": {"email": email, "password": "password-123",
                                                 "name": "S"}}


def _new_user(_: World) -> Request:
    email = f"u-{uuid.uuid4().hex[:8]}@example.com"
    return "POST", "/api/users", {"json": {"email": email, "password": "password-123",
                                           "name": "U", "role": "auditor"}}


def _create_event(_: World) -> Request:
    return "POST", "/api/events", {"json": {"name": "N", "starts_at": future(), "total_seats": 3}}


def at(method: str, path: str, **kw: Any) -> Build:
    return lambda w: (method, path.format(w=w), kw)


# operationId: (request builder, expected status for anonymous, owner, other, admin, auditor)
MATRIX: dict[str, tuple[Build, tuple[int, int, int, int, int]]] = {
    "signup": (_signup, (201, 201, 201, 201, 201)),
    "login": (at("POST", "/api/auth/token",
                 data={"username": "owner@example.com", "password": "password-123"}),
              (200, 200, 200, 200, 200)),
    # Each signed-in caller signs itself out (its own tokens only, whoever it is).
    "logout": (at("POST", "/api/auth/logout"), (401, 204, 204, 204, 204)),
    # The admin's current password is not password-123: 403, still signed in.
    "change_password": (at("POST", "/api/auth/password",
                           json={"current_password": "password-123",
                                 "new_password": "password-456"}),
                        (401, 200, 200, 403, 200)),
    "get_me": (at("GET", "/api/users/me"), (401, 200, 200, 200, 200)),
    "get_users": (at("GET", "/api/users"), (401, 403, 403, 200, 403)),
    "create_user": (_new_user, (401, 403, 403, 201, 403)),
    "get_events": (at("GET", "/api/events"), (200, 200, 200, 200, 200)),
    "create_event": (_create_event, (401, 403, 403, 201, 403)),
    "get_event": (at("GET", "/api/events/{w.event_id}"), (200, 200, 200, 200, 200)),
    "update_event": (at("PUT", "/api/events/{w.event_id}", json={"venue": "Hall B"}),
                     (401, 403, 403, 200, 403)),
    "cancel_event": (lambda w: ("POST", f"/api/events/{w.fresh_event()}/cancel", {}),
                     (401, 403, 403, 200, 403)),
    # Refused by the rules (not started yet) only once the caller got past the role check.
    "complete_event": (at("POST", "/api/events/{w.event_id}/complete"),
                       (401, 403, 403, 400, 403)),
    "book_event": (at("POST", "/api/events/{w.event_id}/book", json={"quantity": 1}),
                   (401, 201, 201, 201, 403)),
    "get_event_bookings": (at("GET", "/api/events/{w.event_id}/bookings"),
                           (401, 403, 403, 200, 403)),
    # BOLA: another customer learns nothing, not even that the booking exists.
    "get_booking": (at("GET", "/api/bookings/{w.booking_id}"), (401, 200, 404, 200, 200)),
    "cancel_booking": (lambda w: ("DELETE", f"/api/bookings/{w.fresh_booking()}", {}),
                       (401, 200, 404, 200, 403)),
    "get_user_bookings": (at("GET", "/api/users/{w.owner_id}/bookings"),
                          (401, 200, 403, 200, 403)),
    "check_in_ticket": (lambda w: ("POST", f"/api/tickets/{w.fresh_ticket()}/check-in", {}),
                        (401, 403, 403, 200, 403)),
    "get_stats": (at("GET", "/api/admin/stats"), (401, 403, 403, 200, 403)),
    "get_projections": (at("GET", "/api/projections"), (401, 403, 403, 200, 200)),
    "rebuild_projection": (at("POST", "/api/projections/bookings/rebuild"),
                           (401, 403, 403, 202, 403)),
    "get_health": (at("GET", "/api/health"), (200, 200, 200, 200, 200)),
    "get_event_history": (at("GET", "/api/audit/events/{w.event_id}/history"),
                          (401, 403, 403, 200, 200)),
    "get_event_state": (at("GET", "/api/audit/events/{w.event_id}/state", params={"version": 1}),
                        (401, 403, 403, 200, 200)),
    "get_audit_log": (at("GET", "/api/audit/log"), (401, 403, 403, 200, 200)),
    "export_event": (at("GET", "/api/audit/events/{w.event_id}/export"),
                     (401, 403, 403, 200, 200)),
    "verify_ledger": (at("GET", "/api/audit/verify"), (401, 403, 403, 200, 200)),
}
# Server-sent events stream forever: who may open them is checked on the response's status.
STREAMS: dict[str, tuple[Build, tuple[int, int, int, int, int]]] = {
    "stream_event_availability": (at("GET", "/api/events/{w.event_id}/availability/stream"),
                                  (200, 200, 200, 200, 200)),
    "stream_events_availability": (at("GET", "/api/events/availability/stream?ids={w.event_id}"),
                                   (200, 200, 200, 200, 200)),
}


@pytest.fixture
def world(client: TestClient, admin: Caller, signup: Callable[[str], Caller],
          auditor: Caller) -> World:
    owner, other = signup("Owner"), signup("Other")
    event = client.post("/api/events", headers=admin.headers, json={
        "name": "Matrix night", "starts_at": future(), "total_seats": 50})
    assert event.status_code == 201, event.text
    booked = client.post(f"/api/events/{event.json()['id']}/book", json={"quantity": 1},
                         headers=owner.headers)
    assert booked.status_code == 201, booked.text
    callers: dict[str, Caller | None] = {
        "anonymous": None, "owner": owner, "other": other, "admin": admin, "auditor": auditor}
    return World(client, callers, event.json()["id"], booked.json()["id"], str(owner.id),
                 booked.json()["tickets"][0]["code"], admin, owner)


def test_the_matrix_names_every_operation(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    served = {op["operationId"] for methods in spec["paths"].values() for op in methods.values()}
    assert served - set(MATRIX) - set(STREAMS) == set(), "add the new operations to MATRIX"
    assert set(MATRIX) - served == set(), "MATRIX names operations the app does not serve"


@pytest.mark.parametrize("operation", sorted(MATRIX))
def test_who_gets_what(world: World, operation: str) -> None:
    build, expected = MATRIX[operation]
    got = {}
    for role, status in zip(ROLES, expected, strict=True):
        method, path, kw = build(world)
        caller = world.callers[role]
        headers = caller.headers if caller else {}
        response = world.client.request(method, path, headers=headers, **kw)
        got[role] = response.status_code
        if status >= 400:
            body = response.json()
            assert body["code"] and body["message"], (role, body)
            assert response.headers.get("content-type", "").startswith("application/json")
    assert got == dict(zip(ROLES, expected, strict=True)), operation


def test_streams_are_public(world: World) -> None:
    spec = world.client.get("/openapi.json").json()
    served = {op["operationId"] for methods in spec["paths"].values() for op in methods.values()}
    present = sorted(set(STREAMS) & served)
    if not present:
        pytest.skip("no live streams in this build")
    for operation in present:
        method, path, kw = STREAMS[operation][0](world)
        for role in ROLES:
            caller = world.callers[role]
            with world.client.stream(method, path, headers=caller.headers if caller else {},
                                     **kw) as response:
                assert response.status_code == 200, (operation, role)


def test_guessing_booking_ids_reveals_nothing(world: World) -> None:
    """Another customer's probes get the same 404 whether the booking exists or not."""
    other = world.callers["other"]
    assert other is not None
    probes = [world.booking_id, str(uuid.uuid4()), str(uuid.UUID(int=1)),
              world.booking_id.upper()]
    bodies = []
    for probe in probes:
        for method in ("GET", "DELETE"):
            r = world.client.request(method, f"/api/bookings/{probe}", headers=other.headers)
            assert r.status_code == 404, (method, probe, r.text)
            body = r.json()
            bodies.append((body["code"], body["message"].replace(probe, "ID")
                           .replace(probe.lower(), "ID")))
    assert len(set(bodies)) == 1, bodies
    # And the owner's booking is still there, untouched.
    owner = world.callers["owner"]
    assert owner is not None
    mine = world.client.get(f"/api/bookings/{world.booking_id}", headers=owner.headers)
    assert mine.json()["status"] == "confirmed"


def test_a_customer_cannot_book_or_read_as_someone_else(world: World) -> None:
    """The booking's user is the token's, whatever the body or query says."""
    other = world.callers["other"]
    assert other is not None
    r = world.client.post(f"/api/events/{world.event_id}/book", headers=other.headers,
                          json={"quantity": 1, "user_id": world.owner_id})
    assert r.status_code == 422  # unknown fields are refused, not ignored
    r = world.client.get("/api/users/me", headers=other.headers,
                         params={"user_id": world.owner_id})
    assert r.json()["id"] == str(other.id)


def test_a_demoted_admin_loses_admin_rights_at_once(world: World) -> None:
    """The role is read from the account on every request, not trusted from the token."""
    from core.db import session_scope  # noqa: PLC0415 - the app's own engine
    from query_api.accounts import User  # noqa: PLC0415

    r = world.client.post("/api/users", headers=world.admin.headers, json={
        "email": "second@example.com", "password": "password-123", "name": "Second",
        "role": "admin"})
    assert r.status_code == 201
    token = world.client.post("/api/auth/token", data={
        "username": "second@example.com", "password": "password-123"}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert world.client.get("/api/users", headers=headers).status_code == 200
    with session_scope() as session:
        user = session.get(User, uuid.UUID(r.json()["id"]))
        assert user is not None
        user.role = "customer"
    assert world.client.get("/api/users", headers=headers).status_code == 403
