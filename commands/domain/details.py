"""An event's details and categories: what creating or changing them requires."""

from collections.abc import Collection
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal

from commands.domain.errors import DomainError, RuleBroken
from commands.domain.events import DEFAULT_TIMEZONE, DETAIL_FIELDS, TRANSLATED_FIELDS
from commands.domain.lifecycle import require_open
from commands.domain.seats import reserved
from commands.domain.state import EventState
from core import error_codes as codes
from core.languages import LANGUAGES, is_supported
from core.timezones import is_known_zone

MIN_HOLD_SECONDS, MAX_HOLD_SECONDS = 5, 3600  # an hour would keep seats off a day's sales
# The years an event may be in: every zone shows such a time (Python's cannot show one near the
# end of year 9999 at +14:00, nor one in year 1 west of UTC), and none is a typo's.
EARLIEST_EVENT_TIME = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_EVENT_TIME = datetime(2100, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)


def check_category(name: str, price: Decimal, capacity: int, *, minimum: int = 1) -> None:
    """A category needs a name, a price >= 0 with at most 2 decimals, and a capacity."""
    if not name.strip():
        raise RuleBroken("A category needs a name", code=codes.INVALID_CATEGORY)
    if not price.is_finite() or price < 0 or price.as_tuple().exponent < -2:  # type: ignore[operator]
        raise RuleBroken("Price must be >= 0 with at most 2 decimals", code=codes.INVALID_PRICE)
    if capacity < minimum:
        raise RuleBroken(f"Capacity must be at least {minimum}", code=codes.INVALID_CAPACITY)


def check_details(details: dict[str, Any], *, now: datetime,
                  changed: Collection[str] = DETAIL_FIELDS) -> None:
    """Name present, start in the future, both times within the years events may be in and a
    known time zone (each when set now: an event stored before a rule still takes changes of
    its other details), end after start, limit >= 1."""
    if not str(details["name"]).strip():
        raise RuleBroken("An event needs a name", code=codes.INVALID_EVENT)
    starts_at: datetime = details["starts_at"]
    if starts_at.tzinfo is None:
        raise RuleBroken("starts_at needs a time zone", code=codes.INVALID_EVENT)
    for field in ("starts_at", "ends_at"):
        if field in changed:
            check_time_range(field, details[field])
    if "starts_at" in changed and starts_at <= now:
        raise RuleBroken("starts_at must be in the future", code=codes.STARTS_IN_PAST)
    ends_at: datetime | None = details["ends_at"]
    if ends_at is not None and (ends_at.tzinfo is None or ends_at <= starts_at):
        raise RuleBroken("ends_at must be after starts_at, with a time zone",
                         code=codes.INVALID_EVENT)
    limit = details["max_tickets_per_user"]
    if limit is not None and limit < 1:
        raise RuleBroken("max_tickets_per_user must be at least 1", code=codes.INVALID_EVENT)
    if "timezone" in changed:
        check_timezone(details.get("timezone", DEFAULT_TIMEZONE))
    if "translations" in changed:
        check_translations(details.get("translations") or {})
    seconds = details.get("hold_seconds")
    if seconds is not None and not MIN_HOLD_SECONDS <= seconds <= MAX_HOLD_SECONDS:
        raise RuleBroken(
            f"hold_seconds must be from {MIN_HOLD_SECONDS} to {MAX_HOLD_SECONDS}",
            code=codes.INVALID_EVENT)


def check_time_range(field: str, moment: datetime | None) -> None:
    """An event's time is within the years events may be in (none: no end)."""
    if moment is None or moment.tzinfo is None:
        return
    if not EARLIEST_EVENT_TIME <= moment <= LATEST_EVENT_TIME:
        refusal = DomainError(
            f"{field} must be from {EARLIEST_EVENT_TIME:%Y-%m-%d} to "
            f"{LATEST_EVENT_TIME:%Y-%m-%d} (UTC)", code=codes.EVENT_TIME_OUT_OF_RANGE)
        refusal.where = (field,)
        raise refusal


def check_timezone(name: str) -> None:
    """The venue's zone is an IANA name (its times are shown in it)."""
    if not is_known_zone(name):
        raise DomainError(f"timezone: {name!r} is not an IANA time zone name, "
                          "such as Europe/London", code=codes.INVALID_TIMEZONE)


def check_translations(translations: dict[str, Any]) -> None:
    """Each language one of those offered (`core.languages`), giving its name (not blank) or
    its description, or both, and nothing else."""
    for language, given in translations.items():
        if not is_supported(language):
            refusal = DomainError(f"{language!r} is not a language offered: one of "
                                  f"{', '.join(LANGUAGES)}", code=codes.UNSUPPORTED_LANGUAGE)
            refusal.where = ("translations", language)
            raise refusal
        if not isinstance(given, dict) or not given or set(given) - set(TRANSLATED_FIELDS):
            raise RuleBroken(f"translations.{language} gives a name, a description or both",
                             code=codes.INVALID_EVENT)
        if "name" in given and not str(given["name"]).strip():
            raise RuleBroken(f"translations.{language}.name must not be blank",
                             code=codes.INVALID_EVENT)


def changed_details(event: EventState, changes: dict[str, Any], *,
                    now: datetime) -> dict[str, Any]:
    """The details that change (none: nothing to record), checked as the event would have
    them, on an open event; the per-user limit never goes below what one user booked."""
    require_open(event)
    changes = {k: v for k, v in changes.items()
               if k in DETAIL_FIELDS and getattr(event, k) != v}
    if not changes:
        return changes
    merged = {f: changes.get(f, getattr(event, f)) for f in DETAIL_FIELDS}
    check_details(merged, now=now, changed=changes.keys())
    limit = merged["max_tickets_per_user"]
    most_held = max(event.booked_by_user.values(), default=0)
    if limit is not None and limit < most_held:
        raise RuleBroken(
            f"A user already holds {most_held} tickets; the limit cannot go below that",
            code=codes.LIMIT_BELOW_HELD,
        )
    return changes


def category_change(event: EventState, name: str, price: Decimal, capacity: int,
                    hidden: bool = False) -> Literal["added", "changed"] | None:
    """A category of an open event added, or changed in price, capacity (never below what is
    sold or held) or whether it is hidden; None when nothing changes."""
    require_open(event)
    check_category(name, price, capacity, minimum=0)
    current = event.categories.get(name)
    if current is None:
        return "added"
    taken = (current["sold"] + event.held_by_category.get(name, 0)
             + (reserved(event, name) if event.vouchers else 0))
    if capacity < taken:
        raise RuleBroken(
            f"Category {name!r} has {taken} seats sold, held or reserved by vouchers; "
            "capacity cannot go below that",
            code=codes.CAPACITY_BELOW_SOLD,
        )
    if (price != current["price"] or capacity != current["capacity"]
            or hidden != current.get("hidden", False)):
        return "changed"
    return None
