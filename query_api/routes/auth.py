"""Sign up, and sign in with the OAuth2 password flow (Swagger's Authorize uses it)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from core.db import session_scope
from query_api import accounts
from query_api.deps import SettingsDep
from query_api.errors import BEARER, ApiError
from query_api.ratelimit import get_login_limiter
from query_api.schemas import SignupIn, TokenOut, UserOut
from query_api.security import create_access_token

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/signup", status_code=201, responses={409: {"description": "EMAIL_TAKEN"}})
def signup(body: SignupIn) -> UserOut:
    """Create a customer account."""
    with session_scope() as session:
        user = accounts.create_user(
            session,
            email=body.email,
            password=body.password,
            name=body.name,
            phone=body.phone,
            role="customer",
        )
        return UserOut.model_validate(user)


@router.post(
    "/token",
    responses={
        401: {"description": "INVALID_CREDENTIALS"},
        429: {"description": "TOO_MANY_LOGIN_ATTEMPTS (with Retry-After): too many failures "
                             "for this account from this address"},
    },
)
def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], settings: SettingsDep, request: Request
) -> TokenOut:
    """Exchange email (as `username`) and password for a bearer token."""
    email = form.username.strip()
    address = request.client.host if request.client else "unknown"
    limiter = get_login_limiter()
    limiter.check(email, address)
    user = None
    if email.isprintable():  # no account has a control character (PostgreSQL refuses NUL)
        with session_scope() as session:
            user = accounts.authenticate(session, email, form.password)
    if user is None:
        limiter.failed(email, address)
        raise ApiError(401, "INVALID_CREDENTIALS", "Wrong email or password", BEARER)
    limiter.succeeded(email, address)
    return TokenOut(
        access_token=create_access_token(settings, user.id, user.role),
        expires_in=settings.access_token_minutes * 60,
    )
