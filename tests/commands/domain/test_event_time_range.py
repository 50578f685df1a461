"""An event's start and end are within the years events may be in (from 2000 to the end of
2100, UTC): a time outside is refused (EVENT_TIME_OUT_OF_RANGE, naming the field) on creation
and on a change of it, so that every zone can show it. An event stored before a time or its
zone was refused (year 9999, `localtime`) keeps taking changes of its other details."""

from datetime import UTC, datetime, timedelta

import pytest

from commands.domain.details import EARLIEST_EVENT_TIME, LATEST_EVENT_TIME
from commands.domain.errors import DomainError
from tests.commands.given import NOW, STARTS, given, new_event, new_events, refused, types

AFTER_THE_LAST = datetime(2101, 1, 1, tzinfo=UTC)
YEAR_9999 = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)


@pytest.mark.parametrize("field", ["starts_at", "ends_at"])
@pytest.mark.parametrize("moment", [AFTER_THE_LAST, YEAR_9999])
def test_a_time_after_the_last_year_is_refused_on_creation(field: str, moment: datetime) -> None:
    with pytest.raises(DomainError) as refusal:
        new_event(**{field: moment})

    assert (refusal.value.code, refusal.value.status) == ("EVENT_TIME_OUT_OF_RANGE", 422)
    assert refusal.value.where == (field,)


def test_a_start_before_the_first_year_is_refused_as_out_of_range_not_as_past() -> None:
    with pytest.raises(DomainError) as refusal:
        new_event(starts_at=datetime(1, 1, 1, tzinfo=UTC), ends_at=None)

    assert refusal.value.code == "EVENT_TIME_OUT_OF_RANGE"


@pytest.mark.parametrize("field", ["starts_at", "ends_at"])
def test_a_change_to_a_time_after_the_last_year_is_refused(field: str) -> None:
    event = given(new_event())

    refused(event, lambda: event.update_details({field: AFTER_THE_LAST}, now=NOW),
            "EVENT_TIME_OUT_OF_RANGE", DomainError)


def test_the_first_and_last_moments_of_the_range_are_taken() -> None:
    assert given(new_event(ends_at=LATEST_EVENT_TIME)).ends_at == LATEST_EVENT_TIME
    with_first = given(new_event(now=EARLIEST_EVENT_TIME - timedelta(days=1),
                                 starts_at=EARLIEST_EVENT_TIME, ends_at=None))
    assert with_first.starts_at == EARLIEST_EVENT_TIME


def test_an_event_stored_with_a_time_out_of_range_still_takes_a_change_of_its_name() -> None:
    event = given(new_event())
    event.ends_at = YEAR_9999  # as the store decodes one recorded before the range
    assert STARTS < YEAR_9999

    event.update_details({"name": "Renamed"}, now=NOW)

    assert event.name == "Renamed"


def test_an_event_stored_in_a_zone_that_is_no_place_still_takes_a_change_of_its_name() -> None:
    event = given(new_event())
    event.timezone = "localtime"  # as the store decodes one recorded before it was refused

    event.update_details({"name": "Renamed"}, now=NOW)

    assert event.name == "Renamed"
    assert types(new_events(event)) == ["DetailsUpdated"]
    refused(event, lambda: event.update_details({"timezone": "Factory"}, now=NOW),
            "INVALID_TIMEZONE", DomainError)
