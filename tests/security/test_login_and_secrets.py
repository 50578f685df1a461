"""Login guessing is rate-limited; passwords are never returned nor logged."""

import logging
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from core.settings import get_settings
from query_api.auth.rate_limits import AuthLimiter
from query_api.service.errors import ApiError
from tests.conftest import IN_CI, REDIS_URL, configure
from tests.fixtures.api import ADMIN_EMAIL, Caller, assert_error

SECRET = "Corr3ct-Horse-Battery-Staple!"


def _login(client: TestClient, email: str, password: str) -> Any:
    return client.post("/api/auth/token", data={"username": email, "password": password})


def test_guessing_a_password_is_stopped_with_429_and_retry_after(
    client: TestClient, alice: Caller
) -> None:
    limit = get_settings().login_max_failures
    for _ in range(limit):
        assert_error(_login(client, "alice@example.com", "guess-123"), 401,
                     "INVALID_CREDENTIALS")
    refused = _login(client, "alice@example.com", "guess-123")
    assert_error(refused, 429, "TOO_MANY_LOGIN_ATTEMPTS")
    retry_after = int(refused.headers["Retry-After"])
    assert 0 < retry_after <= get_settings().login_window_seconds
    # Even the right password waits: a guess that hits is not told apart from one that misses.
    assert_error(_login(client, "alice@example.com", "password-123"), 429,
                 "TOO_MANY_LOGIN_ATTEMPTS")
    # Other accounts are not locked out by someone guessing Alice's password.
    assert _login(client, ADMIN_EMAIL, "admin-secret-1").status_code == 200


def test_the_count_is_per_account_whatever_the_spelling(client: TestClient, alice: Caller) -> None:
    limit = get_settings().login_max_failures
    for i in range(limit):
        spelled = "ALICE@example.com" if i % 2 else " alice@Example.com "
        _login(client, spelled, "guess-123")
    assert_error(_login(client, "alice@example.com", "guess-123"), 429)


def test_unknown_accounts_are_limited_too(client: TestClient) -> None:
    limit = get_settings().login_max_failures
    for _ in range(limit):
        assert_error(_login(client, "nobody@example.com", "guess-123"), 401)
    assert_error(_login(client, "nobody@example.com", "guess-123"), 429)


def test_a_successful_login_clears_the_failures(client: TestClient, alice: Caller) -> None:
    limit = get_settings().login_max_failures
    for _ in range(limit - 1):
        _login(client, "alice@example.com", "guess-123")
    assert _login(client, "alice@example.com", "password-123").status_code == 200
    for _ in range(limit - 1):
        assert_error(_login(client, "alice@example.com", "guess-123"), 401)


@pytest.fixture
def redis_limiter(monkeypatch: pytest.MonkeyPatch) -> Callable[[], AuthLimiter]:
    """Limiters of separate API processes sharing one Redis (a namespace of this test's own)."""
    import redis  # noqa: PLC0415

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if IN_CI:
            pytest.fail(f"Redis at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis at {REDIS_URL}: {exc}")
    settings = configure(monkeypatch, CELERY_BROKER_URL=f"{REDIS_URL}/0",
                         CELERY_NAMESPACE=f"rl{uuid.uuid4().hex[:8]}", LOGIN_MAX_FAILURES="3",
                         LOGIN_WINDOW_SECONDS="60")
    return lambda: AuthLimiter(settings)


def test_with_redis_every_api_process_shares_the_count(
    redis_limiter: Callable[[], AuthLimiter],
) -> None:
    first, second = redis_limiter(), redis_limiter()
    try:
        for limiter in (first, second, first):  # each attempt counts until it succeeds
            limiter.attempt("ann@example.com", "10.0.0.1")
        for limiter in (first, second):
            with pytest.raises(ApiError, match="Too many") as refused:
                limiter.attempt("ann@example.com", "10.0.0.1")
            assert refused.value.status == 429 and refused.value.headers
            assert 0 < int(refused.value.headers["Retry-After"]) <= 60
        second.attempt("ann@example.com", "10.0.0.2")  # another address has its own count
        first.succeeded("ann@example.com", "10.0.0.1")
        second.attempt("ann@example.com", "10.0.0.1")
    finally:
        first.close()
        second.close()


def test_passwords_are_never_returned_nor_logged(
    client: TestClient, admin: Caller, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    responses = [
        client.post("/api/auth/signup", json={"email": "pw@example.com", "password": SECRET,
                                              "name": "Pw"}),
        client.post("/api/auth/signup", json={"email": "pw@example.com", "password": SECRET,
                                              "name": "Again"}),
        client.post("/api/auth/signup", json={"email": "bad", "password": SECRET, "name": ""}),
        client.post("/api/users", headers=admin.headers,
                    json={"email": "pw2@example.com", "password": SECRET, "name": "Pw2",
                          "role": "root"}),
        client.post("/api/users", headers=admin.headers,
                    json={"email": "pw3@example.com", "password": SECRET, "name": "Pw3"}),
        _login(client, "pw@example.com", SECRET),
        _login(client, "pw@example.com", SECRET + "x"),
        client.get("/api/users", headers=admin.headers),
    ]
    for response in responses:
        assert SECRET not in response.text, response.text
        assert "password_hash" not in response.text
        assert "argon2" not in response.text
    logged = "\n".join(r.getMessage() + str(r.args) + str(r.exc_text) for r in caplog.records)
    assert SECRET not in logged
    assert "argon2" not in logged
