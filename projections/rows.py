"""Row values from one domain event, shared by the projectors and the batch folds."""

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from commands.aggregate import (
    ACTIVE,
    CANCELLED,
    CONFIRMED,
    DETAIL_FIELDS,
    TICKET_ACTIVE,
    TICKET_USED,
    Event,
)


def stamp(e: Any, position: int) -> dict[str, Any]:
    """What every change of an event sets on its row."""
    return {"version": e.originator_version, "position": position, "updated_at": e.timestamp}


def details(e: Any) -> dict[str, Any]:
    return {k: v for k, v in e.changes.items() if k in DETAIL_FIELDS}


def sold(e: Any) -> int:
    """Seats a booking takes (negative: a cancellation frees them)."""
    return int(e.quantity if isinstance(e, Event.SeatsBooked) else -e.quantity)


def event_row(e: Any, position: int) -> dict[str, Any]:
    """The `events` row an Event.Created makes."""
    total = sum(int(c["capacity"]) for c in e.categories)
    return {
        "id": e.originator_id, "name": e.name, "description": e.description, "venue": e.venue,
        "starts_at": e.starts_at, "ends_at": e.ends_at, "currency": e.currency,
        "status": ACTIVE, "max_tickets_per_user": e.max_tickets_per_user,
        "total_seats": total, "available_seats": total,
        "created_at": e.timestamp,  # what the write side shows as the event's `created_on`
        "updated_at": e.timestamp, "version": e.originator_version, "position": position,
    }


def category_rows(e: Any) -> list[dict[str, Any]]:
    return [{"event_id": e.originator_id, "name": c["name"], "ordinal": i,
             "price": Decimal(c["price"]), "capacity": int(c["capacity"]), "sold": 0}
            for i, c in enumerate(e.categories)]


def booking_row(e: Any, position: int) -> dict[str, Any]:
    return {
        "id": e.booking_id, "event_id": e.originator_id, "user_id": UUID(e.user_id),
        "user_name": e.user_name, "category": e.category, "quantity": e.quantity,
        "unit_price": e.unit_price, "total_amount": e.unit_price * e.quantity,
        "status": CONFIRMED, "created_at": e.booked_at, "cancelled_at": None,
        "position": position,
    }


def ticket_rows(e: Any) -> list[dict[str, Any]]:
    return [{"code": code, "booking_id": e.booking_id, "event_id": e.originator_id,
             "ordinal": i, "status": TICKET_ACTIVE, "used_at": None}
            for i, code in enumerate(e.ticket_codes)]


def cancelled(e: Any, position: int) -> dict[str, Any]:
    return {"status": CANCELLED, "cancelled_at": e.cancelled_at, "position": position}


def checked_in(e: Any) -> dict[str, Any]:
    return {"status": TICKET_USED, "used_at": e.checked_in_at}


def stats_row(e: Any) -> dict[str, Any]:
    return {"event_id": e.originator_id, "bookings_confirmed": 0, "bookings_cancelled": 0,
            "tickets_sold": 0, "revenue": Decimal(0), "refunds": Decimal(0)}


def stat_increments(e: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """What a booking or cancellation adds to its event's totals and to its day's row."""
    if isinstance(e, Event.SeatsBooked):
        amount = e.unit_price * e.quantity
        return ({"bookings_confirmed": 1, "tickets_sold": e.quantity, "revenue": amount},
                {"bookings": 1, "tickets": e.quantity, "revenue": amount})
    if isinstance(e, Event.BookingCancelled):
        return ({"bookings_confirmed": -1, "bookings_cancelled": 1,
                 "tickets_sold": -e.quantity, "refunds": e.refund}, {"refunds": e.refund})
    return None


def day_of(e: Any) -> date:
    """The day a booking counts for (the library stamps events in UTC)."""
    day: date = e.timestamp.date()
    return day
