"""Field types every body shares: money as decimal strings, aware UTC times, names."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
)
from pydantic_core import PydanticCustomError

from commands.domain.details import EARLIEST_EVENT_TIME, LATEST_EVENT_TIME
from core.personal import Personal
from core.personal_data.vault import personal_data
from core.single_line import first_refused
from core.timezones import is_known_zone

MAX_POSITION = 2**63 - 1  # a BIGINT: larger numbers are no position the store can hold


def _opened(value: object) -> object:
    """A person's name as the write side holds it, opened for the answer: "erased" once the
    person is forgotten (`core.personal_data`)."""
    return personal_data().open(value) if isinstance(value, Personal) else value


# A person's name in an answer made from the write side's state (a command's, time travel).
PersonName = Annotated[str, BeforeValidator(_opened)]


def utc(moment: datetime) -> datetime:
    """The moment in UTC; one that UTC cannot show (year 9999 at -05:00) is invalid, not a 500."""
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("the moment is out of range") from None


def _no_controls(allowed: str) -> AfterValidator:
    # PostgreSQL text cannot hold NUL; no name needs a control character, and one that ends a
    # line or reorders the text would end an e-mail header made of it or show it in another
    # order than it reads (`core.single_line`).
    def check(value: str) -> str:
        found = first_refused(value, allowed)
        if found is not None:
            raise PydanticCustomError(
                "character_not_allowed",
                "must not contain {character}: no control, line-breaking or "
                "direction-override character", {"character": f"U+{ord(found):04X}"})
        return value

    return AfterValidator(check)


SingleLine = _no_controls("")
MultiLine = _no_controls("\t\n\r")  # a description, a reason: a body's text, not a header
Money = Annotated[Decimal, PlainSerializer(lambda d: f"{d:.2f}", return_type=str)]
Price = Annotated[Decimal, Field(ge=0, le=10_000_000, decimal_places=2)]
def known_zone(name: str) -> str:
    """An IANA time zone name, or a validation error naming the field."""
    if not is_known_zone(name):
        raise ValueError(f"{name!r} is not an IANA time zone name, such as Europe/London")
    return name


def within_event_years(moment: datetime) -> datetime:
    """An event's time within the years events may be in (`commands.domain.details`)."""
    if not EARLIEST_EVENT_TIME <= moment <= LATEST_EVENT_TIME:
        raise PydanticCustomError(
            "event_time_out_of_range", "must be from {earliest} to {latest} (UTC)",
            {"earliest": f"{EARLIEST_EVENT_TIME:%Y-%m-%d}",
             "latest": f"{LATEST_EVENT_TIME:%Y-%m-%d}"})
    return moment


Moment = Annotated[AwareDatetime, AfterValidator(utc)]
EventTime = Annotated[AwareDatetime, AfterValidator(utc), AfterValidator(within_event_years),
                      Field(description="from 2000-01-01 to 2100-12-31 (UTC)")]
Name = Annotated[str, Field(min_length=1, max_length=200), SingleLine]
CategoryName = Annotated[str, Field(min_length=1, max_length=100), SingleLine]
Venue = Annotated[str, Field(max_length=200), SingleLine]
TimeZoneName = Annotated[str, Field(max_length=64, examples=["Europe/London"],
                                    description="the venue's IANA time zone"),
                         AfterValidator(known_zone)]
Description = Annotated[str, Field(max_length=5000), MultiLine]
SearchText = Annotated[str, Field(max_length=200), SingleLine]
Reason = Annotated[str, Field(max_length=500), MultiLine]
# As a buyer types it: checked and upper-cased by the ledger (`commands.domain.vouchers`).
VoucherCode = Annotated[str, Field(min_length=1, max_length=40, examples=["SPRING-26"]),
                        SingleLine]  # a cancellation's, as people say it
Role = Literal["customer", "organizer", "admin", "auditor"]
EventStatus = Literal["active", "cancelled", "completed"]
EventStatusFilter = Literal["active", "cancelled", "completed", "all"]


class Input(BaseModel):
    """Bodies refuse unknown fields, so a typo never silently falls back to a default."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


WAITLISTED_ALIAS = "Deprecated: use waitlisted (the same value)."
