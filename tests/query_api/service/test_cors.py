"""CORS: only the configured origins may call from a browser; they see the position and the
server's time."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from core.db import reset_singletons
from core.settings import Settings
from query_api.service.app import create_app

ORIGIN = "http://localhost:5173"


@pytest.fixture
def cors_client(
    sqlite_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[TestClient]:
    monkeypatch.setenv("CORS_ORIGINS", f'["{ORIGIN}"]')
    reset_singletons()
    with TestClient(create_app()) as client:
        yield client


def test_configured_origin_is_allowed(cors_client: TestClient) -> None:
    preflight = cors_client.options(
        "/api/events",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type,idempotency-key",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    response = cors_client.get("/api/events", headers={"Origin": ORIGIN})
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert "X-Projection-Position" in response.headers["access-control-expose-headers"]
    exposed = response.headers["access-control-expose-headers"]
    assert "Date" in exposed and "X-Server-Time" in exposed  # the UI's server clock


def test_other_origins_get_no_cors_headers(cors_client: TestClient) -> None:
    response = cors_client.get("/api/events", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers


def test_no_cors_without_configured_origins(client: TestClient) -> None:
    response = client.get("/api/events", headers={"Origin": ORIGIN})
    assert "access-control-allow-origin" not in response.headers
