"""Sign-up, sign-in, tokens and the user admin."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import jwt
import pytest
from fastapi.testclient import TestClient

from core.settings import get_settings
from query_api.auth.user_accounts import User
from tests.fixtures.api import ADMIN_EMAIL, Caller, assert_error, login
from tests.pg import owner_scope

# Passwords hashed at a test's cost (tests/fixtures/api.py).
pytestmark = pytest.mark.usefixtures("cheap_hashing")


def test_signup_creates_a_customer_and_never_shows_the_hash(client: TestClient) -> None:
    body = {
        "email": "Ann@Example.COM",
        "password": "password-123",
        "name": "Ann",
        "phone": "+43 660 123",
    }
    response = client.post("/api/auth/signup", json=body)
    assert response.status_code == 201
    user = response.json()
    assert set(user) == {"id", "email", "name", "phone", "role", "language"}
    assert user["email"] == "ann@example.com"
    assert user["role"] == "customer"
    assert user["phone"] == "+43 660 123"


def test_duplicate_email_is_409_whatever_the_case(client: TestClient, alice: Caller) -> None:
    body = {"email": "ALICE@example.com", "password": "password-123", "name": "Other"}
    assert_error(client.post("/api/auth/signup", json=body), 409, "EMAIL_TAKEN")


def test_signup_validates_email_password_and_role(client: TestClient) -> None:
    for bad in (
        {"email": "not-an-email", "password": "password-123", "name": "A"},
        {"email": "a@example.com", "password": "short", "name": "A"},
        {"email": "a@example.com", "password": "password-123", "name": ""},
        {"email": "a@example.com", "password": "password-123", "name": "A", "role": "admin"},
    ):
        assert_error(client.post("/api/auth/signup", json=bad), 422, "VALIDATION_ERROR")


def test_login_returns_a_bearer_token(client: TestClient, alice: Caller) -> None:
    response = client.post(
        "/api/auth/token", data={"username": "Alice@Example.com", "password": "password-123"}
    )
    assert response.status_code == 200
    token = response.json()
    assert token["token_type"] == "bearer"
    assert token["expires_in"] == get_settings().access_token_minutes * 60
    claims = jwt.decode(token["access_token"], get_settings().secret_key, algorithms=["HS256"])
    assert claims["sub"] == str(alice.id) and claims["role"] == "customer"
    assert claims["exp"] > claims["iat"]


def test_wrong_password_or_unknown_email_is_401(client: TestClient, alice: Caller) -> None:
    for username, password in (
        ("alice@example.com", "wrong-password"),
        ("nobody@example.com", "password-123"),
    ):
        response = client.post("/api/auth/token", data={"username": username, "password": password})
        assert_error(response, 401, "INVALID_CREDENTIALS")
        assert response.headers["www-authenticate"] == "Bearer"


def test_me_shows_the_signed_in_user(client: TestClient, alice: Caller) -> None:
    me = client.get("/api/users/me", headers=alice.headers).json()
    assert me == {
        "id": str(alice.id),
        "email": "alice@example.com",
        "name": "Alice",
        "phone": None,
        "role": "customer",
        "language": "en",
    }


def test_first_admin_comes_from_the_environment_once(client: TestClient) -> None:
    admin = login(client, ADMIN_EMAIL, "admin-secret-1")
    assert client.get("/api/users/me", headers=admin.headers).json()["role"] == "admin"
    with client:  # a second start finds the admin and creates nobody
        pass
    users = client.get("/api/users", headers=admin.headers).json()["items"]
    assert [u["email"] for u in users] == [ADMIN_EMAIL]


def test_missing_token_is_401_with_bearer_challenge(client: TestClient) -> None:
    response = client.get("/api/users/me")
    assert_error(response, 401, "NOT_AUTHENTICATED")
    assert response.headers["www-authenticate"] == "Bearer"


def test_forged_expired_and_garbage_tokens_are_401(client: TestClient, alice: Caller) -> None:
    now = datetime.now(UTC)
    claims = {"sub": str(alice.id), "role": "admin", "iat": now, "exp": now + timedelta(hours=1)}
    forged = jwt.encode(claims, "another-secret-of-enough-length-123", algorithm="HS256")
    unsigned = jwt.encode(claims, key="", algorithm="none")  # "": no key, typed as a str
    expired = jwt.encode(
        claims | {"exp": now - timedelta(minutes=1)}, get_settings().secret_key, algorithm="HS256"
    )
    no_exp = jwt.encode(
        {"sub": str(alice.id), "iat": now}, get_settings().secret_key, algorithm="HS256"
    )
    bad_sub = jwt.encode(
        claims | {"sub": "not-a-uuid"}, get_settings().secret_key, algorithm="HS256"
    )
    cases = {
        forged: "INVALID_TOKEN",
        unsigned: "INVALID_TOKEN",
        expired: "TOKEN_EXPIRED",
        no_exp: "INVALID_TOKEN",
        bad_sub: "INVALID_TOKEN",
        "garbage": "INVALID_TOKEN",
    }
    for token, code in cases.items():
        response = client.get("/api/users/me", headers={"Authorization": f"Bearer {token}"})
        assert_error(response, 401, code)
        assert response.headers["www-authenticate"] == "Bearer"


def test_token_of_an_unknown_user_is_401(client: TestClient) -> None:
    now = datetime.now(UTC)
    token = jwt.encode(
        {
            "sub": "00000000-0000-0000-0000-000000000001",
            "role": "admin",
            "iat": now,
            "exp": now + timedelta(hours=1),
        },
        get_settings().secret_key,
        algorithm="HS256",
    )
    response = client.get("/api/users/me", headers={"Authorization": f"Bearer {token}"})
    assert_error(response, 401, "INVALID_TOKEN")


def test_admin_creates_users_of_every_role(client: TestClient, admin: Caller) -> None:
    for role in ("customer", "admin", "auditor"):
        body = {
            "email": f"new-{role}@example.com",
            "password": "password-123",
            "name": role,
            "role": role,
        }
        response = client.post("/api/users", json=body, headers=admin.headers)
        assert response.status_code == 201
        assert response.json()["role"] == role
    body = {"email": "x@example.com", "password": "password-123", "name": "X", "role": "root"}
    assert_error(client.post("/api/users", json=body, headers=admin.headers), 422)


def test_user_list_is_cursor_paginated(
    client: TestClient, admin: Caller, signup: Callable[[str], Caller]
) -> None:
    for name in ("Ann", "Ben", "Cat", "Dan"):
        signup(name)
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/users", params=params, headers=admin.headers).json()
        seen += [u["email"] for u in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(seen) and len(seen) == 5


def test_customers_cannot_list_or_create_users(client: TestClient, alice: Caller) -> None:
    assert_error(client.get("/api/users", headers=alice.headers), 403, "FORBIDDEN")
    body = {"email": "x@example.com", "password": "password-123", "name": "X"}
    assert_error(client.post("/api/users", json=body, headers=alice.headers), 403, "FORBIDDEN")


def test_passwords_are_kept_exactly_as_typed(client: TestClient) -> None:
    body = {"email": "sp@example.com", "password": "  spaced out  ", "name": "Sp"}
    assert client.post("/api/auth/signup", json=body).status_code == 201
    assert login(client, "sp@example.com", "  spaced out  ").email == "sp@example.com"


def _delete_user(user_id: UUID) -> None:
    with owner_scope() as session:  # an operator's edit: the API's role may not delete accounts
        session.delete(session.get(User, user_id))


def test_a_signed_in_user_is_read_once_then_served_from_the_cache(
    client: TestClient, alice: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "user_cache_seconds", 5.0)  # opted in
    assert client.get("/api/users/me", headers=alice.headers).status_code == 200
    _delete_user(alice.id)  # the API never deletes users; an operator's edit, seconds late
    assert client.get("/api/users/me", headers=alice.headers).status_code == 200


def test_by_default_a_removed_user_is_refused_at_once(
    client: TestClient, alice: Caller
) -> None:
    assert get_settings().user_cache_seconds == 0
    _delete_user(alice.id)
    assert_error(client.get("/api/users/me", headers=alice.headers), 401, "INVALID_TOKEN")


def _token_of(client: TestClient, email: str, password: str) -> dict[str, str]:
    r = client.post("/api/auth/token", data={"username": email, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _me(client: TestClient, headers: dict[str, str]) -> Any:
    return client.get("/api/users/me", headers=headers)


def test_logout_revokes_every_token_issued_before(client: TestClient, alice: Caller) -> None:
    other_session = _token_of(client, "alice@example.com", "password-123")
    assert _me(client, other_session).status_code == 200
    response = client.post("/api/auth/logout", headers=alice.headers)
    assert response.status_code == 204 and response.content == b""
    for headers in (alice.headers, other_session):
        refused = _me(client, headers)
        assert_error(refused, 401, "TOKEN_REVOKED")
        assert refused.headers["www-authenticate"] == "Bearer"
    assert_error(client.post("/api/auth/logout", headers=alice.headers), 401, "TOKEN_REVOKED")
    again = _token_of(client, "alice@example.com", "password-123")  # signing in again works
    assert _me(client, again).json()["email"] == "alice@example.com"


def test_logout_counts_at_once_even_with_the_user_cache_on(
    client: TestClient, alice: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "user_cache_seconds", 60.0)  # opted in
    assert _me(client, alice.headers).status_code == 200  # the row is cached now
    assert client.post("/api/auth/logout", headers=alice.headers).status_code == 204
    assert_error(_me(client, alice.headers), 401, "TOKEN_REVOKED")


def test_a_password_change_revokes_earlier_tokens_and_returns_a_working_one(
    client: TestClient, alice: Caller
) -> None:
    other_session = _token_of(client, "alice@example.com", "password-123")
    body = {"current_password": "password-123", "new_password": "a new password"}
    response = client.post("/api/auth/password", json=body, headers=alice.headers)
    assert response.status_code == 200, response.text
    token = response.json()
    assert token["token_type"] == "bearer"
    assert token["expires_in"] == get_settings().access_token_minutes * 60
    fresh = {"Authorization": f"Bearer {token['access_token']}"}
    assert _me(client, fresh).json()["id"] == str(alice.id)
    for headers in (alice.headers, other_session):
        assert_error(_me(client, headers), 401, "TOKEN_REVOKED")
    assert_error(client.post("/api/auth/token", data={
        "username": "alice@example.com", "password": "password-123"}), 401, "INVALID_CREDENTIALS")
    assert _me(client, _token_of(client, "alice@example.com", "a new password")).status_code == 200


def test_a_wrong_current_password_is_403_and_counts_as_a_failed_sign_in(
    client: TestClient, alice: Caller
) -> None:
    body = {"current_password": "guess-123", "new_password": "a new password"}
    for _ in range(get_settings().login_max_failures):
        assert_error(client.post("/api/auth/password", json=body, headers=alice.headers), 403,
                     "WRONG_PASSWORD")
    refused = client.post("/api/auth/password", json=body, headers=alice.headers)
    assert_error(refused, 429, "TOO_MANY_LOGIN_ATTEMPTS")
    assert "Retry-After" in refused.headers
    assert _me(client, alice.headers).status_code == 200  # still signed in, password unchanged
    assert_error(client.post("/api/auth/token", data={
        "username": "alice@example.com", "password": "password-123"}), 429)  # same account+address
