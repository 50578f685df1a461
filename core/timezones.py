"""IANA time zone names: which ones are known (the venues' zones, the default one's setting)."""

from functools import cache
from zoneinfo import available_timezones


@cache
def _known() -> frozenset[str]:
    # Read once from the system's zone database (or the tzdata package): it does not change
    # while a process runs.
    return frozenset(available_timezones())


def is_known_zone(name: str) -> bool:
    """Whether `name` is an IANA time zone name, such as "Europe/London" or "UTC"."""
    return name in _known()
