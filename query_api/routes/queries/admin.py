"""Revenue and sales: admins and auditors see every event, an organizer the events they run."""

from uuid import UUID

from fastapi import APIRouter

from commands.domain.errors import event_not_found
from commands.ledger import Ledger
from core import error_codes as codes
from query_api.reads import events, stats
from query_api.reads.consistency import Read, ReadRoute, StatsRead
from query_api.schemas import StatsOut
from query_api.service.deps import EventReader, LedgerDep
from query_api.service.openapi import described

router = APIRouter(prefix="/admin", tags=["admin"], route_class=ReadRoute)


@router.get("/stats", responses={
    404: {"description": described(codes.EVENT_NOT_FOUND, "not one you run")}})
def get_stats(user: EventReader, read: StatsRead, ledger: LedgerDep,
              event_id: UUID | None = None) -> StatsOut:
    """Per event and in total: bookings, tickets sold, revenue, refunds, what payments collected
    and returned; sales per day.

    Money per currency, never summed across currencies: the sales' (prices booked and refunded)
    and the payments' (money taken and given back, as the payments recorded it). Admins and
    auditors see every event; an organizer's answer covers only the events they organize or
    co-organize now, as the write side says (another's `event_id` is 404, as an unknown one).
    """
    scope = None if user.reads_every_event else _runs(read, ledger, user.id, event_id)
    found = stats.stats(read.session, event_id, scope)
    if scope is not None and event_id is not None and not found["events"]:
        raise event_not_found(event_id)
    return StatsOut.model_validate(found | {"position": read.position})


def _runs(read: Read, ledger: Ledger, user_id: UUID, event_id: UUID | None) -> set[UUID]:
    """The events an organizer's stats may cover: those the projection names (or `event_id`)
    that the write side says they run now."""
    if event_id is not None:
        candidates = {event_id}
    else:
        candidates = set(read.session.scalars(events.managed_by(user_id)))
    return ledger.run_by(candidates, str(user_id))
