"""The payment provider port: what the write side asks of a provider (start a payment, confirm
it, look it up, cancel it, refund it, find a refund, read its notice, list what settled), and
what a provider tells it back, in the ledger's words. The use cases, the domain and the audit
speak only these terms; each provider is an adapter behind them (`commands/payments/stripe/`,
`commands/payments/offline/`, `commands/payments/in_memory.py`), registered by
`commands/payments/registry.py`.

A provider takes the money in one of two orders, which it declares (`books_seats_first`): the
money first (a card: the payment's success books the hold), or the seats first (a bank transfer,
the box office: the hold is booked at once, its price owed until the event's organizers mark the
money received, and a refund given back by them by hand and marked so)."""

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

# How an attempt stands at the provider, in the ledger's words. The two an API answer may show
# while a payment is being made keep the words the web UI and the SDK already read.
SUCCEEDED = "succeeded"
DECLINED = "declined"  # the buyer's payment method was refused: the attempt failed
NEEDS_ACTION = "requires_action"  # the buyer must act in their browser (3-D Secure)
PROCESSING = "processing"  # the money is on its way: a success or a failure comes later
UNCONFIRMED = "unconfirmed"  # made, not yet confirmed (a try that never reached the provider)
CANCELED = "canceled"  # cancelled at the provider: it can take no money any more
# The seats are booked and the money is still to come (a provider that books seats first).
AWAITING_PAYMENT = "awaiting_payment"


@dataclass(frozen=True)
class IntentState:
    """One attempt at a payment (an intent) as the provider tells it now."""

    id: str
    status: str  # one of the words above
    client_secret: str | None  # what the browser completes an action with
    charge_id: str | None
    amount: int  # minor unit
    currency: str
    hold_id: UUID | None  # the hold it names: ours, or None for one we did not make
    decline: tuple[str, str] | None = None  # (code, message) of the last failed attempt
    reference: str | None = None  # what the buyer quotes when paying by hand (a transfer's)

    @property
    def succeeded(self) -> bool:
        return self.status == SUCCEEDED

    @property
    def declined(self) -> bool:
        return self.status == DECLINED


@dataclass(frozen=True)
class Notice:
    """A provider's notice about an attempt (a webhook), its signature verified."""

    id: str
    intent: IntentState


@dataclass(frozen=True)
class Moved:
    """Money that moved at the provider, as it lists it: a payment taken or a refund made."""

    id: str
    amount: int  # minor unit
    currency: str
    intent_id: str | None = None  # a refund's attempt
    tickets: str | None = None  # a refund's tickets as named there (`tickets_named`)


class PaymentProvider(Protocol):
    """A payment provider, as the write side asks it. Every call that moves money carries a
    key made from the ledger's own ids, so a retried call after a lost answer moves it once.
    A provider out of reach raises `Busy` (PROVIDER_UNAVAILABLE); one that refuses raises a
    `DomainError` (PAYMENT_DECLINED)."""

    name: str  # stored on its payments; in the path of its notices' route
    label: str  # what a person reads: the event form's and the checkout's choice
    signature_header: str  # the request header its notices' signature comes in
    # True: the hold is booked at once, its price owed until the money is marked received
    # (refunds are given back by hand); False: the payment's success books the hold.
    books_seats_first: bool

    def require_chargeable(self, amount: int, currency: str) -> None:
        """Refuse, before any call, a total the provider would refuse (AMOUNT_TOO_SMALL)."""

    def start(self, *, hold_id: UUID, attempt: int, amount: int,  # noqa: PLR0913
              currency: str, payment_method: str, description: str) -> IntentState:
        """An attempt at the hold's payment with the buyer's method, not yet confirmed (a
        provider that books seats first: the money awaited, and its reference)."""

    def confirm(self, intent_id: str) -> IntentState:
        """The attempt confirmed: a declined method comes back as its state (`decline`)."""

    def look_up(self, intent_id: str) -> IntentState: ...

    def cancel_quietly(self, intent_id: str) -> None:
        """Cancel an attempt that must take no money; one that cannot be any more is left."""

    def refund(self, *, intent_id: str, amount: int, key: str,
               tickets: tuple[str, ...] = ()) -> str:
        """Give `amount` of the attempt back, for `tickets`, named `key`: the refund's id."""

    def find_refunds(self, *, intent_id: str, prefix: str) -> list[tuple[str, int]]:
        """The id and amount of each of the attempt's refunds whose key starts with
        `prefix`, that did not fail."""

    def read_notice(self, payload: bytes, signature: str | None) -> Notice | None:
        """The notice, its signature verified (else INVALID_SIGNATURE); None when it tells
        neither a success nor a failure of an attempt."""

    def settled_between(self, since: datetime,
                        until: datetime) -> tuple[list[Moved], list[Moved]]:
        """The payments and the refunds that succeeded within [since, until)."""


# The payment methods a deployment has, by name, in the order a buyer is offered them.
PaymentMethods = Mapping[str, PaymentProvider]


def tickets_named(codes: Iterable[str]) -> str:
    """How a refund's tickets are named at the provider, in its metadata: their count and a
    digest of their codes (a code opens the door, so it never leaves the ledger), for
    reconciliation to hold each refund's tickets against the ledger's."""
    ordered = sorted(codes)
    if not ordered:
        return ""
    return f"{len(ordered)}:{hashlib.sha256(chr(10).join(ordered).encode()).hexdigest()[:24]}"
