"""Checking tickets in at the door."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Response
from starlette.concurrency import run_in_threadpool

from commands.domain.errors import ticket_not_found
from core import error_codes as codes
from core.db import read_scope
from query_api.reads import bookings, waits
from query_api.reads.consistency import stamp_write
from query_api.routes.commands.common import actor
from query_api.schemas import CheckInOut
from query_api.service.deps import LedgerDep, OrganizerUser
from query_api.service.openapi import described, named

router = APIRouter(prefix="/tickets", tags=["tickets"])


@router.post(
    "/{code}/check-in",
    responses={
        400: {"description": named(codes.TICKET_ALREADY_USED, codes.TICKET_CANCELLED,
                                   codes.EVENT_CANCELLED) + "..."},
        403: {"description": described(codes.NOT_EVENT_ORGANIZER,
                                       "a ticket of another organizer's event")},
        404: {"description": named(codes.TICKET_NOT_FOUND)},
    },
)
async def check_in_ticket(
    code: Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")],
    user: OrganizerUser,
    ledger: LedgerDep,
    response: Response,
) -> CheckInOut:
    """Mark a ticket used, once (the event's organizers, or an admin)."""
    found = await run_in_threadpool(_ticket, code)
    if found is None:
        # Maybe booked a moment ago and not projected yet: wait (bounded) for what is stored,
        # on the event loop as reads wait for min_position, so a burst at the door holds no
        # thread while the projection catches up (503 TOO_MANY_WAITERS when too many wait).
        await waits.wait_for(await run_in_threadpool(ledger.eventlog.last), ("bookings",))
        found = await run_in_threadpool(_ticket, code)  # what it reached, even on a timeout
    if found is None:
        raise ticket_not_found()
    event_id, booking_id = found
    outcome = await run_in_threadpool(ledger.check_in, event_id, code, booking_id, actor(user))
    stamp_write(response, outcome.position)
    return CheckInOut(code=code, status="used", event_id=event_id, position=outcome.position)


def _ticket(code: str) -> tuple[UUID, UUID] | None:
    """The event and the booking a ticket belongs to, from the tickets read table (the write
    side checks the code against the booking's own stream)."""
    with read_scope() as session:  # closed before the command writes
        return bookings.ticket_booking(session, code)
