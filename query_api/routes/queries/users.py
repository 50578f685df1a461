"""Profiles, and the list of users (admins; auditors read it too)."""

from typing import Annotated

from fastapi import APIRouter, Query

from query_api.auth import user_accounts
from query_api.reads import pagination
from query_api.reads.pagination import Cursor, Limit
from query_api.schemas import UserOut, UserPage
from query_api.schemas.common import Role, SearchText
from query_api.service.deps import CurrentUser, SessionDep, StaffUser

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/me")
def get_me(user: CurrentUser) -> UserOut:
    """The signed-in user."""
    return UserOut.model_validate(user)


@router.get("")
def get_users(
    _: StaffUser, session: SessionDep, limit: Limit = 20, cursor: Cursor = None,
    role: Role | None = None,
    q: Annotated[SearchText | None, Query(description="start of the name or email")] = None,
) -> UserPage:
    """Every user (of one role, if given; whose name or email starts with `q`, any case),
    ordered by email."""
    after = pagination.decode_text(cursor) if cursor is not None else None
    rows = user_accounts.list_users(session, after_email=after, limit=limit + 1, role=role, q=q)
    page, next_cursor = pagination.split_page(rows, limit, lambda row: (row.email,))
    return UserPage(items=[UserOut.model_validate(u) for u in page], next_cursor=next_cursor)
