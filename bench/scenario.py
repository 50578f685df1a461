"""A known history written through the commands: bookings, a cancellation, a capacity change, a
check-in, then the whole event cancelled (versions 1..10). The Merkle benchmark measures over
it; the audit and proof tests check against it."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from commands.ledger import Ledger

TYPES = ["Created", "SeatsBooked", "SeatsBooked", "BookingCancelled", "CategoryChanged",
         "SeatsBooked", "TicketCheckedIn", "BookingCancelled", "BookingCancelled",
         "EventCancelled"]


def new_event(ledger: Ledger, **extra: Any) -> UUID:
    """A new event a week ahead, one category of 100 seats (fields overridden by `extra`)."""
    fields: dict[str, Any] = {
        "name": f"Show {uuid4().hex[:6]}", "description": "", "venue": "Hall",
        "starts_at": datetime.now(UTC) + timedelta(days=7), "ends_at": None, "currency": "EUR",
        "categories": [{"name": "General", "price": Decimal("25.00"), "capacity": 100}],
        "max_tickets_per_user": None,
    }
    event_id: UUID = ledger.create_event(**{**fields, **extra}).view["id"]
    return event_id


def book(ledger: Ledger, event_id: UUID, quantity: int = 1, category: str | None = None) -> Any:
    """A booking by a new customer; its view."""
    return ledger.book(event_id, user_id=uuid4(), user_name="Ann", category=category,
                       quantity=quantity).view


@dataclass
class Scenario:
    """The event, and its three bookings as the commands answered them."""

    event_id: UUID
    bookings: list[dict[str, Any]]


def scenario(ledger: Ledger) -> Scenario:
    """Write the history (the stored events' types are TYPES, in order)."""
    event_id = new_event(ledger, max_tickets_per_user=3, categories=[
        {"name": "General", "price": Decimal("25.00"), "capacity": 4},
        {"name": "VIP", "price": Decimal("90.00"), "capacity": 2},
    ])
    first = book(ledger, event_id, 2, "General")  # v2
    second = book(ledger, event_id, 1, "VIP")  # v3
    ledger.cancel_booking(first["id"])  # v4
    ledger.update_event(event_id, {}, [{"name": "General", "price": "25.00", "capacity": 6}])
    third = book(ledger, event_id, 3, "General")  # v6
    ledger.check_in(event_id, third["tickets"][0]["code"], third["id"])  # v7
    ledger.cancel_event(event_id)  # v8, v9: the two confirmed bookings; v10
    return Scenario(event_id, [first, second, third])
