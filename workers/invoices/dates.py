"""An invoice's times as it states them: days as written in the offset they were given in,
and the event's start with that offset, never moved to another zone; each as the page's
language writes a day and a time (`workers.i18n.formats`)."""

from datetime import date, datetime, timedelta

from workers.i18n.formats import day_and_time, day_of
from workers.invoices.amounts import MINUS


def moment(text: str) -> datetime:
    """An aware ISO 8601 time of the invoice (`Z` for UTC)."""
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset")
    return parsed


def day(text: str) -> date:
    """The day of an ISO time, in the offset it was written in."""
    return moment(text).date()


def shown_day(text: str, language: str | None = None) -> str:
    """A day as the page shows it in `language`: "30 Nov 2026", "30.11.2026"."""
    return day_of(moment(text).date(), language)


def shown_start(text: str, language: str | None = None) -> str:
    """The event's start as given, in `language`: "Sat, 12 Dec 2026, 20:00 (UTC\u221205:00)"."""
    when = moment(text)
    return f"{day_and_time(when, language)} ({offset(when.utcoffset())})"


def offset(delta: timedelta | None) -> str:
    """A UTC offset as "UTC+05:30", "UTC\u221205:00", or "UTC" when there is none."""
    minutes = int(delta.total_seconds() // 60) if delta else 0
    if not minutes:
        return "UTC"
    sign = "+" if minutes > 0 else MINUS
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"
