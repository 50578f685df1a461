"""API fixtures: a fresh embedded system per test, its app, and signed-in callers."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from core.db import reset_singletons
from core.settings import Settings
from query_api import security
from query_api.app import create_app
from tests.distributed import distributed_stack  # noqa: F401 - a fixture

ADMIN_EMAIL, ADMIN_PASSWORD = "admin@example.com", "admin-secret-1"


@dataclass(frozen=True)
class Caller:
    """A signed-in user: who, and the headers that prove it."""

    id: UUID
    email: str
    headers: dict[str, str]


def future(days: float = 30) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at its recommended cost takes ~0.2 s a hash; the algorithm is the same."""
    monkeypatch.setattr(
        security,
        "_hasher",
        PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),)),
    )


class ReadYourWritesClient(TestClient):
    """Like the SDK and the UI: remember the last command position, read at least that far."""

    last_position = 0

    def request(self, method: str, url: Any, **kwargs: Any) -> Any:
        if method.upper() == "GET" and self.last_position:
            params = dict(kwargs.pop("params", None) or {})
            params.setdefault("min_position", self.last_position)
            kwargs["params"] = params
        response = super().request(method, url, **kwargs)
        if response.headers.get("x-position"):
            self.last_position = max(self.last_position, int(response.headers["x-position"]))
        return response


@pytest.fixture(params=["embedded", "distributed"])
def backend(request: pytest.FixtureRequest) -> Iterator[Settings]:
    """The same API suite twice: embedded (SQLite, eager) and PostgreSQL + Redis + a worker."""
    if request.param == "embedded":
        yield request.getfixturevalue("sqlite_settings")
        return
    stack = request.getfixturevalue("distributed_stack")
    with stack.isolated(request.getfixturevalue("monkeypatch")) as settings:
        yield settings


@pytest.fixture
def client(backend: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The app on a fresh system, started (lifespan ran: the first admin exists)."""
    monkeypatch.setenv("ADMIN_EMAIL", ADMIN_EMAIL)
    monkeypatch.setenv("ADMIN_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-of-at-least-32-bytes")
    # The suite signs users up and in from one address far faster than people do, and the
    # distributed runs count in one Redis for the whole session: the limits' own tests
    # (tests/security/test_auth_limits.py) set theirs.
    for rate in ("AUTH_RATE_PER_IP", "AUTH_RATE_GLOBAL", "SIGNUP_RATE_PER_IP"):
        monkeypatch.setenv(rate, "100000/minute")
    reset_singletons()
    with ReadYourWritesClient(create_app()) as test_client:
        yield test_client


def login(client: TestClient, email: str, password: str) -> Caller:
    response = client.post("/api/auth/token", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
    me = client.get("/api/users/me", headers=headers).json()
    return Caller(UUID(me["id"]), me["email"], headers)


@pytest.fixture
def admin(client: TestClient) -> Caller:
    return login(client, ADMIN_EMAIL, ADMIN_PASSWORD)


@pytest.fixture
def signup(client: TestClient) -> Callable[[str], Caller]:
    """Sign a new customer up and in."""

    def make(name: str) -> Caller:
        email = f"{name.lower()}@example.com"
        body = {"email": email, "password": "password-123", "name": name}
        assert client.post("/api/auth/signup", json=body).status_code == 201
        return login(client, email, "password-123")

    return make


@pytest.fixture
def alice(signup: Callable[[str], Caller]) -> Caller:
    return signup("Alice")


@pytest.fixture
def bob(signup: Callable[[str], Caller]) -> Caller:
    return signup("Bob")


@pytest.fixture
def auditor(client: TestClient, admin: Caller) -> Caller:
    body = {
        "email": "audra@example.com",
        "password": "password-123",
        "name": "Audra",
        "role": "auditor",
    }
    assert client.post("/api/users", json=body, headers=admin.headers).status_code == 201
    return login(client, "audra@example.com", "password-123")


@pytest.fixture
def make_event(client: TestClient, admin: Caller) -> Callable[..., dict[str, Any]]:
    """Create an event (5 seats at 10.00 unless told otherwise) and return its body."""

    def make(**fields: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "name": "Jazz night",
            "venue": "Blue Hall",
            "starts_at": future(),
            "total_seats": 5,
            "price": "10.00",
        }
        if "categories" in fields:
            body.pop("total_seats")
            body.pop("price")
        body.update(fields)
        response = client.post("/api/events", json=body, headers=admin.headers)
        assert response.status_code == 201, response.text
        return dict(response.json())

    return make


@pytest.fixture
def book(client: TestClient) -> Callable[..., Any]:
    """POST a booking for a caller; returns the raw response."""

    def post(who: Caller, event_id: str, quantity: int = 1, **extra: Any) -> Any:
        headers = who.headers | extra.pop("headers", {})
        body = {"quantity": quantity} | extra
        return client.post(f"/api/events/{event_id}/book", json=body, headers=headers)

    return post


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The status, and an error body with a stable code and a message."""
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body["code"], str) and body["code"]
    assert isinstance(body["message"], str) and body["message"]
    if code is not None:
        assert body["code"] == code, body
    return dict(body)
