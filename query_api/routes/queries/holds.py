"""Reading a user's holds (offers to their places included) and their places on waitlists."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter

from core import error_codes as codes
from query_api.reads import holds
from query_api.reads.consistency import HoldsRead, ReadRoute
from query_api.reads.pagination import Cursor, Limit
from query_api.schemas.holds import HoldOut, HoldPage, PlaceOut, PlacePage
from query_api.service.deps import CurrentUser
from query_api.service.errors import ApiError
from query_api.service.openapi import described

router = APIRouter(tags=["holds"], route_class=ReadRoute)
OTHERS: dict[int | str, dict[str, Any]] = {
    403: {"description": described(codes.FORBIDDEN, "another user's (admins, auditors)")}}


@router.get("/users/{user_id}/holds", responses=OTHERS)
def get_user_holds(user_id: UUID, user: CurrentUser, read: HoldsRead, limit: Limit = 20,
                   cursor: Cursor = None) -> HoldPage:
    """A user's holds, newest first: those they made at checkout and the offers made to their
    places on waitlists (`offer`), active or ended (the user themself, admins, auditors)."""
    _own_or_staff(user, user_id)
    items, next_cursor = holds.hold_page(read.session, user_id=user_id, limit=limit,
                                         cursor=cursor)
    return HoldPage(items=[HoldOut.model_validate(i) for i in items], next_cursor=next_cursor,
                    position=read.position)


@router.get("/users/{user_id}/waitlist", responses=OTHERS)
def get_user_waitlist(user_id: UUID, user: CurrentUser, read: HoldsRead, limit: Limit = 20,
                      cursor: Cursor = None) -> PlacePage:
    """A user's places on waitlists, newest first, each waiting one with its `rank` (1:
    offered the next seats that come back on sale; `place`: its deprecated alias)."""
    _own_or_staff(user, user_id)
    items, next_cursor = holds.place_page(read.session, user_id=user_id, limit=limit,
                                          cursor=cursor)
    return PlacePage(items=[PlaceOut.model_validate(i) for i in items],
                     next_cursor=next_cursor, position=read.position)


def _own_or_staff(user: CurrentUser, user_id: UUID) -> None:
    if not user.reads_every_event and user.id != user_id:
        raise ApiError(codes.FORBIDDEN, "Only admins and auditors may read another user's")
