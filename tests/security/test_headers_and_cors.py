"""Security headers on every answer; CORS for the configured origins only."""

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from core.db import reset_singletons
from core.settings import Settings
from query_api.service.app import create_app
from tests.fixtures.api import Caller

ORIGIN = "http://localhost:5173"
UNKNOWN = "7c9e6679-7425-40de-944b-e07fc1f90ae7"


def _policy(csp: str) -> dict[str, list[str]]:
    parts = (p.split() for p in csp.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


def _assert_common(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


def test_api_answers_carry_the_security_headers(client: TestClient, alice: Caller) -> None:
    for response in (
        client.get("/api/events"),
        client.get(f"/api/events/{UNKNOWN}"),  # an error
        client.get("/api/users/me"),  # 401
        client.get("/api/nowhere"),  # unknown route
        client.post("/api/events", headers=alice.headers, json={"name": "x"}),  # 403
        client.post("/api/auth/signup", content=b"x" * 2_000_000,
                    headers={"content-type": "application/json"}),  # 413
        client.get("/openapi.json"),
    ):
        _assert_common(response)
        policy = _policy(response.headers["content-security-policy"])
        assert policy["default-src"] == ["'none'"], response.request.url
    # Private answers are never stored by a shared cache.
    assert client.get("/api/users/me", headers=alice.headers).headers["cache-control"] == "no-store"


def test_swagger_ui_still_works_under_its_policy(client: TestClient) -> None:
    """Every script and style /docs loads, and its inline script, are allowed by its CSP."""
    page = client.get("/docs")
    assert page.status_code == 200
    _assert_common(page)
    policy = _policy(page.headers["content-security-policy"])
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', page.text)
    styles = re.findall(r'<link[^>]+href="([^"]+\.css)"', page.text)
    icons = re.findall(r'<link[^>]+rel="shortcut icon"[^>]+href="([^"]+)"', page.text)
    assert scripts and styles
    for url, directive in ([(s, "script-src") for s in scripts] + [(s, "style-src") for s in styles]
                           + [(i, "img-src") for i in icons]):
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
        assert origin in policy[directive] or ("'self'" in policy[directive] and
                                               url.startswith("/")), (url, directive)
    if re.search(r"<script>\s*\S", page.text):  # Swagger UI starts itself inline
        assert "'unsafe-inline'" in policy["script-src"]
    assert "'self'" in policy["connect-src"]  # the UI fetches /openapi.json and calls the API


def test_redoc_loads_under_the_same_policy(client: TestClient) -> None:
    page = client.get("/redoc")
    assert page.status_code == 200
    policy = _policy(page.headers["content-security-policy"])
    for url in re.findall(r'(?:src|href)="(https://[^"]+)"', page.text):
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
        allowed = policy["script-src"] + policy["style-src"] + policy["img-src"]
        assert origin in allowed, url
    assert "https://fonts.gstatic.com" in policy["font-src"]
    assert "blob:" in policy["worker-src"]


@pytest.fixture
def cors_client(sqlite_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("CORS_ORIGINS", f'["{ORIGIN}"]')
    reset_singletons()
    with TestClient(create_app()) as test_client:
        yield test_client


@pytest.mark.parametrize("origin", ["https://evil.example", "null", "http://localhost:5174",
                                    "http://localhost:5173.evil.example", "HTTP://LOCALHOST:5173x"])
def test_preflight_from_other_origins_is_refused(cors_client: TestClient, origin: str) -> None:
    preflight = cors_client.options("/api/events/x/book", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type"})
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
    simple = cors_client.get("/api/events", headers={"Origin": origin})
    assert "access-control-allow-origin" not in simple.headers


def test_the_allowed_origin_gets_no_wildcard_nor_credentials(cors_client: TestClient) -> None:
    response = cors_client.get("/api/events", headers={"Origin": ORIGIN})
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert "access-control-allow-credentials" not in response.headers  # bearer tokens, no cookies
    assert "origin" in response.headers.get("vary", "").lower()
    _assert_common(response)
