"""When the database cannot be reached every route answers 503 STORE_UNAVAILABLE, not 500."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from fastapi.testclient import TestClient

from core.db import reset_singletons
from core.settings import get_settings
from query_api.service.app import create_app
from tests.conftest import configure
from tests.fixtures.api import assert_error

UNKNOWN = "7c9e6679-7425-40de-944b-e07fc1f90ae7"


@pytest.fixture
def down(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The app pointed at a PostgreSQL port where nothing listens (no lifespan: no admin)."""
    configure(
        monkeypatch,
        DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:9/nowhere",
        SECRET_KEY="test-secret-key-of-at-least-32-bytes",
    )
    yield TestClient(create_app())
    reset_singletons()


def test_health_is_503_and_says_the_database_is_down(down: TestClient) -> None:
    response = down.get("/api/health")
    assert response.status_code == 503
    assert response.json()["database"] == "down" and response.json()["status"] == "degraded"


def test_reads_and_accounts_are_503(down: TestClient) -> None:
    for method, path, kw in (
        ("GET", "/api/events", {}),
        ("GET", f"/api/events/{UNKNOWN}", {}),
        (
            "POST",
            "/api/auth/signup",
            {"json": {"email": "a@example.com", "password": "password-123", "name": "A"}},
        ),
        (
            "POST",
            "/api/auth/token",
            {"data": {"username": "a@example.com", "password": "password-123"}},
        ),
    ):
        assert_error(down.request(method, path, **kw), 503, "STORE_UNAVAILABLE")


def test_signed_in_commands_are_503(down: TestClient) -> None:
    now = datetime.now(UTC)
    token = jwt.encode(
        {"sub": UNKNOWN, "role": "admin", "iat": now, "exp": now + timedelta(minutes=5)},
        get_settings().secret_key,
        algorithm="HS256",
    )
    response = down.post(
        f"/api/events/{UNKNOWN}/book",
        json={"quantity": 1},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert_error(response, 503, "STORE_UNAVAILABLE")
