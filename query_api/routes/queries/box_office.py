"""An event's box office: its seats, money and check-ins, and its attendees, listed, searched
and exported (the event's organizers and admins; the box office's figures for auditors too)."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from commands.domain.errors import event_not_found
from core import error_codes as codes
from projections.availability import EventRow
from query_api.reads import attendees, box_office
from query_api.reads.consistency import Read, ReadRoute, reading
from query_api.reads.pagination import Cursor, Limit
from query_api.routes.queries.common import csv_download, require_runs
from query_api.schemas import AttendeePage, BoxOfficeOut, TicketStatus
from query_api.schemas.common import SearchText
from query_api.service.deps import EventReader, LedgerDep, OrganizerUser
from query_api.service.openapi import named

router = APIRouter(tags=["box office"], route_class=ReadRoute)
DoorRead = Annotated[Read, reading("bookings", "availability", "revenue")]
NOT_YOURS: dict[int | str, dict[str, Any]] = {404: {"description": named(codes.EVENT_NOT_FOUND)
                   + ": also an event the caller does not run"}}


@router.get("/events/{event_id}/box-office", responses=NOT_YOURS)
def get_event_box_office(event_id: UUID, user: EventReader, read: DoorRead,
                         ledger: LedgerDep) -> BoxOfficeOut:
    """Seats per category (sold, held, waited for, free), the money in the event's currency,
    and the check-ins per quarter hour."""
    if user.role != "auditor":  # who reads every event's figures: auditors and admins
        require_runs(ledger, user, event_id)
    found = box_office.box_office(read.session, event_id)
    if found is None:
        raise event_not_found(event_id)
    return BoxOfficeOut.model_validate(found | {"position": read.position})


@router.get("/events/{event_id}/attendees", responses=NOT_YOURS)
def get_event_attendees(  # noqa: PLR0913 - the event, its search, the page, who asks
    event_id: UUID, user: OrganizerUser, read: DoorRead, ledger: LedgerDep,
    q: Annotated[SearchText | None, Query(description="a name or e-mail (any part), or a "
                                                      "ticket code (whole)")] = None,
    status: TicketStatus | None = None, limit: Limit = 50, cursor: Cursor = None,
) -> AttendeePage:
    """The event's tickets with their holders, by name: searched, filtered by status."""
    require_runs(ledger, user, event_id)
    items, next_cursor = attendees.attendee_page(read.session, event_id, q=q, status=status,
                                                 limit=limit, cursor=cursor)
    if not items and cursor is None and read.session.get(EventRow, event_id) is None:
        raise event_not_found(event_id)
    return AttendeePage.model_validate({"items": items, "next_cursor": next_cursor,
                                        "position": read.position})


@router.get("/events/{event_id}/attendees.csv", response_class=StreamingResponse, responses={
    200: {"content": {"text/csv": {}},
          "description": "a header line, then one line per ticket; a cell that would start a "
                         "spreadsheet formula starts with an apostrophe"},
    **NOT_YOURS})
def get_event_attendees_csv(event_id: UUID, user: OrganizerUser, read: DoorRead,
                            ledger: LedgerDep) -> StreamingResponse:
    """Every ticket of the event with its holder, as a CSV download, streamed."""
    require_runs(ledger, user, event_id)
    if read.session.get(EventRow, event_id) is None:
        raise event_not_found(event_id)
    read.close(None)  # the stream reads in its own session, after this answer starts
    return csv_download(lambda session: attendees.csv_lines(session, event_id),
                        f"attendees-{event_id}.csv")
