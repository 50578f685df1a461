"""Plain-dict views of write-side state, in the API's shapes (command responses, time travel)."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from commands.domain.booking import Booking
from commands.domain.chain import digest
from commands.domain.event import Event
from commands.domain.events import BookingState, HoldState
from commands.domain.lines import lines_of, list_total_of, ticket_categories, total_of
from commands.domain.seats import reserved
from commands.domain.taxes import tax_summary


@dataclass(frozen=True)
class Outcome:
    """What a command answers: a view of what it changed and the store position reached."""

    view: dict[str, Any]
    position: int | None
    replayed: bool = False


def latest(*positions: int | None) -> int | None:
    """The furthest of the store positions an answer covers (None: it appended nothing)."""
    return max((p for p in positions if p is not None), default=None)


def event_view(event: Event) -> dict[str, Any]:
    """The event as the API shows it, with availability per category."""
    return {
        "id": event.id,
        "name": event.name,
        "description": event.description,
        "venue": event.venue,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "currency": event.currency,
        "status": event.status,
        "categories": [
            {
                "name": name,
                "price": c["price"],
                "capacity": c["capacity"],
                "sold": c["sold"],
                "held": event.held_by_category.get(name, 0),
                "waitlisted": event.waitlisted_by_category.get(name, 0),
                "available": event.available(name),
                "hidden": c.get("hidden", False),
                "reserved": reserved(event, name) if event.vouchers else 0,
            }
            for name, c in event.categories.items()
        ],
        "total_seats": event.total_seats,
        "available_seats": event.available_seats,
        "max_tickets_per_user": event.max_tickets_per_user,
        "hold_seconds": event.hold_seconds,
        "timezone": event.timezone,
        "translations": event.translations,
        "published": event.published,
        "publish_at": event.publish_at,
        "payment_methods": event.payment_methods,
        "taxes": [{"name": name, **rule} for name, rule in event.tax_rules.items()],
        "created_at": event.created_on,
        "version": event.version,
        **organizers_view(event),
    }


def organizers_view(event: Event) -> dict[str, Any]:
    """Who runs the event: its organizer (None: unowned, admins only) and co-organizers."""
    lead = event.organizer_id
    return {
        "organizer_id": UUID(lead) if lead is not None else None,
        "organizer_name": event.organizer_name,
        "co_organizers": [{"id": UUID(k), "name": v} for k, v in event.co_organizers.items()],
    }


def owners_view(event: Event) -> dict[str, Any]:
    """`organizers_view` with the organizers invited who have not answered yet (not public:
    for those who run the event)."""
    invited = [{"id": UUID(k), "name": v} for k, v in event.invited.items()]
    return organizers_view(event) | {"invited_co_organizers": invited}


def booking_view(booking: Booking) -> dict[str, Any]:
    """One booking, with its tickets, from its own stream."""
    return record_view(booking.event_id, booking.id, booking.state())


def record_view(event_id: UUID, booking_id: UUID, b: BookingState) -> dict[str, Any]:
    """One booking of an event's records (time travel shows them as they were)."""
    lines = lines_of(b)
    return {
        "id": booking_id,
        "event_id": event_id,
        "user_id": UUID(b["user_id"]),
        "user_name": b["user_name"],
        "category": b["category"],
        "quantity": b["quantity"],
        "unit_price": b["unit_price"],
        "total_amount": total_of(lines),
        "list_total": list_total_of(lines),
        "taxes": tax_summary(lines),
        "voucher": b.get("voucher"),
        "lines": lines,
        "status": b["status"],
        "tickets": _tickets(b),
        "created_at": b["created_at"],
        "cancelled_at": b["cancelled_at"],
        "cancelled_by": b.get("cancelled_by"),
        "cancellation_reason": b.get("cancellation_reason"),
    }


def _tickets(b: BookingState) -> list[dict[str, Any]]:
    """Its tickets, each with its category (`commands.domain.lines`: they follow its lines)."""
    category = ticket_categories(b, b["tickets"])
    return [{"code": code, "status": s, "category": category[code]}
            for code, s in b["tickets"].items()]


def holds_view(event: Event) -> list[dict[str, Any]]:
    """The holds the event counts as taking seats out of sale, in the order they were made."""
    return [_hold_view(UUID(hold_id), h) for hold_id, h in event.holds.items()]


def _hold_view(hold_id: UUID, h: HoldState) -> dict[str, Any]:
    return {
        "id": hold_id,
        "user_id": UUID(h["user_id"]),
        "user_name": h["user_name"],
        "category": h["category"],
        "quantity": h["quantity"],
        "lines": lines_of(h),
        "expires_at": h["expires_at"],
        "offer_for": UUID(h["offer_for"]) if h["offer_for"] is not None else None,
    }


def waitlist_view(event: Event) -> list[dict[str, Any]]:
    """The places waiting, each with its rank on its category's line (1: offered next)."""
    ranks: dict[str, int] = {}
    places = []
    for place_id, p in event.waitlist.items():
        ranks[p["category"]] = ranks.get(p["category"], 0) + 1
        places.append({"id": UUID(place_id), "rank": ranks[p["category"]],
                       "user_id": UUID(p["user_id"]), "user_name": p["user_name"],
                       "category": p["category"], "quantity": p["quantity"],
                       "joined_at": p["joined_at"]})
    return places


def vouchers_view(event: Event) -> list[dict[str, Any]]:
    """The vouchers made, each code as its digest (as the log shows it), with its terms and
    the seats held or booked with it."""
    return [{"code": digest(code), **terms, "used": event.voucher_uses.get(code, 0)}
            for code, terms in event.vouchers.items()]


def redacted(booking: dict[str, Any]) -> dict[str, Any]:
    """A booking view with each ticket code as its digest: for those who may not open doors."""
    voucher = booking.get("voucher")
    return booking | {"tickets": [t | {"code": digest(t["code"])} for t in booking["tickets"]],
                      "voucher": digest(voucher) if voucher else None}
