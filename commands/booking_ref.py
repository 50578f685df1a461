"""BookingRef: a one-event aggregate per booking, saved with the booking in one transaction.

Its id is the booking id, so the write side finds a booking's event without any projection,
and a retried `Idempotency-Key` (which derives the same booking id) collides with it in the
store instead of booking twice.
"""

import hashlib
import json
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from commands.chain import ChainedCreated

IDEMPOTENCY_NAMESPACE = uuid5(NAMESPACE_URL, "urn:booking-ledger:idempotency")


class BookingRef(Aggregate):
    """Where a booking lives, who made it, and what request made it."""

    class Registered(ChainedCreated):
        event_id: UUID
        user_id: str
        fingerprint: str

    @event(Registered)
    def __init__(self, id: UUID, event_id: UUID,  # noqa: A002
     user_id: str, fingerprint: str) -> None:
        self.event_id = event_id
        self.user_id = user_id
        self.fingerprint = fingerprint


def idempotent_booking_id(user_id: str, key: str) -> UUID:
    """The same user and key always name the same booking."""
    return uuid5(IDEMPOTENCY_NAMESPACE, f"{user_id}\x00{key}")


def fingerprint(body: dict[str, Any]) -> str:
    """A stable digest of a request body, to tell a retry from a different request."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()
