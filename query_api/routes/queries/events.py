"""Events: the list and one event with availability, from the read tables (ETag and 304)."""

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response

from commands.domain.errors import event_not_found
from core import error_codes as codes
from query_api.reads import events, responses
from query_api.reads.consistency import EventsRead, ReadRoute
from query_api.reads.pagination import Cursor, Limit
from query_api.schemas import EventOut, EventPage, EventStatusFilter, Moment
from query_api.schemas.common import SearchText, VoucherCode
from query_api.service.deps import MaybeUser
from query_api.service.openapi import described

router = APIRouter(prefix="/events", tags=["events"], route_class=ReadRoute)
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": described(
    codes.EVENT_NOT_FOUND, "no such event, or a draft the caller does not run")}}
# The token is optional (`{}` joins the scheme FastAPI lists): without one, what is public.
OPTIONAL_TOKEN: dict[str, Any] = {"security": [{}]}


def events_viewer(request: Request, response: Response,
                  user: MaybeUser) -> events.Viewer | None:
    """Who reads, as far as drafts go (None: the public); their answers are cached as theirs."""
    response.headers["Vary"] = "Authorization"  # a browser keeps anyone's answers apart too
    if user is None or user.role not in ("organizer", "admin"):
        return None
    viewer = events.Viewer(user.id, admin=user.role == "admin")
    responses.scope_answer(request, "admin" if viewer.admin else f"organizer:{user.id}")
    return viewer


EventsViewer = Annotated[events.Viewer | None, Depends(events_viewer)]


@router.get("", response_model=EventPage, openapi_extra=OPTIONAL_TOKEN)
@responses.cached
def get_events(  # noqa: PLR0913 - the list's filters
    q: Annotated[SearchText | None, Query(description="part of name or venue")] = None,
    starts_after: Annotated[Moment | None, Query(
        description="starting at or after this moment (any status unless `status` says)")] = None,
    starts_before: Annotated[Moment | None, Query(
        description="starting at or before this moment (any status unless `status` says)")
    ] = None,
    status: Annotated[EventStatusFilter | None, Query(
        description="`active`, `cancelled`, `completed`, or `all`; left out with both dates "
                    "too: only what is on sale (active and not started yet)")] = None,
    organizer: Annotated[UUID | None, Query(description="the organizer's user id")] = None,
    limit: Limit = 20,
    cursor: Cursor = None,
    *,
    viewer: EventsViewer,
    read: EventsRead,  # last: its `min_position` comes after the filters
) -> EventPage:
    """Events with availability, ordered by start; search, filter, paginate.

    With no `status`, `starts_after` or `starts_before`: the events on sale (active, not
    started yet); any of them reaches every event, `status=all` every status. Answers carry an
    ETag (the projection position; for what is on sale, also until when it holds): with
    If-None-Match, 304 when unchanged. Drafts are listed for admins, and for an organizer
    asking for their own (`organizer=` their id); for anyone else, never.
    """
    asked = events.EventFilter(
        q=q, starts_after=starts_after, starts_before=starts_before, status=status,
        organizer=organizer, drafts=viewer is not None and viewer.sees_drafts_of(organizer),
    )
    where = events.on_sale_by_default(asked, datetime.now(UTC))
    items, next_cursor = events.event_page(read.session, where, limit, cursor, viewer)
    read.close()  # the rows are read: the connection goes back before the answer is built
    if where.on_sale_at is not None and items:
        read.until = items[0]["starts_at"]  # the page changes when its first event starts
    return EventPage(items=[EventOut.model_validate(i) for i in items],
                     next_cursor=next_cursor, position=read.position)


@router.get("/{event_id}", response_model=EventOut, responses=NOT_FOUND,
            openapi_extra=OPTIONAL_TOKEN)
@responses.cached
def get_event(
    event_id: UUID, viewer: EventsViewer,
    voucher: Annotated[VoucherCode | None, Query(
        description="a voucher code the buyer has: the hidden categories it names are shown")
    ] = None,
    *,
    read: EventsRead,  # last: its `min_position` comes after the code
) -> EventOut:
    """One event with availability per category (ETag and If-None-Match as the list).

    A draft is found only by its organizers and admins: 404 for anyone else. A hidden
    category (on sale only with a voucher naming it) is shown to those who run the event, and
    to a buyer who gives such a `voucher`.
    """
    found = events.event_detail(read.session, event_id, viewer, voucher)
    read.close()
    if found is None:
        raise event_not_found(event_id)
    return EventOut.model_validate(found)
