"""Load seed/data.json through the commands (python -m seed.load); a second run does nothing."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from commands.domain.actor import Actor
from commands.ledger import Ledger
from core.db import session_scope
from core.settings import get_settings
from query_api.auth.user_accounts import by_email, create_user
from workers.tasks import wake

DATA = Path(__file__).with_name("data.json")


class SeedRefused(RuntimeError):
    """The sample data is not for this environment."""


def refuse_production() -> None:
    """Raise SeedRefused when ENVIRONMENT=production: the sample users' passwords are public."""
    if get_settings().environment == "production":
        raise SeedRefused(
            "refusing to load the sample data with ENVIRONMENT=production: it creates "
            "admin@example.com and other users whose passwords are published in "
            "seed/data.json. Seed a development or test database instead.")


def load(ledger: Ledger, data: dict[str, Any] | None = None, *,
         start: datetime | None = None) -> dict[str, UUID]:
    """Create the users, events (each run by its organizer), co-organizers, bookings, holds
    at checkout, places on waitlists and cancellations; return event ids by key.

    Event dates count from `start` (default: now); seed/export_sql.py fixes it.
    """
    refuse_production()
    data = data or json.loads(DATA.read_text())
    with session_scope() as session:
        if by_email(session, data["users"][0]["email"]) is not None:
            return {}
        users = {u["email"]: create_user(session, email=u["email"], password=u["password"],
                                         name=u["name"], phone=u.get("phone"), role=u["role"])
                 for u in data["users"]}
        accounts = {email: (u.id, u.name) for email, u in users.items()}
    now = (start or datetime.now(UTC)).replace(minute=0, second=0, microsecond=0)
    events: dict[str, UUID] = {}
    for e in data["events"]:
        fields = {k: e[k] for k in ("name", "description", "venue", "timezone", "currency",
                                    "categories", "max_tickets_per_user")}
        starts_at = now + timedelta(days=e["days_ahead"], hours=19 - now.hour)
        organizer_id, organizer_name = accounts[e["organizer"]]
        created = ledger.create_event(starts_at=starts_at, ends_at=starts_at + timedelta(hours=3),
                                      organizer_id=str(organizer_id),
                                      organizer_name=organizer_name, **fields)
        events[e["key"]] = created.view["id"]
    runs = {e["key"]: str(accounts[e["organizer"]][0]) for e in data["events"]}
    for c in data.get("co_organizers", []):  # added by the event's organizer
        user_id, user_name = accounts[c["user"]]
        ledger.add_co_organizer(events[c["event"]], (str(user_id), user_name),
                                Actor(runs[c["event"]]))  # an invitation: they accept it
        ledger.accept_co_organizer(events[c["event"]], Actor(str(user_id)))
    for b in data["bookings"]:
        user_id, user_name = accounts[b["user"]]
        booked = ledger.book(events[b["event"]], user_id=user_id, user_name=user_name,
                             category=b["category"], quantity=b["quantity"])
        if b.get("cancel"):
            ledger.cancel_booking(booked.view["id"])
    for h in data.get("holds", []):  # a checkout: confirmed, released, or still held
        user_id, user_name = accounts[h["user"]]
        held = ledger.hold(events[h["event"]], user_id=user_id, user_name=user_name,
                           category=h["category"], quantity=h["quantity"])
        if h.get("then") == "confirm":
            ledger.confirm_hold(held.view["id"])
        elif h.get("then") == "release":
            ledger.release_hold(held.view["id"])
    for w in data.get("waitlists", []):  # in the order they join: the line's order
        user_id, user_name = accounts[w["user"]]
        ledger.join_waitlist(events[w["event"]], user_id=user_id, user_name=user_name,
                         category=w["category"], quantity=w["quantity"])
    for key in data["cancel_events"]:
        ledger.cancel_event(events[key])
    return events


def main() -> None:
    """Seed the configured database; refused (SeedRefused) in production, before connecting."""
    refuse_production()
    ledger = Ledger(on_commit=wake)
    events = load(ledger)
    print(f"seeded {len(events)} events" if events else "seed data already present")


if __name__ == "__main__":
    try:
        main()
    except SeedRefused as refused:
        raise SystemExit(f"error: {refused}") from None
