"""What a request for seats is to the group that commits it: a booking (`booking.BookRequest`),
a hold or its confirmation (`holds.HoldRequest`, `holds.ConfirmRequest`).

Each kind decides itself on its event's aggregate; the group (`request_groups`) only locks,
loads, saves and answers, whatever the kinds it holds. What a request may read besides its
event comes in as `Lookups`, read from the store by the group.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NotRequired, Protocol, TypedDict
from uuid import UUID

from commands.application.views import Outcome
from commands.domain.booking import Booking
from commands.domain.claim import Claim
from commands.domain.event import Event
from core.personal import Named


class SeatFields(TypedDict):
    """What a buyer asks for, to book, hold or wait for: the same fields for each."""

    user_id: UUID
    user_name: Named  # sealed by the ledger before anything records it
    category: str | None
    quantity: int
    idempotency_key: NotRequired[str | None]
    # A hold across categories: each one's name and seats (then `category` is None and
    # `quantity` all lines' seats).
    lines: NotRequired[list[tuple[str, int]] | None]
    # A voucher's code, as the buyer typed it: its price for the seats it applies to.
    voucher: NotRequired[str | None]


@dataclass(frozen=True)
class Asked:
    """What a buyer asked, to book or hold, as made before any lock (`asked`)."""

    event_id: UUID
    id: UUID  # of the booking or hold it makes: derived from an idempotency key, if any
    keyed: bool
    digest: str  # of the request, to tell a retry from another request under the same key
    user_id: str
    user_name: Named
    category: str | None
    quantity: int
    lines: tuple[tuple[str, int], ...] | None = None  # a hold's across categories
    voucher: str | None = None


# What a request made, to save with its event: a booking's or a claim's new stream.
Made = Booking | Claim


@dataclass(frozen=True)
class Lookups:
    """What deciding a request may read besides its event's aggregate."""

    find_ref: Callable[[UUID], Booking | None]  # a booking's stream, by its id
    find_claim: Callable[[UUID], Claim | None]  # a hold's or a place's stream, by its id
    now: datetime
    made_in_group: dict[UUID, Any]  # what the requests decided before in this group made, by id
    careful: bool  # a retry after a conflict: keyed requests look their first answer up


class SeatRequest(Protocol):
    """One request for seats, decided on its event's aggregate in a group."""

    @property
    def event_id(self) -> UUID: ...

    def earlier(self, event: Event, look: Lookups) -> Outcome | None:
        """The answer a retry gets (its first outcome); None: decide it."""
        ...

    def decide(self, event: Event, look: Lookups) -> tuple[Made, dict[str, Any]]:
        """Let the aggregate decide: the stream it made, to save, and the answer. A refusal
        (DomainError) leaves the aggregate unchanged."""
        ...


def new_ticket_code() -> str:
    """128 random bits from `secrets`, URL-safe, unguessable."""
    return secrets.token_urlsafe(16)
