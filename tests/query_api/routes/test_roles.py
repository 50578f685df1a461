"""Who may call what: every route against anonymous callers, customers and auditors."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.fixtures.api import Caller, assert_error

EVENT = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
BOOKING = "0b6f1c1e-5d1c-4c4e-9f0a-3f2b6c1d2e3f"
USER = "5f0c8a4e-2b1d-4e7a-8c3f-9d6e1a2b3c4d"
EVENT_BODY = {"name": "X", "starts_at": "2031-01-01T00:00:00Z", "total_seats": 5}
ADMIN_ONLY: list[tuple[str, str, Any]] = [
    ("GET", "/api/users", None),
    ("POST", "/api/users", {"email": "x@example.com", "password": "password-123", "name": "X"}),
    ("POST", "/api/events", EVENT_BODY),
    ("PUT", f"/api/events/{EVENT}", {"name": "Y"}),
    ("POST", f"/api/events/{EVENT}/cancel", None),
    ("POST", f"/api/events/{EVENT}/complete", None),
    ("GET", f"/api/events/{EVENT}/bookings", None),
    ("POST", "/api/tickets/some-code/check-in", None),
    ("GET", "/api/admin/stats", None),
    ("POST", "/api/projections/bookings/rebuild", None),
]
AUDIT = [
    f"/api/audit/events/{EVENT}/history",
    f"/api/audit/events/{EVENT}/state?version=1",
    f"/api/audit/events/{EVENT}/export",
    "/api/audit/log",
    "/api/audit/verify-runs",
    f"/api/audit/verify-runs/{EVENT}",
    "/api/audit/revenue",
    "/api/audit/revenue.csv",
]
SIGNED_IN: list[tuple[str, str, Any]] = [
    *ADMIN_ONLY,
    *(("GET", path, None) for path in AUDIT),
    ("GET", "/api/users/me", None),
    ("POST", f"/api/events/{EVENT}/book", {"quantity": 1}),
    ("GET", f"/api/bookings/{BOOKING}", None),
    ("DELETE", f"/api/bookings/{BOOKING}", None),
    ("GET", f"/api/users/{USER}/bookings", None),
    ("GET", "/api/projections", None),
]
PUBLIC = ["/api/events", f"/api/events/{EVENT}", "/api/health"]


def call(client: TestClient, method: str, path: str, body: Any, who: Caller | None) -> Any:
    headers = who.headers if who else {}
    return client.request(method, path, json=body, headers=headers)


# Each test below calls many routes on one system, a subtest each: a refusal or a read changes
# nothing that the next call would find.


def test_anonymous_callers_get_401(client: TestClient, subtests: pytest.Subtests) -> None:
    for method, path, body in SIGNED_IN:
        with subtests.test(method=method, path=path):
            response = call(client, method, path, body, None)
            assert_error(response, 401, "NOT_AUTHENTICATED")
            assert response.headers["www-authenticate"] == "Bearer"


def test_customers_get_403_on_admin_and_audit_routes(
    client: TestClient, alice: Caller, subtests: pytest.Subtests
) -> None:
    for method, path, body in [*ADMIN_ONLY, *(("GET", path, None) for path in AUDIT)]:
        with subtests.test(method=method, path=path):
            assert_error(call(client, method, path, body, alice), 403, "FORBIDDEN")


def test_auditors_and_admins_read_the_audit_routes(
    client: TestClient, admin: Caller, auditor: Caller, subtests: pytest.Subtests
) -> None:
    for path in AUDIT:
        with subtests.test(path=path):
            for who in (auditor, admin):
                expected = 404 if EVENT in path else 200  # past the role check: no such event
                assert call(client, "GET", path, None, who).status_code == expected


# An event's private reads: auditors read them as admins do (read-only).
EVENT_PRIVATE_READS = (f"/api/events/{EVENT}/bookings", "/api/admin/stats")


def test_auditors_read_every_event_s_private_data(client: TestClient, auditor: Caller) -> None:
    assert_error(call(client, "GET", EVENT_PRIVATE_READS[0], None, auditor), 404,
                 "EVENT_NOT_FOUND")  # past the role check: no such event
    assert call(client, "GET", EVENT_PRIVATE_READS[1], None, auditor).status_code == 200


def test_auditors_read_the_users_and_their_bookings(
    client: TestClient, auditor: Caller, alice: Caller, make_event: Any, book: Any
) -> None:
    booking = book(alice, make_event()["id"], 1).json()
    users = client.get("/api/users", params={"q": alice.email}, headers=auditor.headers)
    assert users.status_code == 200
    assert str(alice.id) in {u["id"] for u in users.json()["items"]}
    page = call(client, "GET", f"/api/users/{alice.id}/bookings", None, auditor)
    assert page.status_code == 200
    [item] = page.json()["items"]
    assert item["id"] == booking["id"]
    assert item["tickets"] and all(  # codes as digests: an auditor checks nobody in
        t["code"] != c["code"] for t, c in zip(item["tickets"], booking["tickets"], strict=True))


def test_auditors_only_read(
    client: TestClient, auditor: Caller, subtests: pytest.Subtests
) -> None:
    writes = [r for r in ADMIN_ONLY
              if r[0] != "GET" and r[1] != "/api/projections/bookings/rebuild"]
    writes += [("POST", f"/api/events/{EVENT}/book", {"quantity": 1}),
               ("DELETE", f"/api/bookings/{BOOKING}", None)]
    for method, path, body in writes:
        with subtests.test(method=method, path=path):
            assert_error(call(client, method, path, body, auditor), 403, "FORBIDDEN")


def test_public_reads_need_no_token(client: TestClient, subtests: pytest.Subtests) -> None:
    for path in PUBLIC:
        with subtests.test(path=path):
            assert client.get(path).status_code in (200, 404)
