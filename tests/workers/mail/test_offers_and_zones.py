"""Times in messages are the venue's: an offer's deadline shown in its event's zone; an event
with no zone (recorded before zones, or a row without the column) is shown in UTC."""

import json
from collections.abc import Callable
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bench.scenario import new_event
from commands.ledger import Ledger
from core.db import read_scope
from core.settings import Settings
from tests.support.smtp_server import SmtpServer, text_of
from workers.holds import offer_released_seats
from workers.mail.tables import OFFER, messages
from workers.mail.zones import event_zone, local_time, parse_time

Tick = Callable[[Settings], int]


def test_an_offer_carries_its_deadline_in_the_venues_zone(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[[str], dict[str, Any]], mail_tick: Tick,
) -> None:
    ann, ben = buyer("Ann"), buyer("Ben")
    event_id = new_event(writer, name="Opera", timezone="America/New_York", categories=[
        {"name": "General", "price": "40.00", "capacity": 1}])
    booked = writer.book(event_id, category=None, quantity=1, **ann["asks"]).view
    writer.join_waitlist(event_id, category=None, quantity=1, **ben["asks"])
    writer.cancel_booking(booked["id"])
    assert offer_released_seats(writer, writer.eventlog)

    def offered() -> bool:
        mail_tick(smtp_settings)
        return any(m["X-Ledger-Message-Kind"] == OFFER for m in smtp_server.taken())

    smtp_server.wait_for(3, tick=offered)
    with read_scope() as session:
        row = session.execute(select(messages).where(messages.c.kind == OFFER)).one()
    offer = next(m for m in smtp_server.taken() if m["X-Ledger-Message-Kind"] == OFFER)
    assert ben["email"] in offer["To"] and row.recipient_email == ben["email"]
    deadline = parse_time(json.loads(row.data)["expires_at"])
    in_new_york = deadline.astimezone(ZoneInfo("America/New_York"))
    shown = local_time(deadline, "America/New_York")
    assert shown.endswith(("EST", "EDT")) and f"{in_new_york:%H:%M}" in shown
    assert shown in offer["Subject"] and shown in text_of(offer)


def test_an_events_zone_falls_back_to_utc_when_it_has_none_or_an_unknown_one() -> None:
    assert event_zone({"timezone": "Europe/Paris"}) == "Europe/Paris"
    assert event_zone(SimpleNamespace(timezone="Asia/Tokyo")) == "Asia/Tokyo"
    for without in ({}, {"timezone": None}, SimpleNamespace(), {"timezone": "Mars/Olympus"}):
        assert event_zone(without) == "UTC"


def test_times_are_shown_with_their_zones_abbreviation() -> None:
    winter = datetime(2026, 12, 12, 19, 0, tzinfo=UTC)
    assert local_time(winter, "Europe/London") == "Sat 12 Dec 2026, 19:00 GMT"
    assert local_time(winter, "America/New_York") == "Sat 12 Dec 2026, 14:00 EST"
    assert local_time(datetime(2026, 7, 4, 12, 0, tzinfo=UTC), "Europe/Berlin") == (
        "Sat 4 Jul 2026, 14:00 CEST")
