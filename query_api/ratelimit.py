"""Failed logins counted per account and client address: past the limit, 429 until the window ends.

With a broker configured the counters live in Redis, so every API process shares them; without
one (the embedded default), or while Redis cannot be reached, they live in this process.
"""

import hashlib
import logging
import threading
import time
from typing import Any

import redis

from core.db import singleton
from core.settings import Settings, get_settings
from query_api.errors import ApiError

log = logging.getLogger(__name__)


class LoginLimiter:
    """Fixed windows of `window` seconds, started by an account+address's first failure."""

    def __init__(self, settings: Settings) -> None:
        self.max_failures = settings.login_max_failures
        self.window = settings.login_window_seconds
        self.prefix = f"{settings.celery_namespace}:login-failures:"
        self._redis: Any = None
        if settings.celery_broker_url:
            self._redis = redis.Redis.from_url(
                settings.celery_broker_url, socket_connect_timeout=1, socket_timeout=1
            )
        self._lock = threading.Lock()
        self._local: dict[str, tuple[int, float]] = {}  # key -> (failures, window ends)

    def key(self, email: str, address: str) -> str:
        # Hashed: the store's keys need not show who tried to sign in from where.
        digest = hashlib.sha256(f"{email.strip().lower()}|{address}".encode()).hexdigest()
        return self.prefix + digest[:32]

    def check(self, email: str, address: str) -> None:
        """Refuse with 429 TOO_MANY_LOGIN_ATTEMPTS while the limit is reached."""
        failures, retry_after = self._read(self.key(email, address))
        if failures >= self.max_failures:
            raise ApiError(
                429, "TOO_MANY_LOGIN_ATTEMPTS",
                f"Too many failed sign-ins; try again in {retry_after} s",
                {"Retry-After": str(retry_after)},
            )

    def failed(self, email: str, address: str) -> None:
        key = self.key(email, address)
        if self._redis is not None:
            try:
                with self._redis.pipeline() as pipe:
                    pipe.incr(key)
                    pipe.expire(key, self.window, nx=True)
                    pipe.execute()
                return
            except redis.RedisError:
                log.warning("login limiter: Redis unreachable, counting in this process")
        now = time.monotonic()
        with self._lock:
            count, ends = self._local.get(key, (0, now + self.window))
            if ends <= now:
                count, ends = 0, now + self.window
            self._local[key] = (count + 1, ends)

    def succeeded(self, email: str, address: str) -> None:
        key = self.key(email, address)
        with self._lock:
            self._local.pop(key, None)
        if self._redis is not None:
            try:
                self._redis.delete(key)
            except redis.RedisError:
                log.warning("login limiter: Redis unreachable, could not reset a counter")

    def _read(self, key: str) -> tuple[int, int]:
        """(failures in the current window, seconds until it ends)."""
        found = 0
        retry = 1
        if self._redis is not None:
            try:
                with self._redis.pipeline() as pipe:
                    pipe.get(key)
                    pipe.ttl(key)
                    value, ttl = pipe.execute()
                found, retry = int(value or 0), max(int(ttl), 1)
            except redis.RedisError:
                log.warning("login limiter: Redis unreachable, counting in this process")
        now = time.monotonic()
        with self._lock:
            count, ends = self._local.get(key, (0, now))
            if ends > now and count > found:
                found, retry = count, max(int(ends - now) + 1, 1)
        return found, retry

    def close(self) -> None:
        if self._redis is not None:
            self._redis.close()


@singleton
def _limiter() -> LoginLimiter:
    return LoginLimiter(get_settings())


_guard = threading.Lock()


def get_login_limiter() -> LoginLimiter:
    """The process-wide limiter (built once, for the current settings)."""
    with _guard:
        return _limiter()  # type: ignore[no-any-return]  # singleton is untyped
