"""Events: create, publish, change, cancel, complete, as commands.

Organizers create events they then run; changes are open to the event's organizers and admins
(checked by the write side on the state it decides on: 403 NOT_EVENT_ORGANIZER otherwise).
"""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from core import error_codes as codes
from query_api.routes.commands.common import actor, changed
from query_api.schemas import CancelIn, EventChanged, EventCreate, EventUpdate, PublicationIn
from query_api.service.deps import LedgerDep, OrganizerUser, SettingsDep
from query_api.service.openapi import described, named

router = APIRouter(prefix="/events", tags=["events"])
Responses = dict[int | str, dict[str, Any]]
REFUSED: Responses = {
    400: {"description": "a business rule refused it (the code says which)"},
    403: {"description": described(codes.NOT_EVENT_ORGANIZER)},
    404: {"description": named(codes.EVENT_NOT_FOUND)},
}
ZONE_REFUSED: Responses = {
    422: {"description": f"{described(codes.INVALID_TIMEZONE, '`timezone` names no IANA zone')}"
                         f"; {described(codes.EVENT_TIME_OUT_OF_RANGE)}; "
                         f"{named(codes.UNKNOWN_PAYMENT_METHOD, codes.NO_PAYMENT_METHOD)}; "
                         f"{described(codes.INVALID_TAX, note='`detail` names the rule')}; "
                         f"{described(codes.UNSUPPORTED_LANGUAGE, note='in `translations`')} "
                         "(or the body is malformed)"},
}


@router.post("", status_code=201, responses={
    400: {"description": described(codes.PUBLISH_AT_INVALID, "or another rule (the code says "
                                                             "which)")}, **ZONE_REFUSED})
def create_event(
    user: OrganizerUser,
    body: EventCreate,
    ledger: LedgerDep,
    settings: SettingsDep,
    response: Response,
) -> EventChanged:
    """Create an event with `categories`, or `total_seats` (+ `price`) for one "General".

    The caller becomes its organizer (an admin too: an admin can transfer it). Its venue's
    `timezone` is the server's DEFAULT_TIMEZONE when left out; `published: false` makes a
    draft, which only its organizers and admins see until they publish it.
    """
    fields = body.fields(settings.default_timezone) | {"organizer_id": str(user.id),
                                                       "organizer_name": user.name}
    return changed(ledger.create_event(**fields), response)


@router.put("/{event_id}", responses=REFUSED | ZONE_REFUSED)
def update_event(
    event_id: UUID, user: OrganizerUser, body: EventUpdate, ledger: LedgerDep, response: Response
) -> EventChanged:
    """Change details; set categories' price and capacity, or add categories."""
    categories = [c.model_dump() for c in body.categories]
    return changed(ledger.update_event(event_id, body.changes(), categories, actor(user),
                                       body.payment_methods, body.tax_rules()), response)


@router.post(
    "/{event_id}/cancel",
    responses=REFUSED | {
        409: {"description": described(codes.EVENT_STARTED)},
        422: {"description": described(codes.REASON_REQUIRED, "an admin cancelling an event "
                                                              "that has started gives a reason")},
    },
)
def cancel_event(
    event_id: UUID,
    user: OrganizerUser,
    ledger: LedgerDep,
    response: Response,
    body: CancelIn | None = None,
) -> EventChanged:
    """Cancel the event and every booking on it (each refunded, the reason on each).

    Its organizer until it starts; an admin at any time, with a `reason` once it started.
    """
    reason = body.reason if body is not None else None
    return changed(ledger.cancel_event(event_id, actor(user), reason), response)


@router.post("/{event_id}/complete", responses=REFUSED)
def complete_event(
    event_id: UUID,
    user: OrganizerUser,
    ledger: LedgerDep,
    response: Response,
) -> EventChanged:
    """Close an event that has started."""
    return changed(ledger.complete_event(event_id, actor(user)), response)


@router.post("/{event_id}/publish", responses=REFUSED)
def publish_event(
    event_id: UUID,
    user: OrganizerUser,
    ledger: LedgerDep,
    response: Response,
) -> EventChanged:
    """Put a draft on sale: listed publicly, open to bookings, holds and waitlists.

    Its organizers and admins. Idempotent: an event published already is answered as it is,
    nothing recorded (`position` null).
    """
    return changed(ledger.publish_event(event_id, actor(user)), response)


@router.put("/{event_id}/publication", responses=REFUSED | {
    400: {"description": described(codes.PUBLISH_AT_INVALID)},
    409: {"description": described(codes.ALREADY_PUBLISHED)}})
def schedule_event_publication(
    event_id: UUID,
    user: OrganizerUser,
    body: PublicationIn,
    ledger: LedgerDep,
    response: Response,
) -> EventChanged:
    """Set a draft to go on sale by itself at `publish_at` (the scheduler publishes it within
    COMPLETION_INTERVAL_SECONDS), or withdraw its schedule with null. Its organizers and
    admins."""
    return changed(ledger.schedule_publication(event_id, body.publish_at, actor(user)),
                   response)
