"""Venue time zones: IANA names are known, anything else is refused, the default one's setting
at startup."""

import pytest
from pydantic import ValidationError

from core.settings import Settings
from core.timezones import is_known_zone
from query_api.schemas import EventCreate

SECRET = "k" * 40  # a key given: the settings then make no secret file of their own


@pytest.mark.parametrize("name", ["UTC", "Europe/London", "America/New_York", "Asia/Kolkata"])
def test_iana_names_are_known(name: str) -> None:
    assert is_known_zone(name)


@pytest.mark.parametrize("name", ["", "Mars/Base", "europe/london", "../etc/passwd", "+01:00"])
def test_anything_else_is_not(name: str) -> None:
    assert not is_known_zone(name)


@pytest.mark.parametrize("name", ["localtime", "Factory", "posixrules", "posix/Europe/Paris",
                                  "right/UTC"])
def test_a_file_of_the_zone_database_that_is_no_place_is_not_a_venues_zone(name: str) -> None:
    """The machine's own zone, the "local time not set" zone and the database's own files are
    there to read, but name no place a venue is in."""
    assert not is_known_zone(name)


def test_the_default_zone_setting_is_utc_and_refuses_an_unknown_name_at_startup() -> None:
    assert Settings(secret_key=SECRET, database_url="sqlite://").default_timezone == "UTC"
    assert Settings(secret_key=SECRET, database_url="sqlite://",
                    default_timezone="Europe/Paris").default_timezone == "Europe/Paris"
    with pytest.raises(ValidationError, match="DEFAULT_TIMEZONE"):
        Settings(secret_key=SECRET, database_url="sqlite://", default_timezone="Mars/Base")


def test_an_event_created_without_a_zone_takes_the_default_setting() -> None:
    body = EventCreate.model_validate({"name": "Gig", "starts_at": "2031-01-01T19:00:00Z",
                                       "total_seats": 5})
    assert body.fields("Europe/Paris")["timezone"] == "Europe/Paris"
    named = EventCreate.model_validate({"name": "Gig", "starts_at": "2031-01-01T19:00:00Z",
                                        "total_seats": 5, "timezone": "Asia/Tokyo"})
    assert named.fields("Europe/Paris")["timezone"] == "Asia/Tokyo"
