"""Requests for seats as they are asked: what depends on nothing the event decides, made
with the request, off the committer's path and before any lock.

A booking's id (derived from an idempotency key, so a retry names the same booking), a hold's
id likewise, the request's digest (to tell a retry from a different request under the same
key) and a booking's ticket codes. The requests then decide themselves in their event's group
(`commands.application.request_groups`).
"""

from typing import Unpack
from uuid import UUID, uuid4

from commands.application import seat_requests
from commands.application.booking import BookRequest
from commands.application.holds import HoldRequest
from commands.application.idempotency import claim_id, fingerprint, idempotent_booking_id
from commands.application.seat_requests import SeatFields
from commands.domain.claim import HOLD


def book_request(event_id: UUID, **fields: Unpack[SeatFields]) -> BookRequest:
    """The request, its booking id (derived from an idempotency key) and its ticket codes."""
    user, key = str(fields["user_id"]), fields.get("idempotency_key")
    category, quantity = fields["category"], fields["quantity"]
    return BookRequest(
        event_id=event_id,
        booking_id=idempotent_booking_id(user, key) if key else uuid4(),
        keyed=bool(key),
        digest=fingerprint({"event_id": event_id, "category": category, "quantity": quantity}),
        user_id=user,
        user_name=fields["user_name"],
        category=category,
        quantity=quantity,
        ticket_codes=tuple(seat_requests.new_ticket_code() for _ in range(max(quantity, 0))),
    )


def hold_request(event_id: UUID, **fields: Unpack[SeatFields]) -> HoldRequest:
    """A hold asked for: its id (derived from an idempotency key) and its request's digest."""
    user, key = str(fields["user_id"]), fields.get("idempotency_key")
    return HoldRequest(
        event_id=event_id, hold_id=claim_id(HOLD, user, key), keyed=bool(key),
        digest=fingerprint({"event_id": event_id, "category": fields["category"],
                            "quantity": fields["quantity"], "kind": HOLD}),
        user_id=user, user_name=fields["user_name"], category=fields["category"],
        quantity=fields["quantity"])
