"""Profiles, and the admin's list and creation of users."""

from fastapi import APIRouter

from core.db import session_scope
from query_api import accounts, pagination
from query_api.deps import AdminUser, CurrentUser, SessionDep
from query_api.pagination import Cursor, Limit
from query_api.schemas import UserCreateIn, UserOut, UserPage

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/me")
def get_me(user: CurrentUser) -> UserOut:
    """The signed-in user."""
    return UserOut.model_validate(user)


@router.get("")
def get_users(
    _: AdminUser, session: SessionDep, limit: Limit = 20, cursor: Cursor = None
) -> UserPage:
    """Every user, ordered by email."""
    after = pagination.decode_text(cursor) if cursor is not None else None
    rows = accounts.list_users(session, after_email=after, limit=limit + 1)
    page = rows[:limit]
    next_cursor = pagination.encode(page[-1].email) if len(rows) > limit else None
    return UserPage(items=[UserOut.model_validate(u) for u in page], next_cursor=next_cursor)


@router.post("", status_code=201, responses={409: {"description": "EMAIL_TAKEN"}})
def create_user(_: AdminUser, body: UserCreateIn) -> UserOut:
    """Create a user with any role."""
    with session_scope() as session:
        user = accounts.create_user(
            session,
            email=body.email,
            password=body.password,
            name=body.name,
            phone=body.phone,
            role=body.role,
        )
        return UserOut.model_validate(user)
