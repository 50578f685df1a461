"""What an event's rules read of its state: the `Event` aggregate's attributes, as a type.

The rules (`details`, `organizers`, `lifecycle`, `seats`, `sales`, `checkout`, `waitlist`) are pure
functions of this state and their arguments: they decide, and the aggregate records. Only the
appliers write it, through `tally` (the seat counts) and `records` (the booking records).
"""

from datetime import datetime
from typing import Protocol
from uuid import UUID

from commands.domain.events import (
    BookingState,
    CategoryState,
    HoldState,
    PlaceState,
    TaxRule,
    VoucherState,
)
from core.personal import Named


class EventState(Protocol):
    """An event's state as its rules read it and its appliers keep it."""

    @property
    def id(self) -> UUID: ...

    status: str
    starts_at: datetime
    ends_at: datetime | None
    currency: str  # ISO 4217: what its prices are in
    max_tickets_per_user: int | None
    timezone: str  # the venue's IANA time zone
    translations: dict[str, dict[str, str]]  # its name and description per language
    published: bool  # False: a draft, neither listed nor on sale
    publish_at: datetime | None  # a draft's scheduled publication
    hold_seconds: int | None  # None: the default hold length
    payment_methods: list[str] | None  # the methods its buyers may pay with; None: every one
    organizer_id: str | None
    co_organizers: dict[str, Named]  # user id -> name, sealed
    invited: dict[str, Named]  # user id -> name, sealed, until they accept
    categories: dict[str, CategoryState]
    keeps_records: bool  # False on a warm aggregate: no booking records
    bookings: dict[str, BookingState]  # empty on a warm aggregate
    ticket_index: dict[str, str]  # ticket code -> booking id, empty on a warm aggregate
    booked_by_user: dict[str, int]  # user id -> seats booked
    holds: dict[str, HoldState]  # active holds by id, offers included
    held_by_category: dict[str, int]  # category -> seats held
    held_by_user: dict[str, int]  # user id -> seats held
    waitlist: dict[str, PlaceState]  # places waiting, in the order they joined
    waitlisted_by_category: dict[str, int]  # category -> seats waited for
    waitlisted_by_user: dict[str, int]  # user id -> seats waited for
    may_hold_again_at: dict[str, datetime]  # user id -> when a lapsed hold lets them again
    released_freely: dict[str, datetime]  # user id -> until when a release of theirs lapses
    lapses_kept: int  # lapses and free releases the last pruning kept: the next at twice that
    vouchers: dict[str, VoucherState]  # by code, as kept (upper-cased)
    voucher_uses: dict[str, int]  # code -> seats held or booked with it
    tax_rules: dict[str, TaxRule]  # by name: its rate, inclusive or not, its categories
