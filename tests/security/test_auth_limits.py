"""Sign-in and sign-up limits: spraying, bursts, floods from many addresses, hashing at once.

Each limit is counted before any password is checked, in one atomic step, so concurrent
requests cannot all slip past a check made before the count goes up.
"""

import asyncio
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from core.db import reset_singletons, session_scope
from core.settings import Settings
from query_api.auth import credentials, user_accounts
from query_api.auth.rate_limits import AuthLimiter, client_key
from query_api.service.app import create_app
from query_api.service.errors import ApiError
from tests.conftest import IN_CI, REDIS_URL, configure
from tests.fixtures.api import assert_error

pytestmark = pytest.mark.serial

App = Callable[..., TestClient]


@pytest.fixture
def app_with(sqlite_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    """A started app on a fresh embedded system, with the given settings (limits high unless)."""
    started: list[TestClient] = []

    def make(**env: str) -> TestClient:
        # A long wait for a hashing turn: on a loaded machine the bursts below would otherwise
        # see 503 AUTH_BUSY, which is not what they count.
        defaults = {"AUTH_RATE_PER_IP": "100000/minute", "SIGNUP_RATE_PER_IP": "100000/minute",
                    "AUTH_HASH_WAIT_SECONDS": "60",
                    "SECRET_KEY": "test-secret-key-of-at-least-32-bytes"}
        for key, value in (defaults | env).items():
            monkeypatch.setenv(key, value)
        reset_singletons()
        client = TestClient(create_app())
        started.append(client.__enter__())
        return client

    yield make
    for client in started:
        client.__exit__(None, None, None)


def _login(client: TestClient, email: str, password: str = "guess-123") -> Any:  # noqa: S107 - a guess
    return client.post("/api/auth/token", data={"username": email, "password": password})


def _accounts(*emails: str) -> None:
    with session_scope() as session:
        for email in emails:
            user_accounts.create_user(session, email=email, password="password-123", name="X",
                                 phone=None, role="customer")


def _from(client: TestClient, address: str) -> TestClient:
    """The same app, called from another client address."""
    return TestClient(client.app, client=(address, 50000))


def test_spraying_one_password_over_many_accounts_is_stopped_per_address(app_with: App) -> None:
    client = app_with(AUTH_RATE_PER_IP="10/minute")
    emails = [f"user{i}@example.com" for i in range(14)]
    _accounts(*emails[:4])
    answers = [_login(client, email) for email in emails[:10]]
    assert [a.status_code for a in answers] == [401] * 10  # each account missed once only
    refused = _login(client, emails[10])
    assert_error(refused, 429, "TOO_MANY_AUTH_REQUESTS")
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    # Counted before the password: the right one waits too (a hit is not told from a miss).
    assert_error(_login(client, emails[0], "password-123"), 429, "TOO_MANY_AUTH_REQUESTS")
    assert _login(_from(client, "198.51.100.7"), emails[0], "password-123").status_code == 200


def test_behind_a_trusted_proxy_each_client_is_counted_apart(app_with: App) -> None:
    client = app_with(AUTH_RATE_PER_IP="3/minute", TRUSTED_PROXIES='["10.0.0.1"]')
    proxy, stranger = _from(client, "10.0.0.1"), _from(client, "203.0.113.5")

    def via(c: TestClient, forwarded_for: str) -> int:
        return int(c.post("/api/auth/token", headers={"X-Forwarded-For": forwarded_for},
                          data={"username": "u@example.com", "password": "guess-123"}).status_code)

    assert [via(proxy, "198.51.100.1") for _ in range(4)] == [401, 401, 401, 429]
    assert via(proxy, "198.51.100.2") == 401  # another client behind the same proxy
    # Anyone else's X-Forwarded-For is ignored: a fresh header per guess gains nothing.
    assert [via(stranger, f"192.0.2.{i}") for i in range(4)] == [401, 401, 401, 429]


def _burst(client: TestClient, emails: list[str]) -> list[Any]:
    """Every login at once (released together), from one address; their answers."""
    start = threading.Barrier(len(emails))

    def one(email: str) -> Any:
        start.wait()
        return _login(client, email)

    with ThreadPoolExecutor(len(emails)) as pool:
        return list(pool.map(one, emails))


def _statuses(answers: list[Any]) -> list[int]:
    return sorted(int(a.status_code) for a in answers)


def test_a_concurrent_burst_on_one_account_gets_no_more_guesses_than_the_limit(
    app_with: App,
) -> None:
    client = app_with(LOGIN_MAX_FAILURES="5")
    _accounts("alice@example.com")
    statuses = _statuses(_burst(client, ["alice@example.com"] * 30))
    assert statuses == [401] * 5 + [429] * 25, statuses


def test_a_concurrent_burst_from_one_address_gets_no_more_than_its_limit(app_with: App) -> None:
    client = app_with(AUTH_RATE_PER_IP="8/minute")
    statuses = _statuses(_burst(client, [f"u{i}@example.com" for i in range(30)]))
    assert statuses == [401] * 8 + [429] * 22, statuses


async def _fail_logins(app: Any, address: str, email: str, times: int) -> list[int]:
    """`times` wrong passwords for `email` from `address`, one after another; their statuses."""
    transport = httpx.ASGITransport(app=app, client=(address, 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        return [(await http.post("/api/auth/token",
                                 data={"username": email, "password": "guess-123"})).status_code
                for _ in range(times)]


def test_no_number_of_addresses_locks_an_innocent_user_out_of_sign_in(app_with: App) -> None:
    # The shipped per-address windows; a loopback or one IPv6 /56 offers this many addresses.
    client = app_with(AUTH_RATE_PER_IP=Settings.model_fields["auth_rate_per_ip"].default)
    _accounts("victim@example.com")
    for i in range(2, 24):
        statuses = asyncio.run(_fail_logins(client.app, f"127.0.0.{i}", "victim@example.com", 65))
        assert set(statuses) <= {401, 429} and statuses.count(401) <= 5, (i, statuses)
    innocent = _login(_from(client, "127.0.0.24"), "victim@example.com", "password-123")
    assert innocent.status_code == 200, innocent.text


def test_signups_are_limited_per_address_taken_emails_included(app_with: App) -> None:
    client = app_with(SIGNUP_RATE_PER_IP="3/hour")

    def signup(c: TestClient, email: str) -> Any:
        return c.post("/api/auth/signup",
                      json={"email": email, "password": "password-123", "name": "S"})

    assert signup(client, "a@example.com").status_code == 201
    assert signup(client, "b@example.com").status_code == 201
    assert_error(signup(client, "a@example.com"), 409, "EMAIL_TAKEN")
    refused = signup(client, "c@example.com")
    assert_error(refused, 429, "TOO_MANY_SIGNUPS")
    assert 3000 < int(refused.headers["Retry-After"]) <= 3600
    assert_error(signup(client, "a@example.com"), 429)  # probing for accounts waits as well
    assert signup(_from(client, "198.51.100.7"), "c@example.com").status_code == 201


class CountingHash(PasswordHash):
    """The recommended argon2id (64 MiB), counting the hashes running at once."""

    def __init__(self) -> None:
        super().__init__((Argon2Hasher(),))
        self._guard = threading.Lock()
        self.running = self.peak = self.hashes = 0

    def _enter(self) -> None:
        with self._guard:
            self.running += 1
            self.hashes += 1
            self.peak = max(self.peak, self.running)

    def _leave(self) -> None:
        with self._guard:
            self.running -= 1

    def verify(self, password: str | bytes, hash: str | bytes) -> bool:  # noqa: A002 - pwdlib's name
        self._enter()
        try:
            return super().verify(password, hash)
        finally:
            self._leave()

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        self._enter()
        try:
            return super().hash(password, salt=salt)
        finally:
            self._leave()


@pytest.fixture
def real_hashing(monkeypatch: pytest.MonkeyPatch) -> CountingHash:
    hasher = CountingHash()
    monkeypatch.setattr(credentials, "_hasher", hasher)
    return hasher


def test_password_hashes_at_once_are_capped_and_the_rest_get_503(
    app_with: App, real_hashing: CountingHash
) -> None:
    client = app_with(AUTH_HASH_CONCURRENCY="1", AUTH_HASH_WAIT_SECONDS="0.05")
    answers = _burst(client, [f"u{i}@example.com" for i in range(6)])
    assert real_hashing.peak == 1, real_hashing.peak
    statuses = _statuses(answers)
    assert 503 in statuses and set(statuses) <= {401, 503}, statuses
    busy = next(a for a in answers if a.status_code == 503)
    assert_error(busy, 503, "AUTH_BUSY")
    assert busy.headers["Retry-After"] == "1"


def test_a_taken_email_is_told_only_after_hashing_as_a_new_one_is(
    app_with: App, real_hashing: CountingHash
) -> None:
    client = app_with()
    body = {"email": "ann@example.com", "password": "password-123", "name": "Ann"}
    assert client.post("/api/auth/signup", json=body).status_code == 201
    before = real_hashing.hashes
    assert_error(client.post("/api/auth/signup", json=body), 409, "EMAIL_TAKEN")
    assert real_hashing.hashes == before + 1


def test_addresses_are_counted_per_ipv6_subscriber() -> None:
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:bbbb::2")
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("::ffff:198.51.100.7") == client_key("198.51.100.7") == "198.51.100.7"
    assert client_key("testclient") == "testclient"


def _limiter_settings(monkeypatch: pytest.MonkeyPatch, broker: str) -> Settings:
    return configure(monkeypatch, CELERY_BROKER_URL=broker,
                     CELERY_NAMESPACE=f"rl{uuid.uuid4().hex[:8]}",
                     AUTH_RATE_PER_IP="12/minute")


def test_with_redis_processes_share_the_windows_and_bursts_get_no_more(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import redis  # noqa: PLC0415

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if IN_CI:
            pytest.fail(f"Redis at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis at {REDIS_URL}: {exc}")
    settings = _limiter_settings(monkeypatch, f"{REDIS_URL}/0")
    processes = [AuthLimiter(settings), AuthLimiter(settings)]
    start = threading.Barrier(40)

    def one(i: int) -> bool:
        start.wait()
        try:
            processes[i % 2].request("10.0.0.1")
        except ApiError:
            return False
        return True

    try:
        with ThreadPoolExecutor(40) as pool:
            assert sum(pool.map(one, range(40))) == 12
        processes[0].request("10.0.0.2")  # another address has its own window
    finally:
        for limiter in processes:
            limiter.close()


def test_while_redis_is_unreachable_each_process_still_limits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    limiter = AuthLimiter(_limiter_settings(monkeypatch, "redis://127.0.0.1:9/0"))
    try:
        for _ in range(12):
            limiter.request("10.0.0.1")
        with pytest.raises(ApiError) as refused:
            limiter.request("10.0.0.1")
        assert refused.value.status == 429 and refused.value.code == "TOO_MANY_AUTH_REQUESTS"
    finally:
        limiter.close()


class GatedHash(PasswordHash):
    """A cheap argon2 that takes `seconds` per check, and holds a check of `BLOCK` until let go."""

    BLOCK = "block-the-slot"

    def __init__(self, seconds: float = 0.0) -> None:
        super().__init__((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))
        self.seconds = seconds
        self.gate = threading.Event()

    def verify(self, password: str | bytes, hash: str | bytes) -> bool:  # noqa: A002 - pwdlib's name
        if password == self.BLOCK:
            self.gate.wait(30)
        threading.Event().wait(self.seconds)
        return super().verify(password, hash)


def _gated(monkeypatch: pytest.MonkeyPatch, seconds: float = 0.0) -> GatedHash:
    hasher = GatedHash(seconds)
    monkeypatch.setattr(credentials, "_hasher", hasher)
    return hasher


async def _sign_in(app: Any, address: str, email: str, password: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, client=(address, 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        return await http.post("/api/auth/token", data={"username": email, "password": password})


def test_a_flood_of_wrong_passwords_from_other_addresses_does_not_starve_a_sign_in(
    app_with: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    _gated(monkeypatch, seconds=0.1)  # one check at a time, each a tenth of a second
    client = app_with(AUTH_HASH_CONCURRENCY="1", AUTH_HASH_WAIT_SECONDS="3",
                      LOGIN_MAX_FAILURES="1000")
    flooders = range(1, 9)
    _accounts("honest@example.com", *(f"x{a}@example.com" for a in flooders))

    async def scenario() -> tuple[httpx.Response, list[httpx.Response]]:
        flood = [asyncio.create_task(_sign_in(client.app, f"203.0.113.{a}",
                                              f"x{a}@example.com", "guess-123"))
                 for a in flooders for _ in range(12)]  # a queue far longer than the wait
        await asyncio.sleep(0.3)  # all of it waiting for its turn
        honest = await _sign_in(client.app, "198.51.100.20", "honest@example.com",
                                "password-123")
        return honest, list(await asyncio.gather(*flood))

    honest, flooded = asyncio.run(scenario())
    assert honest.status_code == 200, honest.text
    assert {r.status_code for r in flooded} <= {401, 503}


def test_a_sign_in_told_auth_busy_is_not_counted_as_a_failure(
    app_with: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    hasher = _gated(monkeypatch)
    client = app_with(AUTH_HASH_CONCURRENCY="1", AUTH_HASH_WAIT_SECONDS="0.05",
                      LOGIN_MAX_FAILURES="2")
    _accounts("honest@example.com")

    async def scenario() -> tuple[list[int], httpx.Response]:
        blocker = asyncio.create_task(_sign_in(client.app, "203.0.113.1", "x@example.com",
                                               GatedHash.BLOCK))
        await asyncio.sleep(0.3)  # the one hashing slot is taken
        busy = [(await _sign_in(client.app, "198.51.100.20", "honest@example.com",
                                "password-123")).status_code for _ in range(4)]
        hasher.gate.set()
        await blocker
        return busy, await _sign_in(client.app, "198.51.100.20", "honest@example.com",
                                    "password-123")

    busy, after = asyncio.run(scenario())
    assert busy == [503] * 4
    assert after.status_code == 200, after.text
