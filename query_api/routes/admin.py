"""Revenue and sales for organisers."""

from uuid import UUID

from fastapi import APIRouter

from query_api.consistency import StatsRead
from query_api.deps import AdminUser
from query_api.queries import stats
from query_api.schemas import StatsOut

router = APIRouter(prefix="/admin", tags=["admin"])


@router.get("/stats")
def get_stats(_: AdminUser, read: StatsRead, event_id: UUID | None = None) -> StatsOut:
    """Per event and in total: bookings, tickets sold, revenue, refunds; sales per day."""
    found = stats.stats(read.session, event_id)
    return StatsOut.model_validate(found | {"position": read.position})
