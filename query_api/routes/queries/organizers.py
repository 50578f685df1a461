"""Organizers: the public list of who runs events and one organizer's profile; who runs one
event with the invitations pending (those who run it); an organizer's invitations."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from commands.domain.errors import NotFound, event_not_found
from core import error_codes as codes
from query_api.auth import user_accounts
from query_api.reads import events, pagination
from query_api.reads.consistency import EventsRead, ReadRoute
from query_api.reads.pagination import Cursor, Limit
from query_api.schemas import OrganizerOut
from query_api.schemas.common import SearchText
from query_api.schemas.events import (
    EventOrganizersOut,
    InvitationOut,
    InvitationPage,
    OrganizerPage,
)
from query_api.service.deps import EventReader, LedgerDep, MaybeUser, OrganizerUser
from query_api.service.openapi import described, named

router = APIRouter(tags=["organizers"], route_class=ReadRoute)


# The token is optional (`{}` joins the scheme FastAPI lists): without one, the public list.
@router.get("/organizers", openapi_extra={"security": [{}]})
def get_organizers(
    user: MaybeUser, limit: Limit = 20, cursor: Cursor = None,
    q: Annotated[SearchText | None, Query(description="start of the name")] = None,
    *,
    read: EventsRead,  # last: its `min_position` comes after the filters
) -> OrganizerPage:
    """Organizers by name (whose name starts with `q`, any case): who runs events here.

    Public for those who run an event, as their events are. Organizers (who pick
    co-organizers), admins and auditors see every organizer account, also those merely granted
    the role.
    """
    after = pagination.decode_text_id(cursor) if cursor is not None else None
    every = user is not None and (user.role == "organizer" or user.reads_every_event)
    rows = user_accounts.organizers(read.session, after=after, limit=limit + 1, q=q, every=every)
    page, next_cursor = pagination.split_page(rows, limit, lambda row: (row[1], row[0]))
    return OrganizerPage(items=[OrganizerOut(id=i, name=n) for i, n in page],
                         next_cursor=next_cursor)


@router.get("/organizers/{user_id}",
            responses={404: {"description": named(codes.ORGANIZER_NOT_FOUND)}})
def get_organizer(user_id: UUID, read: EventsRead) -> OrganizerOut:
    """An organizer's public profile: their name (their events: `GET /api/events?organizer=`).

    Also an admin's who runs an event: their name is on it already.
    """
    found = user_accounts.public_organizer(read.session, user_id)
    if found is None:
        raise NotFound(f"Organizer {user_id} not found", code=codes.ORGANIZER_NOT_FOUND)
    return OrganizerOut(id=UUID(found[0]), name=found[1])


@router.get("/events/{event_id}/organizers",
            responses={404: {"description": described(codes.EVENT_NOT_FOUND, "not one you run")}})
def get_event_organizers(event_id: UUID, user: EventReader,
                         ledger: LedgerDep) -> EventOrganizersOut:
    """Who runs the event as its stream says now, with the organizers invited who have not
    answered yet (its organizers, admins, auditors; another organizer gets the 404 of an
    unknown event)."""
    if not user.reads_every_event and not ledger.runs(event_id, str(user.id)):
        raise event_not_found(event_id)
    return EventOrganizersOut.model_validate(ledger.owners(event_id))


@router.get("/organizers/me/invitations")
def get_my_invitations(user: OrganizerUser, limit: Limit = 20, cursor: Cursor = None, *,
                       read: EventsRead) -> InvitationPage:
    """The invitations to co-organize an event that await your answer, oldest first (accept or
    decline each: `POST /api/events/{event_id}/organizers/{your id}/accept`)."""
    items, next_cursor = events.invitations_of(read.session, user.id, limit, cursor)
    return InvitationPage(items=[InvitationOut.model_validate(i) for i in items],
                          next_cursor=next_cursor, position=read.position)
