"""Dependencies shared by routes: session, ledger, the caller and role checks."""

import asyncio
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from commands.ledger import Ledger
from core.db import read_connection, read_scope, singleton
from core.settings import Settings, get_settings
from query_api.accounts import User
from query_api.errors import BEARER, ApiError
from query_api.security import TokenError, decode_access_token

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token")


@dataclass(frozen=True, slots=True)
class Caller:
    """The signed-in user as a request sees it: a row read for it, never written back."""

    id: UUID
    email: str
    name: str
    phone: str | None
    role: str
    token_version: int  # a token carrying another version was revoked (logout, new password)


CALLERS = select(User.id, User.email, User.name, User.phone, User.role, User.token_version).where(
    User.id.in_(bindparam("ids", expanding=True)))


def get_session() -> Iterator[Session]:
    """A read-only session for one request, closed before the response is sent."""
    with read_scope() as session:
        yield session


_ledger_lock = threading.Lock()


@singleton
def _ledger() -> Ledger:
    from workers.tasks import request_snapshot, wake  # noqa: PLC0415 - workers import the app

    settings = get_settings()
    # With workers, they take the snapshots (embedded: this process's snapshot thread does).
    return Ledger(settings, on_commit=wake,
                  snapshot_elsewhere=None if settings.is_eager else request_snapshot)


def get_ledger() -> Ledger:
    """The process-wide write side (built once, even when threads ask together)."""
    with _ledger_lock:
        return _ledger()  # type: ignore[no-any-return]  # singleton is untyped


async def ledger_dependency() -> Ledger:
    """`get_ledger` without a thread hop (built once per process, on first use)."""
    return get_ledger()


async def settings_dependency() -> Settings:
    return get_settings()


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
LedgerDep = Annotated[Ledger, Depends(ledger_dependency)]
SettingsDep = Annotated[Settings, Depends(settings_dependency)]


class UserCache:
    """Signed-in users' rows for `user_cache_seconds`, so a request skips one database read.

    Rows are detached and only read. A user missing from the table is never cached.
    """

    MAX_ENTRIES = 10_000

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._rows: OrderedDict[UUID, tuple[float, Caller]] = OrderedDict()

    def get(self, user_id: UUID) -> Caller | None:
        with self._guard:
            hit = self._rows.get(user_id)
            if hit is None:
                return None
            if hit[0] < time.monotonic():
                del self._rows[user_id]
                return None
            return hit[1]

    def put(self, user_id: UUID, user: Caller) -> None:
        ttl = get_settings().user_cache_seconds
        if ttl <= 0:
            return
        with self._guard:
            self._rows[user_id] = (time.monotonic() + ttl, user)
            self._rows.move_to_end(user_id)
            while len(self._rows) > self.MAX_ENTRIES:
                self._rows.popitem(last=False)

    def forget(self, user_id: UUID) -> None:
        """Drop one user's row (its tokens were revoked): this process reads it again."""
        with self._guard:
            self._rows.pop(user_id, None)

    def clear(self) -> None:
        with self._guard:
            self._rows.clear()


@singleton
def user_cache() -> UserCache:
    return UserCache()


class UserLoader:
    """Signed-in users read for one event loop's requests, many in one query.

    Each request's row is read by a query that starts after the request asked for it, so a
    role changed in the table counts at once, as with a query per request; but while one
    query runs, the users asked for meanwhile wait and are then read together. Under load a
    process reads its callers' rows in one round trip per batch, from one worker thread, and
    no request holds a thread while it waits.
    """

    _loaders: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, UserLoader]" = (
        weakref.WeakKeyDictionary())

    def __init__(self) -> None:
        self._waiting: dict[UUID, list[asyncio.Future[Caller | None]]] = {}
        self._reader: asyncio.Task[None] | None = None

    @classmethod
    def of_running_loop(cls) -> "UserLoader":
        loop = asyncio.get_running_loop()
        loader = cls._loaders.get(loop)
        if loader is None:
            loader = cls._loaders[loop] = cls()
        return loader

    async def load(self, user_id: UUID) -> Caller | None:
        row: asyncio.Future[Caller | None] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(user_id, []).append(row)
        if self._reader is None:
            self._reader = asyncio.create_task(self._read())
        return await row

    async def _read(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, {}
                try:
                    rows = await run_in_threadpool(read_users, list(batch))
                except BaseException as exc:
                    for waiting in batch.values():
                        for row in waiting:
                            if not row.done():
                                row.set_exception(exc)
                    if not isinstance(exc, Exception):
                        raise
                    continue
                for user_id, waiting in batch.items():
                    for row in waiting:
                        if not row.done():
                            row.set_result(rows.get(user_id))
        finally:
            self._reader = None


def read_users(ids: list[UUID]) -> dict[UUID, Caller]:
    """Users by id, in one short read (never held while a command writes).

    Plain rows, not ORM objects: a session per batch had been a tenth of an API process's
    CPU on a hot event.
    """
    with read_connection() as conn:
        return {row.id: Caller(*row) for row in conn.execute(CALLERS, {"ids": ids})}


async def get_current_user(token: Annotated[str, Depends(oauth2_scheme)]) -> Caller:
    """The signed-in user from the bearer token; its role is read fresh from the table.

    A token of an earlier token version was revoked (401 TOKEN_REVOKED). With
    USER_CACHE_SECONDS on, other API processes may accept it until their copy of the row ages
    out; the process that revoked it forgets its copy at once.
    """
    try:
        claims = decode_access_token(get_settings(), token)
    except TokenError as exc:
        raise ApiError(401, exc.code, exc.message, BEARER) from None
    users: UserCache = user_cache()
    user = users.get(claims.user_id)
    if user is None:
        user = await UserLoader.of_running_loop().load(claims.user_id)
        if user is not None:
            users.put(claims.user_id, user)
    if user is None:
        raise ApiError(401, "INVALID_TOKEN", "The account of this token no longer exists", BEARER)
    if claims.version != user.token_version:
        raise ApiError(401, "TOKEN_REVOKED", "This session was signed out; sign in again", BEARER)
    return user


CurrentUser = Annotated[Caller, Depends(get_current_user)]


def require_roles(*roles: str) -> Callable[[Caller], Awaitable[Caller]]:
    """A dependency that lets only the given roles through (403 FORBIDDEN otherwise)."""

    async def check(user: CurrentUser) -> Caller:
        if user.role not in roles:
            raise ApiError(403, "FORBIDDEN", f"This needs one of the roles: {', '.join(roles)}")
        return user

    return check


AdminUser = Annotated[Caller, Depends(require_roles("admin"))]
BookerUser = Annotated[Caller, Depends(require_roles("customer", "admin"))]
StaffUser = Annotated[Caller, Depends(require_roles("admin", "auditor"))]
