"""An event's time zone, and times shown in it as buyers read them.

An event names its venue's IANA zone (`timezone`) once it records one; events recorded before,
and rows read before the column exists, have none: their times are shown in UTC.
"""

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.timezones import is_known_zone
from workers.i18n.formats import day_and_time

FALLBACK = "UTC"


def event_zone(event: Any) -> str:
    """The event's zone name (an aggregate, a read row or a dict), or UTC when it has none or
    one this machine does not know as a place's (`core.timezones`)."""
    name = event.get("timezone") if isinstance(event, dict) else getattr(event, "timezone", None)
    if not isinstance(name, str) or not is_known_zone(name):
        return FALLBACK
    return name


def local_time(instant: datetime, zone: str, language: str | None = None) -> str:
    """`instant` in `zone` as `language` writes it, with the zone's abbreviation, e.g.
    "Sat, 12 Dec 2026, 19:00 GMT", "Sa., 12. Dez. 2026, 19:00 CET"; in UTC when this machine
    does not know the zone or the zone cannot show it (year 9999 at +14:00, stored before event
    times were bounded): a message is made whatever it shows."""
    aware = instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)
    here = in_zone(aware, zone)
    return f"{day_and_time(here, language)} {here.tzname()}"


def in_zone(aware: datetime, zone: str) -> datetime:
    """`aware` in `zone`, else in UTC, else in the offset it was given in."""
    try:
        return aware.astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError, OverflowError):
        pass
    try:
        return aware.astimezone(UTC)
    except OverflowError:
        return aware


def parse_time(text: str) -> datetime:
    """An ISO 8601 time as the API writes it (`Z` for UTC)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
