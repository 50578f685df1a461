"""Events: list and detail from the read tables; create, change, cancel, complete as commands.

Organizers create events they then run; changes are open to the event's organizers and admins
(checked by the write side on the state it decides on: 403 NOT_EVENT_ORGANIZER otherwise).
"""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response

from commands.errors import event_not_found
from query_api import pages
from query_api.consistency import EventsRead
from query_api.deps import LedgerDep, OrganizerUser
from query_api.pagination import Cursor, Limit
from query_api.queries import events
from query_api.routes.organizers import actor, changed
from query_api.schemas import (
    EventChanged,
    EventCreate,
    EventOut,
    EventPage,
    EventStatus,
    EventUpdate,
    Moment,
)
from query_api.schemas.common import SearchText

router = APIRouter(prefix="/events", tags=["events"])
Responses = dict[int | str, dict[str, Any]]
NOT_FOUND: Responses = {404: {"description": "EVENT_NOT_FOUND"}}
REFUSED: Responses = {
    400: {"description": "a business rule refused it (the code says which)"},
    403: {"description": "NOT_EVENT_ORGANIZER: another organizer's event"},
    **NOT_FOUND,
}


@router.get("", response_model=EventPage)
@pages.cached
def get_events(  # noqa: PLR0913 - the list's filters
    q: Annotated[SearchText | None, Query(description="part of name or venue")] = None,
    starts_after: Moment | None = None,
    starts_before: Moment | None = None,
    status: EventStatus | None = None,
    organizer: Annotated[UUID | None, Query(description="the organizer's user id")] = None,
    limit: Limit = 20,
    cursor: Cursor = None,
    *,
    read: EventsRead,  # last: its `min_position` comes after the filters
) -> EventPage:
    """Events with availability, ordered by start; search, filter, paginate.

    Answers carry an ETag (the projection position): with If-None-Match, 304 when unchanged.
    """
    where = events.EventFilter(
        q=q, starts_after=starts_after, starts_before=starts_before, status=status,
        organizer=organizer,
    )
    items, next_cursor = events.event_page(read.session, where, limit, cursor)
    read.close()  # the rows are read: the connection goes back before the answer is built
    return EventPage(items=[EventOut.model_validate(i) for i in items],
                     next_cursor=next_cursor, position=read.position)


@router.post("", status_code=201, responses={400: REFUSED[400]})
def create_event(
    user: OrganizerUser,
    body: EventCreate,
    ledger: LedgerDep,
    response: Response,
) -> EventChanged:
    """Create an event with `categories`, or `total_seats` (+ `price`) for one "General".

    The caller becomes its organizer (an admin too: an admin can transfer it).
    """
    fields = body.fields() | {"organizer_id": str(user.id), "organizer_name": user.name}
    return changed(ledger.create_event(**fields), response)


@router.get("/{event_id}", response_model=EventOut, responses=NOT_FOUND)
@pages.cached
def get_event(event_id: UUID, read: EventsRead) -> EventOut:
    """One event with availability per category (ETag and If-None-Match as the list)."""
    found = events.event_detail(read.session, event_id)
    read.close()
    if found is None:
        raise event_not_found(event_id)
    return EventOut.model_validate(found)


@router.put("/{event_id}", responses=REFUSED)
def update_event(
    event_id: UUID, user: OrganizerUser, body: EventUpdate, ledger: LedgerDep, response: Response
) -> EventChanged:
    """Change details; set categories' price and capacity, or add categories."""
    categories = [c.model_dump() for c in body.categories]
    return changed(ledger.update_event(event_id, body.changes(), categories, actor(user)),
                   response)


@router.post("/{event_id}/cancel", responses=REFUSED)
def cancel_event(
    event_id: UUID,
    user: OrganizerUser,
    ledger: LedgerDep,
    response: Response,
) -> EventChanged:
    """Cancel the event and every booking on it (each refunded)."""
    return changed(ledger.cancel_event(event_id, actor(user)), response)


@router.post("/{event_id}/complete", responses=REFUSED)
def complete_event(
    event_id: UUID,
    user: OrganizerUser,
    ledger: LedgerDep,
    response: Response,
) -> EventChanged:
    """Close an event that has started."""
    return changed(ledger.complete_event(event_id, actor(user)), response)
