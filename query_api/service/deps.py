"""Dependencies shared by routes, as `Annotated` aliases: session, ledger, settings, caller."""

from collections.abc import Awaitable, Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from commands.ledger import Ledger
from core import error_codes as codes
from core.db import read_scope
from core.settings import Settings, get_settings
from query_api.auth.credentials import decode_access_token
from query_api.auth.user_cache import user_cache
from query_api.auth.user_loader import READS_EVERY_EVENT, Caller, UserLoader
from query_api.service.errors import ApiError, unauthorized
from query_api.service.write_side import get_ledger
from workers.embedded_runs import EmbeddedRuns

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token")
# The same scheme on public routes that answer more to some callers: no token, no caller.
optional_oauth2 = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)


def get_session() -> Iterator[Session]:
    """A read-only session for one request, closed before the response is sent."""
    with read_scope() as session:
        yield session


async def ledger_dependency() -> Ledger:
    """`get_ledger` without a thread hop (built once per process, at startup)."""
    return get_ledger()


async def settings_dependency() -> Settings:
    return get_settings()


async def embedded_runs_dependency(request: Request) -> EmbeddedRuns:
    """The runs this (embedded) process carries out in its own threads, stopped with the app."""
    return embedded_runs_of(request.app.state)


def embedded_runs_of(state: object) -> EmbeddedRuns:
    runs: EmbeddedRuns | None = getattr(state, "embedded_runs", None)
    if runs is None:
        runs = EmbeddedRuns()
        setattr(state, "embedded_runs", runs)  # noqa: B010  # starlette's State is untyped
    return runs


async def get_current_user(token: Annotated[str, Depends(oauth2_scheme)]) -> Caller:
    """The signed-in user from the bearer token; its role is read fresh from the table.

    A token of an earlier token version was revoked (401 TOKEN_REVOKED). With
    USER_CACHE_SECONDS on, other API processes may accept it until their copy of the row ages
    out; the process that revoked it forgets its copy at once.
    """
    claims = decode_access_token(get_settings(), token)
    users = user_cache()
    user = users.get(claims.user_id)
    if user is None:
        user = await UserLoader.of_running_loop().load(claims.user_id)
        if user is not None:
            users.put(claims.user_id, user)
    if user is None:
        raise unauthorized(codes.INVALID_TOKEN, "The account of this token no longer exists")
    if claims.version != user.token_version:
        raise unauthorized(codes.TOKEN_REVOKED, "This session was signed out; sign in again")
    return user


async def get_optional_user(
    token: Annotated[str | None, Depends(optional_oauth2)],
) -> Caller | None:
    """The signed-in user, or None without a token (a bad token is still 401)."""
    return None if token is None else await get_current_user(token)


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
LedgerDep = Annotated[Ledger, Depends(ledger_dependency)]
SettingsDep = Annotated[Settings, Depends(settings_dependency)]
EmbeddedRunsDep = Annotated[EmbeddedRuns, Depends(embedded_runs_dependency)]
CurrentUser = Annotated[Caller, Depends(get_current_user)]
MaybeUser = Annotated[Caller | None, Depends(get_optional_user)]


def require_roles(*roles: str) -> Callable[[Caller], Awaitable[Caller]]:
    """A dependency that lets only the given roles through (403 FORBIDDEN otherwise)."""

    async def check(user: CurrentUser) -> Caller:
        if user.role not in roles:
            raise ApiError(codes.FORBIDDEN, f"This needs one of the roles: {', '.join(roles)}")
        return user

    return check


AdminUser = Annotated[Caller, Depends(require_roles("admin"))]
# An organizer runs only the events they organize (checked per event); an admin runs all.
OrganizerUser = Annotated[Caller, Depends(require_roles("organizer", "admin"))]
# An event's private reads (its bookings, its stats): organizers (the events they run), admins
# and auditors (every event).
EventReader = Annotated[Caller, Depends(require_roles("organizer", *READS_EVERY_EVENT))]
BookerUser = Annotated[Caller, Depends(require_roles("customer", "organizer", "admin"))]
StaffUser = Annotated[Caller, Depends(require_roles("admin", "auditor"))]
