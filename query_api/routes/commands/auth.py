"""Sign up, sign in (the OAuth2 password flow Swagger's Authorize uses), out, new password.

Every route counts its request against the limits of its address before it reads an account
or hashes a password, and a password check against its account+address once its hashing turn
came (query_api/auth/rate_limits.py). Hashes run in worker threads, a few at once, in turns
shared fairly between addresses (query_api/auth/hash_turns.py): that, not a count in total,
bounds what a flood costs. Reads and writes of the table and calls to Redis run in worker
threads too, so the event loop never waits on them.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm
from starlette.concurrency import run_in_threadpool

from core import error_codes as codes
from core.db import session_scope
from core.languages import DEFAULT_LANGUAGE, Language
from core.settings import Settings
from query_api.auth import user_accounts
from query_api.auth.credentials import create_access_token, hash_password, hashing, verify_password
from query_api.auth.hash_turns import hashing_turn
from query_api.auth.rate_limits import get_auth_limiter
from query_api.auth.user_cache import user_cache
from query_api.auth.user_loader import Caller
from query_api.schemas import PasswordChangeIn, SignupIn, TokenOut, UserOut
from query_api.service.deps import CurrentUser, SettingsDep
from query_api.service.errors import ApiError, unauthorized
from query_api.service.openapi import described, named

router = APIRouter(prefix="/auth", tags=["auth"])

LIMITED: dict[int | str, dict[str, Any]] = {
    429: {"description": described(codes.TOO_MANY_AUTH_REQUESTS, note="with Retry-After")},
}
HASHING: dict[int | str, dict[str, Any]] = {
    503: {"description": described(codes.AUTH_BUSY, note="with Retry-After")},
}
GUESSED: dict[int | str, dict[str, Any]] = {
    429: {"description": f"{codes.TOO_MANY_AUTH_REQUESTS}, or "
                         f"{described(codes.TOO_MANY_LOGIN_ATTEMPTS)} (with Retry-After)"},
}


def _address(request: Request) -> str:
    """The client's address (the proxy headers middleware put the real one there)."""
    return request.client.host if request.client else "unknown"


def _admit(address: str, *, signup: bool = False) -> None:
    """Count this request in its address's limits, or refuse it with 429 (a password check
    counts against its account+address once it has its hashing turn)."""
    limiter = get_auth_limiter()
    limiter.request(address)
    if signup:
        limiter.signup(address)


def _token(settings: Settings, user_id: Any, role: str, version: int) -> TokenOut:
    return TokenOut(access_token=create_access_token(settings, user_id, role, version),
                    expires_in=settings.access_token_minutes * 60)


@router.post("/signup", status_code=201, responses={
    409: {"description": named(codes.EMAIL_TAKEN)},
    422: {"description": described(codes.UNSUPPORTED_LANGUAGE)},
    429: {"description": f"{codes.TOO_MANY_SIGNUPS} or {codes.TOO_MANY_AUTH_REQUESTS} "
                         "(with Retry-After)"},
    **HASHING})
async def signup(body: SignupIn, request: Request) -> UserOut:
    """Create a customer account (its messages in `language`, English if left out)."""
    language = (DEFAULT_LANGUAGE if body.language is None
                else user_accounts.supported_language(body.language))
    address = _address(request)
    await run_in_threadpool(_admit, address, signup=True)
    digest = await hashing(address, hash_password, body.password)  # first: a taken email is as slow
    return await run_in_threadpool(_insert_customer, body, digest, language)


def _insert_customer(body: SignupIn, digest: str, language: Language) -> UserOut:
    with session_scope() as session:
        user = user_accounts.add_user(session, email=body.email, password_hash=digest,
                                      name=body.name, phone=body.phone, role="customer",
                                      language=language)
        return UserOut.model_validate(user)


@router.post("/token", responses={401: {"description": named(codes.INVALID_CREDENTIALS)},
                                  **GUESSED, **HASHING})
async def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], settings: SettingsDep, request: Request
) -> TokenOut:
    """Exchange email (as `username`) and password for a bearer token."""
    email, address = form.username.strip(), _address(request)
    await run_in_threadpool(_admit, address)
    found = await run_in_threadpool(user_accounts.credentials_by_email, email)
    async with hashing_turn(address):
        # Counted as a failure only once its turn came: an AUTH_BUSY is not a wrong password.
        await run_in_threadpool(get_auth_limiter().attempt, email, address)
        ok = await run_in_threadpool(verify_password, form.password,
                                     found.password_hash if found else None)
    if found is None or not ok:
        raise unauthorized(codes.INVALID_CREDENTIALS, "Wrong email or password")
    await run_in_threadpool(get_auth_limiter().succeeded, email, address)
    return _token(settings, found.id, found.role, found.token_version)


@router.post("/logout", status_code=204, response_class=Response, responses=LIMITED)
async def logout(user: CurrentUser, request: Request) -> Response:
    """Sign out everywhere: every token issued to this account so far stops working."""
    await run_in_threadpool(_admit, _address(request))
    await run_in_threadpool(user_accounts.revoke_tokens, user.id)
    user_cache().forget(user.id)
    return Response(status_code=204)


async def confirm_password(user: Caller, password: str, request: Request) -> str:
    """Check the signed-in user's password, as typed again to confirm a grave change
    (WRONG_PASSWORD; counted and limited as a sign-in is); the client's address."""
    address = _address(request)
    await run_in_threadpool(_admit, address)
    found = await run_in_threadpool(user_accounts.credentials_by_id, user.id)
    async with hashing_turn(address):  # counted once its turn came, as a sign-in is
        await run_in_threadpool(get_auth_limiter().attempt, user.email, address)
        ok = await run_in_threadpool(verify_password, password,
                                     found.password_hash if found else None)
    if found is None or not ok:
        # 403, not 401: the session is fine, the form is wrong (a client must not sign out).
        raise ApiError(codes.WRONG_PASSWORD, "The current password is wrong")
    await run_in_threadpool(get_auth_limiter().succeeded, user.email, address)
    return address


@router.post("/password", responses={
    403: {"description": described(codes.WRONG_PASSWORD)},
    **GUESSED, **HASHING})
async def change_password(
    body: PasswordChangeIn, user: CurrentUser, settings: SettingsDep, request: Request
) -> TokenOut:
    """Set a new password; earlier tokens stop working, the one returned continues the session."""
    address = await confirm_password(user, body.current_password, request)
    digest = await hashing(address, hash_password, body.new_password)
    version = await run_in_threadpool(user_accounts.revoke_tokens, user.id, digest)
    user_cache().forget(user.id)
    return _token(settings, user.id, user.role, version)
