"""The admin's hold on accounts: a user's sessions revoked, never one's own role changed; the
auditor reads the users and their bookings, and changes none. On both backends."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.fixtures.api import Caller, assert_error, login


def test_revoking_a_user_s_sessions_ends_every_token_they_hold(
    client: TestClient, admin: Caller, auditor: Caller, alice: Caller, bob: Caller,
) -> None:
    second = login(client, "alice@example.com", "password-123")  # another device
    assert client.get("/api/users/me", headers=second.headers).status_code == 200

    revoked = client.post(f"/api/users/{alice.id}/sessions/revoke", headers=admin.headers)

    assert revoked.status_code == 204 and revoked.content == b""
    for session in (alice, second):
        assert_error(client.get("/api/users/me", headers=session.headers), 401, "TOKEN_REVOKED")
    assert client.get("/api/users/me", headers=bob.headers).status_code == 200  # others stay
    again = login(client, "alice@example.com", "password-123")  # signing in again works
    assert client.get("/api/users/me", headers=again.headers).json()["id"] == str(alice.id)
    for who in (auditor, bob):
        assert_error(client.post(f"/api/users/{again.id}/sessions/revoke", headers=who.headers),
                     403, "FORBIDDEN")
    assert client.get("/api/users/me", headers=again.headers).status_code == 200
    assert_error(client.post("/api/users/00000000-0000-4000-8000-000000000000/sessions/revoke",
                             headers=admin.headers), 404, "USER_NOT_FOUND")


def test_an_admin_never_changes_their_own_role(client: TestClient, admin: Caller) -> None:
    for role in ("customer", "admin", "auditor"):
        assert_error(client.patch(f"/api/users/{admin.id}", json={"role": role},
                                  headers=admin.headers), 409, "CANNOT_CHANGE_OWN_ROLE")
    assert client.get("/api/users/me", headers=admin.headers).json()["role"] == "admin"


def test_an_auditor_reads_users_and_their_bookings_as_digests_and_writes_nothing(
    client: TestClient, admin: Caller, auditor: Caller, alice: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> None:
    event_id = make_event()["id"]
    booking = book(alice, event_id, 2).json()
    codes = {t["code"] for t in booking["tickets"]}

    users = client.get("/api/users", params={"q": "ali"}, headers=auditor.headers).json()
    mine = client.get(f"/api/users/{alice.id}/bookings", headers=auditor.headers).json()
    event = client.get(f"/api/events/{event_id}/bookings", headers=auditor.headers).json()

    assert [u["email"] for u in users["items"]] == ["alice@example.com"]
    for page in (mine, event):
        [seen] = page["items"]
        assert seen["id"] == booking["id"]
        shown = {t["code"] for t in seen["tickets"]}
        assert len(shown) == 2 and all(c.startswith("sha256:") for c in shown)
        assert not shown & codes
    for method, path, body in (
            ("POST", "/api/users", {"email": "x@example.com", "password": "password-123",
                                    "name": "X", "role": "admin"}),
            ("PATCH", f"/api/users/{alice.id}", {"role": "organizer"}),
            ("POST", f"/api/users/{alice.id}/sessions/revoke", None),
            ("DELETE", f"/api/bookings/{booking['id']}", None)):
        assert_error(client.request(method, path, json=body, headers=auditor.headers), 403)
    assert client.get(f"/api/bookings/{booking['id']}",
                      headers=alice.headers).json()["status"] == "confirmed"
