"""An organizer reads how long their events' buyers are kept."""

from fastapi import APIRouter

from core.db import read_scope
from query_api.schemas.retention import RetentionOut
from query_api.service.deps import OrganizerUser
from workers.retention_policies import RetentionPolicy

router = APIRouter(tags=["organizers"])


@router.get("/organizers/me/retention")
def get_my_retention(user: OrganizerUser) -> RetentionOut:
    """Your retention of your events' buyers (null: kept, unless they erase themselves)."""
    with read_scope() as session:
        found = session.get(RetentionPolicy, user.id)
    if found is None:
        return RetentionOut(forget_buyers_after_days=None, updated_at=None)
    return RetentionOut(forget_buyers_after_days=found.forget_buyers_after_days,
                        updated_at=found.updated_at)
