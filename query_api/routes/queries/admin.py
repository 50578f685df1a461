"""Revenue and sales: admins and auditors see every event, an organizer the events they run."""

from uuid import UUID

from fastapi import APIRouter

from commands.errors import event_not_found
from query_api.consistency import StatsRead
from query_api.deps import EventReader
from query_api.queries import stats
from query_api.schemas import StatsOut

router = APIRouter(prefix="/admin", tags=["admin"])


@router.get("/stats", responses={404: {"description": "EVENT_NOT_FOUND: not one you run"}})
def get_stats(user: EventReader, read: StatsRead, event_id: UUID | None = None) -> StatsOut:
    """Per event and in total: bookings, tickets sold, revenue, refunds; sales per day.

    Money per currency, never summed across currencies. Admins and auditors see every event; an
    organizer's answer covers only the events they organize or co-organize (another's
    `event_id` is 404, as an unknown one).
    """
    organizer = None if user.reads_every_event else user.id
    found = stats.stats(read.session, event_id, organizer)
    if organizer is not None and event_id is not None and not found["events"]:
        raise event_not_found(event_id)
    return StatsOut.model_validate(found | {"position": read.position})
