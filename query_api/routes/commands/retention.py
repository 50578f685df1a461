"""An organizer sets how long their events' buyers are kept (`workers/retention.py`)."""

from datetime import UTC, datetime

from fastapi import APIRouter

from core.db import session_scope
from query_api.schemas.retention import RetentionIn, RetentionOut
from query_api.service.deps import OrganizerUser
from workers.retention_policies import RetentionPolicy

router = APIRouter(tags=["organizers"])


@router.put("/organizers/me/retention")
def set_my_retention(body: RetentionIn, user: OrganizerUser) -> RetentionOut:
    """Forget your events' buyers this many days after each event ends (null: never). A buyer
    who also bought for an event still kept, yours or another organizer's, stays until that
    one is past too; invoices keep their buyer for the law's retention regardless."""
    now = datetime.now(UTC)
    with session_scope() as session:
        found = session.get(RetentionPolicy, user.id)
        if found is None:
            session.add(RetentionPolicy(organizer_id=user.id, updated_at=now,
                                        forget_buyers_after_days=body.forget_buyers_after_days))
        else:
            found.forget_buyers_after_days = body.forget_buyers_after_days
            found.updated_at = now
    return RetentionOut(forget_buyers_after_days=body.forget_buyers_after_days, updated_at=now)
