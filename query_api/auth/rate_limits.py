"""Limits on /api/auth/*: per client address, sign-ups per address, failures per account+address.

Every request takes its place in the windows before any password is checked, and taking a
place is one atomic step of the `limits` library (a Lua script in Redis, a lock in memory): a
burst of concurrent requests cannot all pass a check made before the count goes up. A sign-in
counts as a failure of its account+address until it succeeds, which clears that count.

With a broker configured the windows live in Redis, so every API process shares them; without
one (the embedded default) they live in this process. While Redis cannot be reached, each
process counts on its own (the limits then hold per process, not in total) and tries Redis
again after a few seconds: sign-ins keep working, limited, during a Redis outage.

There is no count in total. A total is a budget anyone may spend: enough addresses (a loopback
or one IPv6 /56 has plenty), each within its own limit, would use it up and every sign-in, the
admin's too, would be refused until the window moves. What a flood costs the server in total
is the argon2 hashing, and that is bounded where it is spent
(query_api/auth/hash_turns.py: AUTH_HASH_CONCURRENCY at once per process, in turns shared
between addresses, then 503 AUTH_BUSY), so a sign-in that the limits of its address and account
allow is only ever shed while the machine is hashing at capacity for many addresses. A sign-in
shed so is not counted as a failure of its account: it is counted once its turn comes.
"""

import hashlib
import ipaddress
import logging
import math
import threading
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import TypeVar

import redis
from limits import RateLimitItem, RateLimitItemPerSecond, parse_many
from limits.errors import StorageError
from limits.storage import MemoryStorage, RedisStorage
from limits.strategies import MovingWindowRateLimiter

from core import error_codes as codes
from core.db import singleton
from core.error_codes import ErrorCode
from core.settings import Settings, get_settings
from query_api.service.errors import ApiError

log = logging.getLogger(__name__)
T = TypeVar("T")
REDIS_RETRY_SECONDS = 5.0


def client_key(address: str) -> str:
    """The unit an address is counted in: itself, or its /64 for IPv6 (one subscriber's)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address  # e.g. "testclient", or "unknown" without a peer
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _digest(*parts: str) -> str:
    # Hashed: the store's keys need not show who tried to sign in from where.
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _hit(item: RateLimitItem, ids: tuple[str, ...], limiter: MovingWindowRateLimiter) -> bool:
    return limiter.hit(item, *ids)


def _clear(item: RateLimitItem, ids: tuple[str, ...], limiter: MovingWindowRateLimiter) -> None:
    limiter.clear(item, *ids)


def _retry_after(item: RateLimitItem, ids: tuple[str, ...],
                 limiter: MovingWindowRateLimiter) -> int:
    """Seconds until the oldest request in the window leaves it."""
    reset = limiter.get_window_stats(item, *ids).reset_time
    return max(math.ceil(reset - time.time()), 1)


class AuthLimiter:
    """Moving windows: per address, sign-ups per address, failures per account+address."""

    def __init__(self, settings: Settings) -> None:
        self.per_address = parse_many(settings.auth_rate_per_ip)
        self.signups = parse_many(settings.signup_rate_per_ip)
        self.failures = RateLimitItemPerSecond(
            settings.login_max_failures, settings.login_window_seconds)
        self._local = MovingWindowRateLimiter(MemoryStorage())
        self._pool: redis.ConnectionPool | None = None
        self._shared: MovingWindowRateLimiter | None = None
        if settings.celery_broker_url:
            self._pool = redis.ConnectionPool.from_url(
                settings.celery_broker_url, socket_connect_timeout=1, socket_timeout=1)
            storage = RedisStorage(settings.celery_broker_url, connection_pool=self._pool,
                                   key_prefix=f"{settings.celery_namespace}:auth-limits",
                                   wrap_exceptions=True)
            self._shared = MovingWindowRateLimiter(storage)
        self._guard = threading.Lock()
        self._redis_again_at = 0.0

    def request(self, address: str) -> None:
        """Count one /api/auth/* request: 429 TOO_MANY_AUTH_REQUESTS over its address's limit."""
        self._take(self.per_address, ("address", _digest(client_key(address))),
                   codes.TOO_MANY_AUTH_REQUESTS, "Too many sign-in requests from this address")

    def signup(self, address: str) -> None:
        """Count one sign-up: 429 TOO_MANY_SIGNUPS over the limit of its address."""
        self._take(self.signups, ("signup", _digest(client_key(address))),
                   codes.TOO_MANY_SIGNUPS, "Too many accounts created from this address")

    def attempt(self, email: str, address: str) -> None:
        """Count a password check as failed until `succeeded`: 429 past the failures allowed."""
        self._take([self.failures], self._account(email, address),
                   codes.TOO_MANY_LOGIN_ATTEMPTS, "Too many failed sign-ins")

    def succeeded(self, email: str, address: str) -> None:
        """The password was right: the account+address starts again from no failure."""
        ids = self._account(email, address)
        self._local.clear(self.failures, *ids)  # counted here while Redis was away, perhaps
        self._call(partial(_clear, self.failures, ids))

    @staticmethod
    def _account(email: str, address: str) -> tuple[str, str]:
        return ("login", _digest(email.strip().lower(), client_key(address)))

    def _take(self, items: Sequence[RateLimitItem], ids: tuple[str, ...],
              code: ErrorCode, message: str) -> None:
        for item in items:
            if not self._call(partial(_hit, item, ids)):
                retry = self._call(partial(_retry_after, item, ids))
                raise ApiError(code, f"{message}; try again in {retry} s",
                               {"Retry-After": str(retry)})

    def _call(self, step: Callable[[MovingWindowRateLimiter], T]) -> T:
        """The step on Redis when there is one and it answers, else on this process's windows."""
        shared = self._shared
        if shared is not None and time.monotonic() >= self._redis_again_at:
            try:
                return step(shared)
            except StorageError:
                log.warning("auth limits: Redis unreachable, counting in this process for %s s",
                            REDIS_RETRY_SECONDS)
                with self._guard:
                    self._redis_again_at = time.monotonic() + REDIS_RETRY_SECONDS
        return step(self._local)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.disconnect()


@singleton
def _limiter() -> AuthLimiter:
    return AuthLimiter(get_settings())


_guard = threading.Lock()


def get_auth_limiter() -> AuthLimiter:
    """The process-wide limiter (built once, for the current settings)."""
    with _guard:
        limiter: AuthLimiter = _limiter()
        return limiter
