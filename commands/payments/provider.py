"""What a payment provider tells the ledger, in the ledger's words: the state of a payment
it was asked to take, and a signed notice about one. Provider-neutral, so that the use cases
and the audit read them without loading a provider's client library."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class IntentState:
    """A PaymentIntent as the provider tells it now."""

    id: str
    status: str  # Stripe's: succeeded, requires_action, processing, requires_payment_method...
    client_secret: str | None
    charge_id: str | None
    amount: int
    currency: str
    hold_id: UUID | None  # from its metadata: ours, or None for one we did not make
    decline: tuple[str, str] | None = None  # (code, message) of the last failed attempt

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded"


@dataclass(frozen=True)
class Notice:
    """A provider's webhook, verified: its id, its type and the intent it reports on."""

    id: str
    type: str
    intent: IntentState


def tickets_named(codes: Iterable[str]) -> str:
    """How a refund's tickets are named at the provider, in its metadata: their count and a
    digest of their codes (a code opens the door, so it never leaves the ledger), for
    reconciliation to hold each refund's tickets against the ledger's."""
    ordered = sorted(codes)
    if not ordered:
        return ""
    return f"{len(ordered)}:{hashlib.sha256(chr(10).join(ordered).encode()).hexdigest()[:24]}"
