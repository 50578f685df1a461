"""Times in messages are the venue's: an offer's deadline shown in its event's zone; an event
with no zone (recorded before zones, or a row without the column), one this machine does not
know, or a time its zone cannot show (year 9999 at +14:00) is shown in UTC: a message is always
made."""

import json
from collections.abc import Callable
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bench.scenario import new_event
from commands.ledger import Ledger
from core.db import read_scope
from core.settings import Settings
from tests.support.smtp_server import SmtpServer, text_of
from workers.holds import offer_released_seats
from workers.mail.compose import compose
from workers.mail.tables import CONFIRMATION, OFFER, messages
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
    for without in ({}, {"timezone": None}, SimpleNamespace(), {"timezone": "Mars/Olympus"},
                    {"timezone": "localtime"}, {"timezone": "Factory"}):
        assert event_zone(without) == "UTC"


def test_times_are_shown_with_their_zones_abbreviation() -> None:
    winter = datetime(2026, 12, 12, 19, 0, tzinfo=UTC)
    assert local_time(winter, "Europe/London") == "Sat, 12 Dec 2026, 19:00 GMT"
    assert local_time(winter, "America/New_York") == "Sat, 12 Dec 2026, 14:00 EST"
    assert local_time(datetime(2026, 7, 4, 12, 0, tzinfo=UTC), "Europe/Berlin") == (
        "Sat, 4 Jul 2026, 14:00 CEST")


def test_a_time_a_zone_cannot_show_or_a_zone_not_known_here_is_shown_in_utc() -> None:
    """An event stored before its times and zones were bounded: its messages are still made."""
    last = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)  # past year 9999 at +14:00
    assert local_time(last, "Pacific/Kiritimati") == "Fri, 31 Dec 9999, 23:00 UTC"
    assert local_time(datetime(1, 1, 1, 1, 0, tzinfo=UTC), "America/New_York") == (
        "Mon, 1 Jan 1, 01:00 UTC")
    assert local_time(datetime(2026, 12, 12, 19, 0, tzinfo=UTC), "Mars/Olympus") == (
        "Sat, 12 Dec 2026, 19:00 UTC")


def test_a_confirmation_of_an_event_at_the_end_of_year_9999_in_kiritimati_is_composed() -> None:
    data = {"event": {"name": "Last gala", "venue": "Atoll", "starts_at": "9999-12-31T23:00:00Z",
                      "timezone": "Pacific/Kiritimati", "currency": "EUR"},
            "recipient_name": "Ann", "booking_id": "b-1", "quantity": 1, "total": "5",
            "tickets": [{"code": "CODE-1", "category": "General"}]}
    row = SimpleNamespace(data=json.dumps(data), kind=CONFIRMATION, recipient_name="Ann",
                          recipient_email="ann@example.com", created_at=datetime.now(UTC),
                          id=uuid4(), subject_id=uuid4())

    letter = compose(row, Settings(secret_key="k" * 40, database_url="sqlite://"))

    assert b"Starts: Fri, 31 Dec 9999, 23:00 UTC" in letter.data
