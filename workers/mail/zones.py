"""An event's time zone, and times shown in it as buyers read them.

An event names its venue's IANA zone (`timezone`) once it records one; events recorded before,
and rows read before the column exists, have none: their times are shown in UTC.
"""

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FALLBACK = "UTC"


def event_zone(event: Any) -> str:
    """The event's zone name (an aggregate, a read row or a dict), or UTC when it has none or
    one this machine does not know."""
    name = event.get("timezone") if isinstance(event, dict) else getattr(event, "timezone", None)
    if not isinstance(name, str) or not name:
        return FALLBACK
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return FALLBACK
    return name


def local_time(instant: datetime, zone: str) -> str:
    """`instant` in `zone` with the zone's abbreviation, e.g. "Sat 12 Dec 2026, 19:00 GMT"."""
    aware = instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)
    here = aware.astimezone(ZoneInfo(zone))
    return f"{here:%a} {here.day} {here:%b %Y, %H:%M} {here.tzname()}"


def parse_time(text: str) -> datetime:
    """An ISO 8601 time as the API writes it (`Z` for UTC)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
