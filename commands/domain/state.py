"""What an event's rules read of its state: the `Event` aggregate's attributes, as a type.

The rules (`details`, `organizers`, `lifecycle`, `seats`, `sales`, `checkout`) are pure
functions of this state and their arguments: they decide, and the aggregate records.
"""

from datetime import datetime
from typing import Protocol
from uuid import UUID

from commands.domain.events import BookingState, CategoryState, HoldState, PlaceState


class EventState(Protocol):
    """An event's state as its rules read it (never written through this type)."""

    @property
    def id(self) -> UUID: ...

    status: str
    starts_at: datetime
    ends_at: datetime | None
    max_tickets_per_user: int | None
    hold_seconds: int | None  # None: the default hold length
    organizer_id: str | None
    co_organizers: dict[str, str]  # user id -> name
    invited: dict[str, str]  # user id -> name, until they accept
    categories: dict[str, CategoryState]
    bookings: dict[str, BookingState]  # empty on a warm aggregate
    ticket_index: dict[str, str]  # ticket code -> booking id, empty on a warm aggregate
    held: dict[str, int]  # user id -> seats booked
    holds: dict[str, HoldState]  # active holds by id, offers included
    on_hold: dict[str, int]  # category -> seats held
    holding: dict[str, int]  # user id -> seats held
    line: dict[str, PlaceState]  # places waiting, in the order they joined
    waiting: dict[str, int]  # category -> seats the line waits for
    placed: dict[str, int]  # user id -> seats waited for in lines
    lapsed: dict[str, datetime]  # user id -> when they may hold again
