"""Checking tickets in at the door, and taking a check-in back."""

from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query, Response
from starlette.concurrency import run_in_threadpool

from commands.application.views import Outcome
from commands.domain.errors import ticket_not_found
from core import error_codes as codes
from core.db import read_scope
from query_api.reads import bookings, waits
from query_api.reads.consistency import stamp_write
from query_api.routes.commands.common import actor
from query_api.schemas import CheckInOut
from query_api.service.deps import LedgerDep, OrganizerUser
from query_api.service.errors import ApiError
from query_api.service.openapi import described, named

router = APIRouter(prefix="/tickets", tags=["tickets"])

TicketCode = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
AtEvent = Annotated[UUID | None, Query(
    description="the event whose door scans it: a ticket of another event is refused "
                f"({codes.TICKET_OF_ANOTHER_EVENT}) rather than checked in")]
NOT_YOURS: dict[int | str, dict[str, Any]] = {
    403: {"description": described(codes.NOT_EVENT_ORGANIZER,
                                   "a ticket of another organizer's event")},
    404: {"description": named(codes.TICKET_NOT_FOUND)}}


@router.post(
    "/{code}/check-in",
    responses={
        400: {"description": named(codes.TICKET_ALREADY_USED, codes.TICKET_CANCELLED,
                                   codes.EVENT_CANCELLED, codes.TICKET_OF_ANOTHER_EVENT)
              + "... A ticket already used answers `ticket`: whose it is and when it was "
                "checked in"},
        **NOT_YOURS,
    },
)
async def check_in_ticket(code: TicketCode, user: OrganizerUser, ledger: LedgerDep,
                          response: Response, event_id: AtEvent = None) -> CheckInOut:
    """Mark a ticket used, once (the event's organizers, or an admin); answers its holder's
    name and its category for the door to see."""
    return await _at_door(code, event_id, response, ledger.eventlog.last,
                          lambda at, booking_id: ledger.check_in(at, code, booking_id,
                                                                 actor(user)))


@router.delete(
    "/{code}/check-in",
    responses={
        400: {"description": named(codes.TICKET_NOT_CHECKED_IN, codes.TICKET_OF_ANOTHER_EVENT)},
        **NOT_YOURS,
    },
)
async def undo_ticket_check_in(code: TicketCode, user: OrganizerUser, ledger: LedgerDep,
                               response: Response, event_id: AtEvent = None) -> CheckInOut:
    """Take a check-in back (a wrong scan): recorded as an event of its own, the ticket live
    again (the event's organizers, or an admin)."""
    return await _at_door(code, event_id, response, ledger.eventlog.last,
                          lambda at, booking_id: ledger.undo_check_in(at, code, booking_id,
                                                                      actor(user)))


async def _at_door(code: str, door: UUID | None, response: Response,
                   last: Callable[[], int], act: Callable[[UUID, UUID], Outcome]) -> CheckInOut:
    found = await run_in_threadpool(_ticket, code)
    if found is None:
        # Maybe booked a moment ago and not projected yet: wait (bounded) for what is stored,
        # on the event loop as reads wait for min_position, so a burst at the door holds no
        # thread while the projection catches up (503 TOO_MANY_WAITERS when too many wait).
        await waits.wait_for(await run_in_threadpool(last), ("bookings",))
        found = await run_in_threadpool(_ticket, code)  # what it reached, even on a timeout
    if found is None:
        raise ticket_not_found()
    event_id, booking_id = found
    if door is not None and door != event_id:
        raise ApiError(codes.TICKET_OF_ANOTHER_EVENT, "This ticket is for another event")
    outcome = await run_in_threadpool(act, event_id, booking_id)
    stamp_write(response, outcome.position)
    return CheckInOut(**_seen(outcome.view), event_id=event_id, position=outcome.position)


def _seen(ticket: dict[str, Any]) -> dict[str, Any]:
    return {k: ticket[k] for k in ("code", "status", "name", "category", "checked_in_at")}


def _ticket(code: str) -> tuple[UUID, UUID] | None:
    """The event and the booking a ticket belongs to, from the tickets read table (the write
    side checks the code against the booking's own stream)."""
    with read_scope() as session:  # closed before the command writes
        return bookings.ticket_booking(session, code)
