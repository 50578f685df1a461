"""Every answer tells the server's clock to the millisecond, taken as it leaves (the web UI
counts deadlines down by it)."""

import asyncio
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from starlette.types import Receive, Scope, Send

from core.db import reset_singletons
from core.settings import Settings
from query_api.service.app import create_app
from query_api.service.middleware import ServerTime


@pytest.fixture
def app_client(sqlite_settings: Settings) -> Iterator[TestClient]:
    reset_singletons()
    with TestClient(create_app()) as client:
        yield client


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


@pytest.mark.parametrize("method, path, kwargs, status", [
    ("GET", "/api/events", {}, 200),
    ("GET", "/api/users/me", {}, 401),
    ("GET", "/api/nowhere", {}, 404),
    ("POST", "/api/auth/signup", {"content": b"x" * 2_000_000,
                                  "headers": {"content-type": "application/json"}}, 413),
    ("GET", "/api/health?checks=false", {}, 200),
])
def test_every_answer_carries_the_server_time_when_it_left(
    app_client: TestClient, method: str, path: str, kwargs: dict[str, object], status: int,
) -> None:
    before = _now_ms()
    response = app_client.request(method, path, **kwargs)  # type: ignore[arg-type]
    after = _now_ms()
    assert response.status_code == status
    assert response.headers.get_list("x-server-time") == [response.headers["x-server-time"]]
    assert before <= int(response.headers["x-server-time"]) <= after


def test_the_time_is_taken_as_the_answer_starts_not_as_the_request_came() -> None:
    async def slow_app(scope: Scope, receive: Receive, send: Send) -> None:
        await asyncio.sleep(0.2)
        await send({"type": "http.response.start", "status": 204, "headers": [(b"x-own", b"1")]})
        await send({"type": "http.response.body", "body": b""})

    client = TestClient(ServerTime(slow_app))  # no lifespan: the bare app answers HTTP only
    before = _now_ms()
    response = client.get("/")
    assert response.headers["x-own"] == "1"
    assert int(response.headers["x-server-time"]) >= before + 200
