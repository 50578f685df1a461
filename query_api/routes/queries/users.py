"""Profiles, and the list of users (admins; auditors read it too)."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from core import error_codes as codes
from query_api.auth import user_accounts
from query_api.reads import pagination
from query_api.reads.consistency import Read, ReadRoute, reading
from query_api.reads.pagination import Cursor, Limit
from query_api.reads.personal_data import personal_data
from query_api.schemas import UserOut, UserPage
from query_api.schemas.common import Role, SearchText
from query_api.service.deps import AdminUser, CurrentUser, LedgerDep, SessionDep, StaffUser
from query_api.service.errors import ApiError
from query_api.service.openapi import named

router = APIRouter(prefix="/users", tags=["users"], route_class=ReadRoute)
# A person's file is read from these read models, as far as `min_position` asks (the rest, their
# account and the messages and deliveries, are written by the commands' and senders' own sides).
PersonalDataRead = Annotated[Read, reading("bookings", "holds", "invoices")]


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


def _data_download(read: Read, user_id: UUID, clock: Any) -> JSONResponse:
    found = personal_data(read.session, user_id, clock())
    if found is None:
        raise ApiError(codes.USER_NOT_FOUND, f"User {user_id} not found")
    return JSONResponse(found, headers={
        "Content-Disposition": f'attachment; filename="personal-data-{user_id}.json"'})


DATA: dict[int | str, dict[str, Any]] = {200: {
    "content": {"application/json": {}},
    "description": "account, bookings with tickets, holds, waitlist places, payments, "
                   "invoices, messages sent, webhook deliveries that named the person"}}


@router.get("/me/data", response_class=JSONResponse, responses=DATA)
def get_my_data(user: CurrentUser, read: PersonalDataRead, ledger: LedgerDep) -> JSONResponse:
    """All the data held about you, as one JSON file (your right of access and to data
    portability)."""
    return _data_download(read, user.id, ledger.clock)


@router.get("/{user_id}/data", response_class=JSONResponse, responses={
    **DATA, 404: {"description": named(codes.USER_NOT_FOUND)}})
def get_user_data(user_id: UUID, _: AdminUser, read: PersonalDataRead,
                  ledger: LedgerDep) -> JSONResponse:
    """All the data held about a user, for an admin answering their request received by mail
    (admins only: an auditor reads the ledger's history, not a person's file)."""
    return _data_download(read, user_id, ledger.clock)
