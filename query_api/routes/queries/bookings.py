"""Reading bookings: one booking, an event's, a user's."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter

from commands.application.views import redacted
from commands.domain.errors import booking_not_found, event_not_found
from core import error_codes as codes
from projections.availability import EventRow
from query_api.reads import bookings
from query_api.reads.consistency import BookingsRead, Read, ReadRoute, reading
from query_api.reads.pagination import Cursor, Limit
from query_api.schemas import BookingOut, BookingPage
from query_api.service.deps import CurrentUser, EventReader, LedgerDep
from query_api.service.errors import ApiError
from query_api.service.openapi import described, named

router = APIRouter(tags=["bookings"], route_class=ReadRoute)
# The event's row tells an unknown event from one with no bookings yet.
EventBookingsRead = Annotated[Read, reading("bookings", "availability")]


@router.get("/events/{event_id}/bookings",
            responses={404: {"description": named(codes.EVENT_NOT_FOUND)}})
def get_event_bookings(  # noqa: PLR0913 - the page, and the write side that authorizes it
    event_id: UUID, user: EventReader, read: EventBookingsRead, ledger: LedgerDep,
    limit: Limit = 20, cursor: Cursor = None,
) -> BookingPage:
    """One event's bookings, newest first (its organizers, admins; auditors see code digests).

    Another organizer gets the 404 of an unknown event: nothing says the bookings exist. Who
    runs the event is the write side's answer: a removal or a transfer counts at once.
    """
    if not user.reads_every_event and not ledger.runs(event_id, str(user.id)):
        raise event_not_found(event_id)
    items, next_cursor = bookings.booking_page(
        read.session, event_id=event_id, limit=limit, cursor=cursor
    )
    if not items and cursor is None and read.session.get(EventRow, event_id) is None:
        raise event_not_found(event_id)
    if user.role == "auditor":  # no check-in desk: digests, as in the audit views
        items = [redacted(i) for i in items]
    return _page(items, next_cursor, read.position)


@router.get("/bookings/{booking_id}",
            responses={404: {"description": named(codes.BOOKING_NOT_FOUND)}})
def get_booking(
    booking_id: UUID,
    user: CurrentUser,
    read: BookingsRead,
    ledger: LedgerDep,
) -> BookingOut:
    """One booking with its tickets (its owner, its event's organizers, admins; auditors see
    code digests)."""
    found = bookings.booking_detail(read.session, booking_id) if read.caught_up else None
    read.close()
    if found is None:  # not projected yet: the write side always knows
        found = ledger.booking(booking_id)
    if user.role in ("customer", "organizer") and found["user_id"] != user.id and not (
            user.role == "organizer" and ledger.runs(found["event_id"], str(user.id))):
        raise booking_not_found(booking_id)  # the same answer as for an unknown id
    if user.role == "auditor":  # no check-in path: an auditor sees digests, as in audit views
        found = redacted(found)
    return BookingOut.model_validate(found)


@router.get(
    "/users/{user_id}/bookings",
    responses={403: {"description": described(codes.FORBIDDEN,
                                              "another user's bookings (admins, auditors)")}},
)
def get_user_bookings(
    user_id: UUID,
    user: CurrentUser,
    read: BookingsRead,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> BookingPage:
    """A user's bookings, newest first (the user themself, admins; auditors see code digests)."""
    if not user.reads_every_event and user.id != user_id:
        raise ApiError(codes.FORBIDDEN,
                       "Only admins and auditors may read another user's bookings")
    items, next_cursor = bookings.booking_page(
        read.session, user_id=user_id, limit=limit, cursor=cursor
    )
    if user.role == "auditor" and user.id != user_id:  # no check-in desk: digests
        items = [redacted(i) for i in items]
    return _page(items, next_cursor, read.position)


def _page(items: list[dict[str, object]], next_cursor: str | None, position: int) -> BookingPage:
    return BookingPage(
        items=[BookingOut.model_validate(i) for i in items],
        next_cursor=next_cursor,
        position=position,
    )

