"""Requests for seats as they are asked: what depends on nothing the event decides, made
with the request, off the committer's path and before any lock.

A booking's id (derived from an idempotency key, so a retry names the same booking), a hold's
id likewise, the request's digest (to tell a retry from a different request under the same
key) and a booking's ticket codes. The requests then decide themselves in their event's group
(`commands.application.request_groups`).
"""

from typing import Any, Unpack
from uuid import UUID, uuid4

from commands.application import seat_requests
from commands.application.booking import BookRequest
from commands.application.holds import HoldRequest
from commands.application.idempotency import claim_id, fingerprint, idempotent_booking_id
from commands.application.seat_requests import Asked, SeatFields
from commands.domain.claim import HOLD
from commands.domain.vouchers import code_of


def book_request(event_id: UUID, *, pay_first: bool = False,
                 **fields: Unpack[SeatFields]) -> BookRequest:
    """A booking asked for: its id (derived from an idempotency key), its digest, its ticket
    codes (`pay_first`: of a free category only, a provider taking payments)."""
    user, key = str(fields["user_id"]), fields.get("idempotency_key")
    body: dict[str, Any] = {"event_id": event_id, "category": fields["category"],
                            "quantity": fields["quantity"]}
    asked = _asked(event_id, idempotent_booking_id(user, key) if key else uuid4(), body, fields)
    codes = tuple(seat_requests.new_ticket_code() for _ in range(max(asked.quantity, 0)))
    return BookRequest(asked, codes, pay_first)


def hold_request(event_id: UUID, **fields: Unpack[SeatFields]) -> HoldRequest:
    """A hold asked for: its id (derived from an idempotency key) and its digest."""
    user, key = str(fields["user_id"]), fields.get("idempotency_key")
    body: dict[str, Any] = {"event_id": event_id, "category": fields["category"],
                            "quantity": fields["quantity"], "kind": HOLD}
    lines = fields.get("lines")
    if lines:  # only then: a single category's retry keeps the digest it had
        body["lines"] = [list(line) for line in lines]
    return HoldRequest(_asked(event_id, claim_id(HOLD, user, key), body, fields))


def _asked(event_id: UUID, made_id: UUID, body: dict[str, Any], fields: SeatFields) -> Asked:
    voucher = fields.get("voucher")
    if voucher:  # only then: a request without one keeps the digest it had
        body["voucher"] = code_of(voucher)
    return Asked(event_id=event_id, id=made_id, keyed=bool(fields.get("idempotency_key")),
                 digest=fingerprint(body), user_id=str(fields["user_id"]),
                 user_name=fields["user_name"], category=fields["category"],
                 quantity=fields["quantity"],
                 lines=tuple((name, seats) for name, seats in fields.get("lines") or ()) or None,
                 voucher=voucher or None)
