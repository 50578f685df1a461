"""Live streams (SSE) per client: an IPv6 subscriber's /64 is one client, as for sign-in."""

from collections.abc import Iterator
from contextlib import ExitStack

import httpx
import pytest

from core.db import reset_singletons
from core.settings import Settings
from query_api.routes.queries import live
from tests.fixtures.api import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.query_api.live.test_live import Server, make_event

PROXY = "127.0.0.1"  # the test's own peer, trusted: X-Forwarded-For then names the client


@pytest.fixture
def server(sqlite_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """An embedded server behind a trusted proxy, allowing 10 streams per client."""
    monkeypatch.setattr(live, "HEARTBEAT_SECONDS", 0.2)  # streams notice a hang-up promptly
    for key, value in {"ADMIN_EMAIL": ADMIN_EMAIL, "ADMIN_PASSWORD": ADMIN_PASSWORD,
                       "SECRET_KEY": "test-secret-key-of-at-least-32-bytes",
                       "TRUSTED_PROXIES": f'["{PROXY}"]', "SSE_MAX_PER_CLIENT": "10"}.items():
        monkeypatch.setenv(key, value)
    reset_singletons()
    running = Server()
    yield running
    running.stop()


def _open(streams: ExitStack, http: httpx.Client, path: str, client: str) -> tuple[int, str]:
    """Open a stream as `client` and keep it open; its status and error code."""
    response = streams.enter_context(
        http.stream("GET", path, headers={"X-Forwarded-For": client}))
    if response.status_code == 200:
        return 200, ""
    response.read()
    return response.status_code, response.json()["code"]


def test_streams_from_one_ipv6_64_count_as_one_client(server: Server) -> None:
    event = make_event(server)
    path = f"/api/events/{event['id']}/availability/stream"
    with ExitStack() as streams, httpx.Client(base_url=server.url, timeout=10) as http:
        answers = [_open(streams, http, path, f"2001:db8:1:2::{i:x}") for i in range(1, 12)]
        assert answers == [(200, "")] * 10 + [(429, "TOO_MANY_STREAMS")], answers
        # Another subscriber's /64 has its own 10.
        assert _open(streams, http, path, "2001:db8:1:3::1") == (200, "")
