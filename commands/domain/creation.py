"""Creating an event: every creation rule checked, then its stream started."""

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from commands.domain.details import check_category, check_details
from commands.domain.errors import RuleBroken
from commands.domain.event import Event
from commands.domain.events import DEFAULT_TIMEZONE
from core import error_codes as codes
from core.personal import Named


def check_new_event(details: dict[str, Any], categories: list[dict[str, Any]], currency: str,
                    *, now: datetime) -> None:
    """Every creation rule: the details, at least one category with unique names, each
    valid, and an ISO 4217 currency."""
    check_details(details, now=now)
    if not categories:
        raise RuleBroken("An event needs at least one ticket category", code=codes.INVALID_EVENT)
    names = [c["name"] for c in categories]
    if len(set(names)) != len(names):
        raise RuleBroken("Category names must be unique", code=codes.INVALID_CATEGORY)
    for c in categories:
        check_category(c["name"], Decimal(c["price"]), int(c["capacity"]))
    if len(currency) != 3 or not currency.isalpha():
        raise RuleBroken("currency must be a 3-letter ISO 4217 code", code=codes.INVALID_EVENT)



def create_event(  # noqa: PLR0913 - an event's fields
    *,
    event_id: UUID,
    name: str,
    description: str,
    venue: str,
    starts_at: datetime,
    ends_at: datetime | None,
    currency: str,
    categories: list[dict[str, Any]],
    max_tickets_per_user: int | None,
    now: datetime,
    organizer_id: str | None = None,
    organizer_name: Named | None = None,
    hold_seconds: int | None = None,
    timezone: str = DEFAULT_TIMEZONE,
    published: bool = True,
) -> Event:
    """Check every creation rule, then start the event's stream (None: unowned, admins only;
    not `published`: a draft, on sale once published); the organizer's name as the
    application sealed it."""
    check_new_event(
        {"name": name, "starts_at": starts_at, "ends_at": ends_at,
         "max_tickets_per_user": max_tickets_per_user, "hold_seconds": hold_seconds,
         "timezone": timezone},
        categories, currency, now=now,
    )
    return Event(
        id=event_id,
        name=name.strip(),
        description=description,
        venue=venue,
        starts_at=starts_at,
        ends_at=ends_at,
        currency=currency.upper(),
        categories=[
            {"name": c["name"], "price": Decimal(c["price"]), "capacity": int(c["capacity"]),
             # Recorded only when set: an event of no hidden category records what it did.
             **({"hidden": True} if c.get("hidden") else {})}
            for c in categories
        ],
        max_tickets_per_user=max_tickets_per_user,
        created_at=now,
        organizer_id=organizer_id,
        organizer_name=organizer_name,
        hold_seconds=hold_seconds,
        timezone=timezone,
        published=published,
    )
