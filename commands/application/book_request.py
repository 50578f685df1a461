"""A booking as asked for: what is made with the request, before any lock is taken.

Booked at once (BOOK), held for the buyer first (HOLD), or a hold booked (CONFIRM): all three
are committed in the booking groups (`commands.application.book`).

The booking id (derived from an idempotency key, so a retry names the same booking), the
request's digest (to tell a retry from a different request) and the ticket codes depend on
nothing the event decides, so they are made here, off the committer's path.
"""

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict, Unpack
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from commands.domain.actor import Actor
from commands.domain.claim import ClaimRef
from core.proofs.canonical import canonical

IDEMPOTENCY_NAMESPACE = uuid5(NAMESPACE_URL, "urn:booking-ledger:idempotency")
BOOK, HOLD, CONFIRM = "book", "hold", "confirm"


class BookFields(TypedDict):
    """A booking command's arguments."""

    user_id: UUID
    user_name: str
    category: str | None
    quantity: int
    idempotency_key: NotRequired[str | None]


@dataclass(frozen=True)
class BookRequest:
    """One booking asked for, as the group committer decides it."""

    event_id: UUID
    booking_id: UUID
    keyed: bool
    digest: str
    user_id: str
    user_name: str
    category: str | None
    quantity: int
    ticket_codes: tuple[str, ...]
    kind: str = BOOK
    claim: ClaimRef | None = None  # CONFIRM: the hold's claim, looked up before queueing
    actor: Actor | None = None  # CONFIRM: who confirms (None: trusted)


def book_request(event_id: UUID, **fields: Unpack[BookFields]) -> BookRequest:
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
        ticket_codes=tuple(new_ticket_code() for _ in range(max(quantity, 0))),
    )


def new_ticket_code() -> str:
    """128 random bits from `secrets`, URL-safe, unguessable."""
    return secrets.token_urlsafe(16)


def idempotent_booking_id(user_id: str, key: str) -> UUID:
    """The same user and key always name the same booking."""
    return uuid5(IDEMPOTENCY_NAMESPACE, f"{user_id}\x00{key}")


def fingerprint(body: dict[str, Any]) -> str:
    """A stable digest of a request body, to tell a retry from a different request."""
    # ASCII escapes and str() as first written: stored fingerprints must still match retries.
    return hashlib.sha256(canonical(body, escape=True, default=str)).hexdigest()
