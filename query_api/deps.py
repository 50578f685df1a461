"""Dependencies shared by routes: session, ledger, the caller and role checks."""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Annotated
from uuid import UUID

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from commands.ledger import Ledger
from core.db import read_scope, singleton
from core.settings import Settings, get_settings
from query_api.accounts import User
from query_api.errors import BEARER, ApiError
from query_api.security import TokenError, decode_access_token

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token")


def get_session() -> Iterator[Session]:
    """A read-only session for one request, closed before the response is sent."""
    with read_scope() as session:
        yield session


_ledger_lock = threading.Lock()


@singleton
def _ledger() -> Ledger:
    from workers.tasks import wake  # noqa: PLC0415 - workers import the app's modules too

    return Ledger(get_settings(), on_commit=wake)


def get_ledger() -> Ledger:
    """The process-wide write side (built once, even when threads ask together)."""
    with _ledger_lock:
        return _ledger()  # type: ignore[no-any-return]  # singleton is untyped


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
LedgerDep = Annotated[Ledger, Depends(get_ledger)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


class UserCache:
    """Signed-in users' rows for `user_cache_seconds`, so a request skips one database read.

    Rows are detached and only read. A user missing from the table is never cached.
    """

    MAX_ENTRIES = 10_000

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._rows: OrderedDict[UUID, tuple[float, User]] = OrderedDict()

    def get(self, user_id: UUID) -> User | None:
        with self._guard:
            hit = self._rows.get(user_id)
            if hit is None:
                return None
            if hit[0] < time.monotonic():
                del self._rows[user_id]
                return None
            return hit[1]

    def put(self, user_id: UUID, user: User) -> None:
        ttl = get_settings().user_cache_seconds
        if ttl <= 0:
            return
        with self._guard:
            self._rows[user_id] = (time.monotonic() + ttl, user)
            self._rows.move_to_end(user_id)
            while len(self._rows) > self.MAX_ENTRIES:
                self._rows.popitem(last=False)

    def clear(self) -> None:
        with self._guard:
            self._rows.clear()


@singleton
def user_cache() -> UserCache:
    return UserCache()


def get_current_user(token: Annotated[str, Depends(oauth2_scheme)]) -> User:
    """The signed-in user from the bearer token; its role is read fresh from the table."""
    try:
        claims = decode_access_token(get_settings(), token)
    except TokenError as exc:
        raise ApiError(401, exc.code, exc.message, BEARER) from None
    users: UserCache = user_cache()
    user = users.get(claims.user_id)
    if user is None:
        with read_scope() as session:  # short: never held while a command writes
            user = session.get(User, claims.user_id)
        if user is not None:
            users.put(claims.user_id, user)
    if user is None:
        raise ApiError(401, "INVALID_TOKEN", "The account of this token no longer exists", BEARER)
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_roles(*roles: str) -> Callable[[User], User]:
    """A dependency that lets only the given roles through (403 FORBIDDEN otherwise)."""

    def check(user: CurrentUser) -> User:
        if user.role not in roles:
            raise ApiError(403, "FORBIDDEN", f"This needs one of the roles: {', '.join(roles)}")
        return user

    return check


AdminUser = Annotated[User, Depends(require_roles("admin"))]
BookerUser = Annotated[User, Depends(require_roles("customer", "admin"))]
StaffUser = Annotated[User, Depends(require_roles("admin", "auditor"))]
