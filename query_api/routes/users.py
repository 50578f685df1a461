"""Profiles, and the admin's list, creation and role changes of users."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from core.db import session_scope
from query_api import accounts, pagination
from query_api.deps import AdminUser, CurrentUser, SessionDep
from query_api.errors import ApiError
from query_api.pagination import Cursor, Limit
from query_api.schemas import RoleIn, UserCreateIn, UserOut, UserPage
from query_api.schemas.common import Role, SearchText
from query_api.user_cache import user_cache

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/me")
def get_me(user: CurrentUser) -> UserOut:
    """The signed-in user."""
    return UserOut.model_validate(user)


@router.get("")
def get_users(
    _: AdminUser, session: SessionDep, limit: Limit = 20, cursor: Cursor = None,
    role: Role | None = None,
    q: Annotated[SearchText | None, Query(description="start of the name or email")] = None,
) -> UserPage:
    """Every user (of one role, if given; whose name or email starts with `q`, any case),
    ordered by email."""
    after = pagination.decode_text(cursor) if cursor is not None else None
    rows = accounts.list_users(session, after_email=after, limit=limit + 1, role=role, q=q)
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


@router.patch("/{user_id}", responses={
    400: {"description": "OWN_ROLE: an admin cannot change their own role"},
    404: {"description": "USER_NOT_FOUND"}})
def set_user_role(user_id: UUID, admin: AdminUser, body: RoleIn) -> UserOut:
    """Grant or revoke a role, e.g. `{"role": "organizer"}` (admins only; counts at once)."""
    if user_id == admin.id:  # so the last admin cannot lock everyone out
        raise ApiError(400, "OWN_ROLE", "An admin cannot change their own role")
    user = accounts.set_role(user_id, body.role)
    user_cache().forget(user_id)
    return UserOut.model_validate(user)
