"""A repeated Idempotency-Key is answered with the first outcome, never decided twice.

A key names what its request makes: the same user and key always derive the same booking,
hold or place id, so a retry finds the first one (earlier in the same group, or its own stream
in the store, where a second one would collide). A request's digest tells a retry from another
request under the same key, which is refused (409 IDEMPOTENCY_KEY_REUSED).
"""

import hashlib
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from commands.domain.errors import Conflict
from core import error_codes as codes
from core.proofs.canonical import canonical

IDEMPOTENCY_NAMESPACE = uuid5(NAMESPACE_URL, "urn:booking-ledger:idempotency")
CLAIM_NAMESPACE = uuid5(NAMESPACE_URL, "urn:booking-ledger:claims")


def idempotent_booking_id(user_id: str, key: str) -> UUID:
    """The same user and key always name the same booking."""
    return uuid5(IDEMPOTENCY_NAMESPACE, f"{user_id}\x00{key}")


def claim_id(kind: str, user_id: str, key: str | None) -> UUID:
    """The same user and key always name the same hold (or place); no key: a new id."""
    return uuid5(CLAIM_NAMESPACE, f"{kind}\x00{user_id}\x00{key}") if key else uuid4()


def booking_of_hold(hold_id: UUID) -> UUID:
    """The id of the booking a hold becomes: a retried confirm names the same booking."""
    return uuid5(CLAIM_NAMESPACE, f"booking\x00{hold_id}")


def fingerprint(body: dict[str, Any]) -> str:
    """A stable digest of a request body, to tell a retry from a different request."""
    # ASCII escapes and str() as first written: stored fingerprints must still match retries.
    return hashlib.sha256(canonical(body, escape=True, default=str)).hexdigest()


def key_reused() -> Conflict:
    return Conflict(
        "This Idempotency-Key was used for a different request", code=codes.IDEMPOTENCY_KEY_REUSED
    )
