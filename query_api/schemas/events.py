"""Events: creation, changes, and the event with availability per category."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Self
from uuid import UUID

from pydantic import BaseModel, Field, field_validator, model_validator

from core.languages import LANGUAGES
from query_api.schemas.common import (
    WAITLISTED_ALIAS,
    CategoryName,
    Description,
    EventStatus,
    EventTime,
    Input,
    Moment,
    Money,
    Name,
    PersonName,
    Price,
    SingleLine,
    TimeZoneName,
    Venue,
)


class CategoryIn(Input):
    name: CategoryName
    price: Price
    capacity: int = Field(ge=1, le=1_000_000)
    hidden: bool = Field(False, description=(
        "on sale only with a voucher that names it (press, crew, sponsors): left out of the "
        "event as the public reads it, shown to a buyer who gives such a code"))


class CategorySet(CategoryIn):
    capacity: int = Field(ge=0, le=1_000_000)


# A method's name, as GET /api/payments/methods lists them.
PaymentMethodName = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[a-z0-9_]+$")]
PaymentMethodNames = Annotated[list[PaymentMethodName], Field(max_length=10)]
METHODS_CHOSEN = "the payment methods its buyers may pay with, by name, at least one"


TAXES_SET = ("its tax rules, each on the categories it names: every seat sold after takes "
             "its tax, rounded per seat to the currency's minor unit, halves up")


class TaxRuleIn(Input):
    name: Annotated[str, Field(min_length=1, max_length=40, examples=["VAT"]), SingleLine]
    rate: Decimal = Field(ge=0, le=100, decimal_places=3, description="percent")
    inclusive: bool = Field(description="true: the categories' prices include it (as VAT is "
                                        "shown in most countries); false: it is added on top")
    categories: list[CategoryName] = Field(default=[], max_length=50,
                                           description="the categories it applies to")


class TaxRuleOut(BaseModel):
    name: str
    rate: Decimal = Field(description="percent")
    inclusive: bool
    categories: list[str]


class EventTranslationIn(Input):
    name: Name | None = None
    description: Description | None = None


Translations = Annotated[dict[str, EventTranslationIn], Field(
    max_length=len(LANGUAGES), description=(
        "the event's name and description per language, by language code ("
        + ", ".join(LANGUAGES) + "; another is refused with 422 UNSUPPORTED_LANGUAGE): "
        "shown to buyers of that language, its messages and tickets too"))]


class EventCreate(Input):
    name: Name
    description: Description = ""
    venue: Venue = ""
    starts_at: EventTime
    ends_at: EventTime | None = None
    currency: str = Field(default="EUR", pattern=r"^[A-Za-z]{3}$")
    categories: list[CategoryIn] | None = Field(default=None, min_length=1, max_length=50)
    total_seats: int | None = Field(default=None, ge=1, le=1_000_000)
    price: Price | None = None
    max_tickets_per_user: int | None = Field(default=None, ge=1, le=100_000)
    hold_seconds: int | None = Field(
        default=None, ge=5, le=3600,
        description="how long a checkout hold keeps its seats (null: 600 seconds)")
    timezone: TimeZoneName | None = Field(
        default=None, description="the venue's IANA time zone, which its times are shown in "
                                  "(left out: the server's DEFAULT_TIMEZONE, UTC unless set)")
    published: bool = Field(
        default=True, description="false: a draft, neither listed nor on sale until "
                                  "POST /api/events/{id}/publish")
    publish_at: Moment | None = Field(
        default=None, description="a draft goes on sale by itself then (after now, before it "
                                  "starts); implies `published: false`")
    payment_methods: PaymentMethodNames | None = Field(
        default=None, description=METHODS_CHOSEN + " (left out: every method the server has, "
                                  "now and later)")
    taxes: list[TaxRuleIn] | None = Field(default=None, max_length=10,
                                          description=TAXES_SET + " (left out: none)")
    translations: Translations | None = None

    @model_validator(mode="after")
    def _one_seat_plan(self) -> Self:
        if (self.categories is None) == (self.total_seats is None):
            raise ValueError("give either `categories` or `total_seats`, not both or neither")
        if self.categories is not None and self.price is not None:
            raise ValueError("`price` goes with `total_seats`; with `categories` price each one")
        return self

    def fields(self, default_timezone: str) -> dict[str, Any]:
        """The keyword arguments of `Ledger.create_event` (the venue in `default_timezone` when
        the body names no zone)."""
        cats = self.categories or [
            CategoryIn(
                name="General", price=self.price or Decimal(0), capacity=self.total_seats or 0
            )
        ]
        data = self.model_dump(exclude={"categories", "total_seats", "price", "taxes",
                                        "translations"})
        if self.taxes is not None:
            data["taxes"] = [t.model_dump() for t in self.taxes]
        if self.translations is not None:
            data["translations"] = translated(self.translations)
        return data | {"categories": [c.model_dump() for c in cats],
                       "timezone": self.timezone or default_timezone,
                       "published": self.published and self.publish_at is None}


class EventUpdate(Input):
    name: Name | None = None
    description: Description | None = None
    venue: Venue | None = None
    starts_at: EventTime | None = None
    ends_at: EventTime | None = None
    max_tickets_per_user: int | None = Field(default=None, ge=1, le=100_000)
    hold_seconds: int | None = Field(
        default=None, ge=5, le=3600,
        description="how long a checkout hold keeps its seats (null: 600 seconds)")
    timezone: TimeZoneName | None = None
    categories: list[CategorySet] = Field(default=[], max_length=50)
    payment_methods: PaymentMethodNames | None = Field(
        default=None, description=METHODS_CHOSEN + " (left out: as they are)")
    taxes: list[TaxRuleIn] | None = Field(default=None, max_length=10,
                                          description=TAXES_SET + " (left out: as they are)")
    translations: Translations | None = Field(
        default=None, description="every language's name and description at once, replacing "
                                  "those given before ({}: none; left out: as they are)")

    @model_validator(mode="after")
    def _required_stay_set(self) -> Self:
        nulled = [
            f
            for f in ("name", "description", "venue", "starts_at", "timezone")
            if f in self.model_fields_set and getattr(self, f) is None
        ]
        if nulled:
            raise ValueError(f"these cannot be null: {', '.join(nulled)}")
        return self

    def changes(self) -> dict[str, Any]:
        changed = self.model_dump(exclude_unset=True,
                                  exclude={"categories", "payment_methods", "taxes",
                                           "translations"})
        if self.translations is not None:
            changed["translations"] = translated(self.translations)
        return changed

    def tax_rules(self) -> list[dict[str, Any]] | None:
        return None if self.taxes is None else [t.model_dump() for t in self.taxes]




def translated(given: dict[str, EventTranslationIn]) -> dict[str, dict[str, str]]:
    """The translations as the event records them: each language's fields that were given."""
    return {language: t.model_dump(exclude_none=True) for language, t in given.items()}


class EventTranslationOut(BaseModel):
    name: str | None = None
    description: str | None = None


class CategoryOut(BaseModel):
    name: str
    price: Money
    capacity: int
    sold: int
    held: int = Field(0, description="in holds not yet confirmed (checkout)")
    waitlisted: int = Field(0, description="seats the places on its waitlist wait for")
    waiting: int = Field(0, deprecated=WAITLISTED_ALIAS, description=WAITLISTED_ALIAS)
    available: int = Field(description="on sale to a walk-up buyer: not sold, held nor owed "
                                       "to the waitlist")
    hidden: bool = Field(False, description="on sale only with a voucher naming it")
    reserved: int = Field(0, description="kept off general sale by vouchers for their holders")

    @model_validator(mode="before")
    @classmethod
    def _waitlisted_and_its_alias(cls, data: Any) -> Any:
        """`waiting`, deprecated, answers the same count."""
        return {**data, "waiting": data.get("waitlisted", 0)} if isinstance(data, dict) else data


class OrganizerOut(BaseModel):
    id: UUID
    name: PersonName


class EventOut(BaseModel):
    id: UUID
    name: str
    description: str
    venue: str
    starts_at: datetime
    ends_at: datetime | None
    currency: str
    status: EventStatus
    categories: list[CategoryOut]
    total_seats: int
    available_seats: int
    max_tickets_per_user: int | None
    hold_seconds: int | None = Field(None, description="a checkout hold's length (null: 600)")
    timezone: str = Field("UTC", description="the venue's IANA time zone: show its times in it "
                                             "(the instants themselves are UTC)")
    published: bool = Field(True, description="false: a draft, seen only by its organizers and "
                                              "admins, not on sale")
    publish_at: datetime | None = Field(
        None, description="a draft's scheduled publication: it goes on sale by itself then")
    payment_methods: list[str] | None = Field(
        None, description="the payment methods its buyers may pay with, by name; null: every "
                          "method the server has (GET /api/payments/methods)")
    taxes: list[TaxRuleOut] = Field(default_factory=list, description=TAXES_SET)
    translations: dict[str, EventTranslationOut] = Field(
        default_factory=dict, description="its name and description per language where its "
                                          "organizers gave them: show a buyer theirs, else "
                                          "`name` and `description`")

    @field_validator("taxes", mode="before")
    @classmethod
    def _none_set(cls, value: Any) -> Any:
        """The read table holds null for an event that set none."""
        return [] if value is None else value

    @field_validator("translations", mode="before")
    @classmethod
    def _none_given(cls, value: Any) -> Any:
        """The read table holds null for an event named in one language."""
        return {} if value is None else value
    created_at: datetime
    organizer_id: UUID | None = Field(
        description="who runs it; null: recorded before organizers, run by admins alone")
    organizer_name: PersonName | None
    co_organizers: list[OrganizerOut] = Field(description="who runs it with the organizer")


class OrganizerPage(BaseModel):
    items: list[OrganizerOut]
    next_cursor: str | None


class CoOrganizerIn(Input):
    user_id: UUID = Field(description="an organizer's account")


class TransferIn(Input):
    organizer_id: UUID = Field(description="the organizer's account that takes the event over")


class PublicationIn(Input):
    publish_at: Moment | None = Field(
        description="when the draft goes on sale by itself (after now, before it starts); "
                    "null withdraws the schedule")


class EventChanged(EventOut):
    position: int | None = Field(description="global position of the command's last event")


class EventOrganizersOut(BaseModel):
    """Who runs an event as its stream says now, with the invitations not answered yet."""

    organizer_id: UUID | None
    organizer_name: PersonName | None
    co_organizers: list[OrganizerOut]
    invited_co_organizers: list[OrganizerOut] = Field(
        description="organizers invited to co-organize who have not answered yet")


class InvitationOut(BaseModel):
    """An invitation to co-organize an event, awaiting the invited organizer's answer."""

    event_id: UUID
    event_name: str
    starts_at: datetime
    organizer_id: UUID | None
    organizer_name: str | None
    invited_by: UUID
    invited_at: datetime


class InvitationPage(BaseModel):
    items: list[InvitationOut]
    next_cursor: str | None
    position: int = Field(description="the projection position this page reflects")


class EventPage(BaseModel):
    items: list[EventOut]
    next_cursor: str | None
    position: int = Field(description="the projection position this page reflects")
