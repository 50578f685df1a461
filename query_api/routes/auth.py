"""Sign up, and sign in with the OAuth2 password flow (Swagger's Authorize uses it)."""

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

from core.db import session_scope
from query_api import accounts
from query_api.deps import SettingsDep
from query_api.errors import BEARER, ApiError
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


@router.post("/token", responses={401: {"description": "INVALID_CREDENTIALS"}})
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()], settings: SettingsDep) -> TokenOut:
    """Exchange email (as `username`) and password for a bearer token."""
    with session_scope() as session:
        user = accounts.authenticate(session, form.username.strip(), form.password)
    if user is None:
        raise ApiError(401, "INVALID_CREDENTIALS", "Wrong email or password", BEARER)
    return TokenOut(
        access_token=create_access_token(settings, user.id, user.role),
        expires_in=settings.access_token_minutes * 60,
    )
