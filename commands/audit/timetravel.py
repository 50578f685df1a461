"""Time travel: an event exactly as it was at a version or a moment, rebuilt from its stream."""

from datetime import datetime
from typing import Any
from uuid import UUID

from commands.errors import NotFound, event_not_found
from commands.ledger import Ledger
from commands.views import booking_view, event_view


def state_at(
    ledger: Ledger, event_id: UUID, *, at: datetime | None = None, version: int | None = None
) -> dict[str, Any]:
    """The event and its bookings then; past the head (version or time) that is now."""
    if at is not None:
        version = version_at(ledger, event_id, at)
        if version is None:
            raise NotFound(f"Event {event_id} did not exist yet at {at.isoformat()}",
                           code="EVENT_NOT_YET_CREATED")
    event = ledger.event(event_id, version)
    view = event_view(event)
    view["recorded_at"] = event.modified_on
    view["bookings"] = [booking_view(event, UUID(key)) for key in event.bookings]
    return view


def version_at(ledger: Ledger, event_id: UUID, at: datetime) -> int | None:
    """The last version recorded at or before `at` (None if the stream began later).

    A binary search over the stream, one tiny read per step: versions are recorded in time
    order, since each is decided on the state the one before it left.
    """
    last = ledger.recorder.select_events(event_id, desc=True, limit=1)
    if not last:
        raise event_not_found(event_id)
    low, high = 0, last[0].originator_version  # invariant: time(low) <= at < time(high + 1)
    if _time(ledger, last[0]) <= at:
        return high
    high -= 1
    while low < high:
        middle = (low + high + 1) // 2
        stored = ledger.recorder.select_events(event_id, gt=middle - 1, lte=middle, limit=1)
        if stored and _time(ledger, stored[0]) <= at:
            low = middle
        else:
            high = middle - 1
    return low or None


def _time(ledger: Ledger, stored: Any) -> datetime:
    event: Any = ledger.mapper.to_domain_event(stored)
    moment: datetime = event.timestamp
    return moment
