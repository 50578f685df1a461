"""Exports streaming at once, per user and in total, in this API process.

An export reads the whole log (or a stream, with a proof per event) page by page for as long as
its client reads: at most EXPORTS_MAX_PER_USER of one user's and EXPORTS_MAX_TOTAL in all
stream at once, the next is answered 429 TOO_MANY_EXPORTS at once. A place is taken before
the answer starts and given back when its last line is sent or its client went away.
"""

import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any

from core import error_codes as codes
from core.settings import get_settings
from query_api.service.errors import ApiError
from query_api.service.openapi import described

RETRY_AFTER_SECONDS = 5
# An export route's `responses=`: what it answers past the bounds.
BOUNDED: dict[int | str, dict[str, Any]] = {
    429: {"description": described(codes.TOO_MANY_EXPORTS, note="with Retry-After")}}
_guard = threading.Lock()
_streaming: Counter[str] = Counter()


def take(user_id: str, per_user: int | None = None, total: int | None = None) -> bool:
    """A place for one of `user_id`'s exports (limits: the settings'), or False."""
    settings = get_settings()
    per_user = settings.exports_max_per_user if per_user is None else per_user
    total = settings.exports_max_total if total is None else total
    with _guard:
        if _streaming[user_id] >= per_user or _streaming.total() >= total:
            return False
        _streaming[user_id] += 1
        return True


def give_back(user_id: str) -> None:
    with _guard:
        _streaming[user_id] -= 1
        if _streaming[user_id] <= 0:
            del _streaming[user_id]


def streamed(lines: Iterator[str], user_id: str, per_user: int | None = None,
             total: int | None = None) -> "Held":
    """`lines` holding one of the user's export places while they stream; 429 if none."""
    if not take(user_id, per_user, total):
        raise ApiError(codes.TOO_MANY_EXPORTS,
                       "Too many exports are streaming; try again when one has finished",
                       {"Retry-After": str(RETRY_AFTER_SECONDS)})
    return Held(lines, user_id)


class Held:
    """An export's lines and its place, given back once: at the end, on close, or when the
    answer is dropped unread (a client gone before the first line)."""

    def __init__(self, lines: Iterator[str], user_id: str) -> None:
        self._lines = lines
        self._user_id: str | None = user_id

    def __iter__(self) -> "Held":
        return self

    def __next__(self) -> str:
        try:
            return next(self._lines)
        except BaseException:  # the end, or a failure: either way it streams no more
            self.close()
            raise

    def close(self) -> None:
        with _guard:
            user_id, self._user_id = self._user_id, None
        if user_id is not None:
            getattr(self._lines, "close", lambda: None)()
            give_back(user_id)

    def __del__(self) -> None:
        self.close()
