"""Signed-in users' rows kept for USER_CACHE_SECONDS, so a request skips one database read."""

from uuid import UUID

from core.db import singleton
from core.lru import Lru
from core.settings import get_settings
from query_api.auth.user_loader import Caller

MAX_ENTRIES = 10_000


class UserCache:
    """Rows by user id, detached and only read. A user missing from the table is never cached."""

    def __init__(self) -> None:
        self._rows: Lru[UUID, Caller] = Lru(MAX_ENTRIES)

    def get(self, user_id: UUID) -> Caller | None:
        return self._rows.get(user_id)

    def put(self, user_id: UUID, user: Caller) -> None:
        ttl = get_settings().user_cache_seconds
        if ttl > 0:
            self._rows.put(user_id, user, ttl=ttl)

    def forget(self, user_id: UUID) -> None:
        """Drop one user's row (its tokens were revoked): this process reads it again."""
        self._rows.pop(user_id)

    def clear(self) -> None:
        self._rows.clear()


@singleton
def _user_cache() -> UserCache:
    return UserCache()


def user_cache() -> UserCache:
    """The process's one user cache."""
    cache: UserCache = _user_cache()
    return cache
