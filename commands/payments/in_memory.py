"""A payment provider in memory, behind the same port as Stripe: for the unit tests of the
payment rules (the quick tier), never in place of the real server's tests of a flow (those talk
to localstripe). It keeps what Stripe keeps that the rules depend on: attempts and their
states, refunds with their keys (a key used again answers the first refund, as Stripe's
idempotency does), signed notices, and an outage switch.

Payment methods are named as Stripe's test methods are: `pm_card_visa` pays,
`pm_card_chargeDeclined` is declined, `pm_card_threeDSecureRequired` waits for the buyer
(`complete_action`)."""

import hashlib
import hmac
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from uuid import UUID

from commands.domain.errors import Busy, DomainError
from commands.payments.provider import (
    CANCELED,
    DECLINED,
    NEEDS_ACTION,
    SUCCEEDED,
    UNCONFIRMED,
    IntentState,
    Moved,
    Notice,
    tickets_named,
)
from core import error_codes as codes

PAYS, DECLINES, NEEDS_THE_BUYER = (
    "pm_card_visa", "pm_card_chargeDeclined", "pm_card_threeDSecureRequired")


@dataclass
class _Attempt:
    state: IntentState
    method: str
    at: datetime


@dataclass
class _Refund:
    id: str
    intent_id: str
    amount: int
    key: str
    tickets: str
    at: datetime


@dataclass
class InMemoryProvider:
    """One account's attempts and refunds, stamped by `clock` (for `settled_between`)."""

    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    secret: bytes = b"in-memory-notices"
    name: str = "memory"
    label: str = "Card (in memory)"
    signature_header: str = "Memory-Signature"
    books_seats_first: bool = False
    down: bool = False  # the provider out of reach: every call raises Busy
    attempts: dict[str, _Attempt] = field(default_factory=dict)
    refunds: list[_Refund] = field(default_factory=list)
    _ids: "itertools.count[int]" = field(default_factory=itertools.count)

    def require_chargeable(self, amount: int, currency: str) -> None:
        if amount <= 0:
            raise DomainError("Nothing to charge", code=codes.AMOUNT_TOO_SMALL)

    def start(self, *, hold_id: UUID, attempt: int, amount: int,  # noqa: PLR0913
              currency: str, payment_method: str, description: str) -> IntentState:
        self._reach()
        intent = f"pi_{next(self._ids)}"
        state = IntentState(id=intent, status=UNCONFIRMED, client_secret=f"{intent}_secret",
                            charge_id=None, amount=amount, currency=currency.upper(),
                            hold_id=hold_id)
        self.attempts[intent] = _Attempt(state, payment_method, self.clock())
        return state

    def confirm(self, intent_id: str) -> IntentState:
        self._reach()
        attempt = self.attempts[intent_id]
        if attempt.method == DECLINES:
            return self._set(intent_id, status=DECLINED,
                             decline=("card_declined", "Your card was declined."))
        if attempt.method == NEEDS_THE_BUYER:
            return self._set(intent_id, status=NEEDS_ACTION)
        return self._paid(intent_id)

    def complete_action(self, intent_id: str) -> IntentState:
        """The buyer completes 3-D Secure in their browser."""
        return self._paid(intent_id)

    def pay_in_browser(self, intent_id: str) -> IntentState:
        """The buyer's browser confirms the attempt again with a card that pays."""
        return self._paid(intent_id)

    def look_up(self, intent_id: str) -> IntentState:
        self._reach()
        return self.attempts[intent_id].state

    def cancel_quietly(self, intent_id: str) -> None:
        self._reach()
        if self.attempts[intent_id].state.status != SUCCEEDED:
            self._set(intent_id, status=CANCELED)

    def refund(self, *, intent_id: str, amount: int, key: str,
               tickets: tuple[str, ...] = ()) -> str:
        self._reach()
        for made in self.refunds:
            if made.key == key:  # as Stripe answers a key it has seen
                return made.id
        if self.attempts[intent_id].state.status != SUCCEEDED:
            raise DomainError("The payment took no money", code=codes.PAYMENT_DECLINED)
        given = sum(r.amount for r in self.refunds if r.intent_id == intent_id)
        if given + amount > self.attempts[intent_id].state.amount:
            raise DomainError("The refund is more than was charged",
                              code=codes.PAYMENT_DECLINED)
        made = _Refund(f"re_{next(self._ids)}", intent_id, amount, key,
                       tickets_named(tickets), self.clock())
        self.refunds.append(made)
        return made.id

    def find_refunds(self, *, intent_id: str, prefix: str) -> list[tuple[str, int]]:
        self._reach()
        return [(r.id, r.amount) for r in self.refunds
                if r.intent_id == intent_id and r.key.startswith(prefix)]

    def read_notice(self, payload: bytes, signature: str | None) -> Notice | None:
        expected = hmac.new(self.secret, payload, hashlib.sha256).hexdigest()
        if signature is None or not hmac.compare_digest(signature, expected):
            raise DomainError("The notice's signature does not verify",
                              code=codes.INVALID_SIGNATURE)
        found = json.loads(payload)
        state = self.attempts[found["intent"]].state
        if not (state.succeeded or state.declined):
            return None
        return Notice(id=found["id"], intent=state)

    def notice_of(self, intent_id: str) -> tuple[bytes, str]:
        """The notice the provider sends of an attempt as it stands: its body and signature."""
        body = json.dumps({"id": f"evt_{next(self._ids)}", "intent": intent_id}).encode()
        return body, hmac.new(self.secret, body, hashlib.sha256).hexdigest()

    def settled_between(self, since: datetime,
                        until: datetime) -> tuple[list[Moved], list[Moved]]:
        taken = [Moved(i, a.state.amount, a.state.currency)
                 for i, a in self.attempts.items()
                 if a.state.succeeded and since <= a.at < until]
        given_back = [Moved(r.id, r.amount, self.attempts[r.intent_id].state.currency,
                            r.intent_id, r.tickets or None)
                      for r in self.refunds if since <= r.at < until]
        return taken, given_back

    def _paid(self, intent_id: str) -> IntentState:
        self._reach()
        return self._set(intent_id, status=SUCCEEDED, charge_id=f"ch_{intent_id}",
                         decline=None)

    def _set(self, intent_id: str, **changes: object) -> IntentState:
        attempt = self.attempts[intent_id]
        attempt.state = replace(attempt.state, **changes)  # type: ignore[arg-type]
        return attempt.state

    def _reach(self) -> None:
        if self.down:
            raise Busy("The payment provider did not answer: try again",
                       code=codes.PROVIDER_UNAVAILABLE)
