"""Who runs an event: co-organizers (its organizers add them), transfers (admins); public pages."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response

from commands.errors import NotFound, RuleBroken
from commands.ownership import Actor
from commands.views import Outcome
from query_api import accounts, pagination
from query_api.consistency import EventsRead, stamp_write
from query_api.deps import AdminUser, LedgerDep, MaybeUser, OrganizerUser
from query_api.pagination import Cursor, Limit
from query_api.schemas import CoOrganizerIn, EventChanged, OrganizerOut, TransferIn
from query_api.schemas.common import SearchText
from query_api.schemas.events import OrganizerPage
from query_api.user_loader import Caller

router = APIRouter(tags=["organizers"])
Responses = dict[int | str, dict[str, Any]]
REFUSED: Responses = {
    400: {"description": "NOT_AN_ORGANIZER, ALREADY_ORGANIZER, ALREADY_CO_ORGANIZER..."},
    403: {"description": "NOT_EVENT_ORGANIZER: another organizer's event"},
    404: {"description": "EVENT_NOT_FOUND, CO_ORGANIZER_NOT_FOUND"},
}


def actor(user: Caller) -> Actor:
    """The command's caller: admins run every event, organizers their own."""
    return Actor(str(user.id), admin=user.role == "admin")


def _organizer(user_id: UUID) -> tuple[str, str]:
    found = accounts.organizer(user_id)
    if found is None:  # the same answer whether the account is missing or has another role
        raise RuleBroken("That account is not an organizer", code="NOT_AN_ORGANIZER")
    return found


@router.post("/events/{event_id}/organizers", status_code=201, responses=REFUSED)
def add_co_organizer(event_id: UUID, body: CoOrganizerIn, user: OrganizerUser,
                     ledger: LedgerDep, response: Response) -> EventChanged:
    """Let another organizer run the event too (its organizers, or an admin)."""
    outcome = ledger.add_co_organizer(event_id, _organizer(body.user_id), actor(user))
    return changed(outcome, response)


@router.delete("/events/{event_id}/organizers/{user_id}", responses=REFUSED)
def remove_co_organizer(event_id: UUID, user_id: UUID, user: OrganizerUser,
                        ledger: LedgerDep, response: Response) -> EventChanged:
    """Take a co-organizer's rights on the event away (never the organizer's: transfer)."""
    outcome = ledger.remove_co_organizer(event_id, str(user_id), actor(user))
    return changed(outcome, response)


@router.post("/events/{event_id}/transfer", responses=REFUSED)
def transfer_event(event_id: UUID, body: TransferIn, user: AdminUser, ledger: LedgerDep,
                   response: Response) -> EventChanged:
    """Hand the event to another organizer: their rights start at this version (admins)."""
    outcome = ledger.transfer_event(event_id, _organizer(body.organizer_id), str(user.id))
    return changed(outcome, response)


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
    rows = accounts.organizers(read.session, after=after, limit=limit + 1, q=q, every=every)
    page = rows[:limit]
    more = len(rows) > limit
    return OrganizerPage(items=[OrganizerOut(id=i, name=n) for i, n in page],
                         next_cursor=pagination.encode(page[-1][1], page[-1][0]) if more else None)


@router.get("/organizers/{user_id}", responses={404: {"description": "ORGANIZER_NOT_FOUND"}})
def get_organizer(user_id: UUID, read: EventsRead) -> OrganizerOut:
    """An organizer's public profile: their name (their events: `GET /api/events?organizer=`).

    Also an admin's who runs an event: their name is on it already.
    """
    found = accounts.public_organizer(read.session, user_id)
    if found is None:
        raise NotFound(f"Organizer {user_id} not found", code="ORGANIZER_NOT_FOUND")
    return OrganizerOut(id=UUID(found[0]), name=found[1])


def changed(outcome: Outcome, response: Response) -> EventChanged:
    stamp_write(response, outcome.position)
    return EventChanged.model_validate(outcome.view | {"position": outcome.position})
