"""The domain events an Event's stream records, and the state they build.

Each class here is nested in the aggregate (`commands.aggregate.Event`), which redefines it
there: stored events keep the topic `commands.aggregate:Event.<Name>`, and the hash chain
covers the class name (`commands.chain`), so neither moves with this module.
State is plain dicts keyed by strings so snapshots transcode to JSON as they are.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any, TypedDict
from uuid import UUID

from commands.chain import UPCAST, ChainedCreated, ChainedEvent

ACTIVE, CANCELLED, COMPLETED = "active", "cancelled", "completed"
CONFIRMED = "confirmed"
TICKET_ACTIVE, TICKET_USED, TICKET_CANCELLED = "active", "used", "cancelled"
DETAIL_FIELDS = ("name", "description", "venue", "starts_at", "ends_at", "max_tickets_per_user")


class CategoryState(TypedDict):
    price: Decimal
    capacity: int
    sold: int


class BookingState(TypedDict):
    user_id: str
    user_name: str
    category: str
    quantity: int
    unit_price: Decimal
    status: str
    tickets: dict[str, str]
    created_at: datetime
    cancelled_at: datetime | None


class Created(ChainedCreated):
    class_version = 2  # version 1 was recorded before organizers
    name: str
    description: str
    venue: str
    starts_at: datetime
    ends_at: datetime | None
    currency: str
    categories: list[dict[str, Any]]
    max_tickets_per_user: int | None
    created_at: datetime
    organizer_id: str | None
    organizer_name: str | None

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """Recorded before organizers: unowned, so admins alone run it until a transfer.

        The fields are not in what its hash covered (`commands.chain.UPCAST`).
        """
        state["organizer_id"] = state["organizer_name"] = None
        state[UPCAST] = ("organizer_id", "organizer_name")


class OrganizerTransferred(ChainedEvent):
    previous_organizer_id: str | None
    organizer_id: str
    organizer_name: str
    by: str  # who moved it: an admin, or its organizer (to a co-organizer)
    transferred_at: datetime


class CoOrganizerAdded(ChainedEvent):
    user_id: str
    user_name: str
    by: str


class CoOrganizerRemoved(ChainedEvent):
    user_id: str
    by: str


class CoOrganizerInvited(ChainedEvent):
    """An organizer asked another to co-organize: nothing public until they accept."""

    user_id: str
    user_name: str
    by: str


class CoOrganizerAccepted(ChainedEvent):
    user_id: str
    user_name: str


class CoOrganizerDeclined(ChainedEvent):
    user_id: str


class CoOrganizerInvitationWithdrawn(ChainedEvent):
    user_id: str
    by: str


class DetailsUpdated(ChainedEvent):
    changes: dict[str, Any]


class CategoryAdded(ChainedEvent):
    name: str
    price: Decimal
    capacity: int


class CategoryChanged(ChainedEvent):
    name: str
    price: Decimal
    capacity: int


class SeatsBooked(ChainedEvent):
    secret = ("ticket_codes",)  # audit views show digests (commands.chain)
    booking_id: UUID
    user_id: str
    user_name: str
    category: str
    quantity: int
    unit_price: Decimal
    ticket_codes: list[str]
    booked_at: datetime


class BookingCancelled(ChainedEvent):
    booking_id: UUID
    user_id: str
    category: str
    quantity: int
    refund: Decimal
    reason: str
    cancelled_at: datetime


class TicketCheckedIn(ChainedEvent):
    secret = ("code",)
    booking_id: UUID
    code: str
    checked_in_at: datetime


class EventCancelled(ChainedEvent):
    cancelled_at: datetime


class EventCompleted(ChainedEvent):
    completed_at: datetime
