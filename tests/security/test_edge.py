"""The app's edge: odd paths, docs and /metrics per environment, HSTS, trusted proxies."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import Request
from fastapi.testclient import TestClient

from core.db import reset_singletons
from core.settings import Settings
from query_api.service import ui
from query_api.service.app import create_app

INDEX = "<!doctype html><title>Booking ledger</title><div id=root></div>"
ODD_PATHS = ("/%00", "/a%00b", "/%00/x", "/..%2f", "/..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/x",
             "/%ff", "/%c0%ae%c0%ae/", "/" + "a" * 5000, "/" + "a/" * 2000, "/.", "/x/%00.js")
SECRET = "edge-secret-key-of-at-least-32-bytes"
MakeClient = Callable[..., TestClient]


@pytest.fixture
def make_client(
    sqlite_settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[MakeClient]:
    """A started app for these settings (environment variables) and this TCP peer; the one made
    before it stops."""
    monkeypatch.setattr(ui, "DIST", tmp_path / "not-built")
    clients: list[TestClient] = []

    def make(peer: str = "testclient", base_url: str = "http://testserver",
             **env: str) -> TestClient:
        # The app made before stops first (its schedulers' threads with it): one live app at a
        # time. Resetting the engine under a live app's threads once crashed the process
        # (a segmentation fault in SQLite's connect, in one of those threads).
        while clients:
            clients.pop().__exit__(None, None, None)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        reset_singletons()
        app = create_app()

        @app.get("/peer")
        def peer_seen(request: Request) -> dict[str, str]:
            assert request.client is not None
            return {"host": request.client.host, "scheme": request.url.scheme}

        client = TestClient(app, base_url=base_url, client=(peer, 40000))
        clients.append(client.__enter__())
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(INDEX)
    (dist / "assets" / "app-1.js").write_text("console.log('ui')")
    (dist / "robots.txt").write_text("User-agent: *")
    (tmp_path / "outside.txt").write_text("not for you")
    return dist


def test_a_nul_byte_path_is_served_the_index(
    sqlite_settings: Settings, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ui, "DIST", built)
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        response = client.get("/%00")
        assert response.status_code == 200 and response.text == INDEX
        for path in ODD_PATHS:
            response = client.get(path)
            assert response.status_code == 200 and response.text == INDEX, path
        assert client.get("/robots.txt").text == "User-agent: *"
        assert "not for you" not in client.get("/..%2foutside.txt").text


def test_without_a_build_odd_paths_are_a_json_404(sqlite_settings: Settings,
                                                   make_client: MakeClient) -> None:
    client = make_client()
    for path in ODD_PATHS:
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "NOT_FOUND", path


def test_docs_and_metrics_are_off_in_production_unless_enabled(make_client: MakeClient) -> None:
    client = make_client(ENVIRONMENT="production", SECRET_KEY=SECRET)
    for path in ("/docs", "/redoc", "/openapi.json", "/metrics"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "NOT_FOUND"
    assert client.get("/api/health").status_code == 200
    # The SDK generator reads the document from the app, without a server.
    assert "/api/events" in client.app.openapi()["paths"]  # type: ignore[attr-defined]
    docs = make_client(ENVIRONMENT="production", SECRET_KEY=SECRET, API_DOCS="on")
    assert docs.get("/docs").status_code == docs.get("/openapi.json").status_code == 200


def test_docs_and_metrics_are_on_in_development(make_client: MakeClient) -> None:
    client = make_client(ENVIRONMENT="development", SECRET_KEY=SECRET)
    for path in ("/docs", "/redoc", "/openapi.json", "/metrics"):
        assert client.get(path).status_code == 200, path
    off = make_client(ENVIRONMENT="development", SECRET_KEY=SECRET, API_DOCS="off", METRICS="off")
    for path in ("/docs", "/redoc", "/openapi.json", "/metrics"):
        assert off.get(path).status_code == 404, path


def test_metrics_behind_a_token(make_client: MakeClient) -> None:
    client = make_client(ENVIRONMENT="production", SECRET_KEY=SECRET, METRICS_TOKEN="scrape-me")
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "scrape-me"}):
        refused = client.get("/metrics", headers=headers)
        assert refused.status_code == 401, headers
        assert refused.json()["code"] == "INVALID_METRICS_TOKEN"
        assert refused.headers["www-authenticate"] == "Bearer"
    scraped = client.get("/metrics", headers={"Authorization": "Bearer scrape-me"})
    assert scraped.status_code == 200 and "ledger_" in scraped.text
    assert client.get("/docs").status_code == 404


def test_hsts_only_over_https(make_client: MakeClient) -> None:
    plain = make_client()
    assert "strict-transport-security" not in plain.get("/api/health").headers
    secure = make_client(base_url="https://testserver")
    for path in ("/api/health", "/api/nope", "/docs"):
        hsts = secure.get(path).headers["strict-transport-security"]
        assert hsts == "max-age=31536000; includeSubDomains", path
    off = make_client(base_url="https://testserver", HSTS_SECONDS="0")
    assert "strict-transport-security" not in off.get("/api/health").headers


def test_forwarded_headers_are_ignored_without_trusted_proxies(make_client: MakeClient) -> None:
    client = make_client(peer="203.0.113.7")
    forged = {"X-Forwarded-For": "198.51.100.1", "X-Forwarded-Proto": "https"}
    response = client.get("/peer", headers=forged)
    assert response.json() == {"host": "203.0.113.7", "scheme": "http"}
    assert "strict-transport-security" not in response.headers


def test_a_trusted_proxy_gives_the_real_client_and_scheme(make_client: MakeClient) -> None:
    trusted = '["10.0.0.0/8", "192.0.2.1"]'
    forwarded = {"X-Forwarded-For": "198.51.100.1", "X-Forwarded-Proto": "https"}
    proxy = make_client(peer="10.1.2.3", TRUSTED_PROXIES=trusted)
    response = proxy.get("/peer", headers=forwarded)
    assert response.json() == {"host": "198.51.100.1", "scheme": "https"}
    assert "max-age" in response.headers["strict-transport-security"]
    # A client's own X-Forwarded-For is kept by the proxy on the left: the rightmost untrusted wins.
    chain = {"X-Forwarded-For": "6.6.6.6, 198.51.100.1, 10.0.0.9"}
    assert proxy.get("/peer", headers=chain).json()["host"] == "198.51.100.1"
    stranger = make_client(peer="203.0.113.7", TRUSTED_PROXIES=trusted)
    assert stranger.get("/peer", headers=forwarded).json() == {
        "host": "203.0.113.7", "scheme": "http"}


def test_a_malformed_trusted_proxy_is_refused(make_client: MakeClient) -> None:
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        make_client(TRUSTED_PROXIES='["proxy.internal"]')


@pytest.mark.parametrize("everyone", [
    '["*"]', '["0.0.0.0/0"]', '["::/0"]', '["10.0.0.1", "0.0.0.0/1", "128.0.0.0/1"]',
    '["::ffff:0:0/96"]',  # every IPv4 client of a dual-stack listener
])
def test_trusting_every_peer_as_a_proxy_is_refused_at_startup(
    make_client: MakeClient, everyone: str
) -> None:
    with pytest.raises(ValueError, match=r"TRUSTED_PROXIES: .* every client name its own"):
        make_client(TRUSTED_PROXIES=everyone)


def test_a_network_with_host_bits_is_refused_not_silently_never_matched(
    make_client: MakeClient,
) -> None:
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        make_client(TRUSTED_PROXIES='["10.0.0.1/8"]')
