"""IANA time zone names: which ones are known (the venues' zones, the default one's setting)."""

from functools import cache
from zoneinfo import available_timezones

# Files of the zone database that name no place: the machine's own zone (a link to
# /etc/localtime, whatever it is set to), the zone of a machine whose time is not set up, and
# the database's own rules and copies. A venue in one would be shown in the server's zone.
NOT_PLACES = frozenset({"localtime", "Factory", "posixrules"})
NOT_PLACES_FOLDERS = ("posix/", "right/")


@cache
def _known() -> frozenset[str]:
    # Read once from the system's zone database (or the tzdata package): it does not change
    # while a process runs.
    return frozenset(name for name in available_timezones()
                     if name not in NOT_PLACES and not name.startswith(NOT_PLACES_FOLDERS))


def is_known_zone(name: str) -> bool:
    """Whether `name` is an IANA time zone name, such as "Europe/London" or "UTC"."""
    return name in _known()
