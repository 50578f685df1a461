"""A known history on the write side: bookings, a cancellation, a capacity change, a check-in,
then the whole event cancelled (versions 1..10)."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from commands.ledger import Ledger
from tests.projections.history import book, new_event

TYPES = ["Created", "SeatsBooked", "SeatsBooked", "BookingCancelled", "CategoryChanged",
         "SeatsBooked", "TicketCheckedIn", "BookingCancelled", "BookingCancelled",
         "EventCancelled"]


@dataclass
class Scenario:
    event_id: UUID
    bookings: list[dict[str, Any]]


def scenario(ledger: Ledger) -> Scenario:
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
