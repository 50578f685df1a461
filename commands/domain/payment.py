"""Payment: a hold's payment, its own stream, one per hold.

Its id derives from the id of the booking its hold becomes (`payment_of_booking`), so the payment
of a hold, or of a booking, is found without a projection, and two attempts to start it collide
in the store. Every step the provider reports
is one event carrying the provider's ids: an attempt started (`PaymentStarted`, then
`PaymentRestarted` after a failure), succeeded, failed; a refund asked for and how it ended. A
provider's notice (a webhook) is recorded with its id, and one seen before changes nothing.
`PaymentSucceeded` names the booking it paid for, saved in the same append as the booking
itself: a succeeded payment is one booking, or (its seats gone meanwhile) one refund of all of it.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from commands.domain.chain import ChainedCreated, ChainedEvent
from commands.domain.declared import Declared
from commands.domain.errors import Conflict
from commands.domain.refunds import (
    REFUND_FAILED,
    REFUND_PENDING,
    REFUNDED,
    Refund,
    standing,
)
from core import error_codes as codes

STORED_AS = "commands.domain.payment:Payment"  # kept wherever the code moves: stored events decode

STARTED, SUCCEEDED, FAILED = "started", "succeeded", "failed"
# A failure's reason when its buyer never finished paying (3-D Secure left open) before the hold
# ended: its intent is cancelled at the provider first, so it can take no money later.
ABANDONED = "abandoned"
STRANDED = "stranded"  # a refund asked for by a request that stopped before making it
# Why money goes back: a success that paid for no booking (its hold had ended meanwhile), its
# booking cancelled, or its event.
SEATS_GONE = "hold_ended"
BOOKING_CANCELLED, EVENT_CANCELLED = "booking_cancelled", "event_cancelled"
TICKETS_CANCELLED = "tickets_cancelled"  # some tickets of its booking: their price goes back
SUPERSEDED = "superseded_attempt"  # an earlier attempt's intent took money after all
# Refunds the process manager makes from the start, not the request that asked: an event's
# cancellation asks one per paid booking, and its organizer's request must not wait on as many
# calls to the provider.
MADE_BY_THE_MANAGER = frozenset({EVENT_CANCELLED})


# Paid outside any provider, and marked so by the event's organizer: at the door, or by a bank
# transfer the organizer received. Its refunds are the organizer's to give back and mark.
OFFLINE = "offline"


def payment_of_booking(booking_id: UUID) -> UUID:
    """The id of the payment stream of the booking `booking_id` (made from a hold)."""
    return uuid5(NAMESPACE_URL, f"payment-of-booking:{booking_id}")


class Payment(Aggregate):
    """A hold's payment: its amount in the currency's minor unit, the provider's attempts."""

    TOPIC = STORED_AS

    class Created(Aggregate.Created):  # the library's, never triggered: `PaymentStarted` is ours
        TOPIC = f"{STORED_AS}.Created"

    class PaymentStarted(ChainedCreated):
        TOPIC = f"{STORED_AS}.PaymentStarted"
        declared = Declared("Payment started")
        hold_id: UUID
        event_id: UUID
        user_id: str
        amount: int  # in the currency's minor unit, as the provider counts it
        currency: str
        provider: str
        intent_id: str
        started_at: datetime
        # A payment whose provider books the seats first names its booking from its start,
        # made in the same append; one that pays first names it when it succeeds.
        booking_id: UUID | None = None

    class PaymentRestarted(ChainedEvent):
        """Another attempt after a failed one: a new intent at the provider."""

        TOPIC = f"{STORED_AS}.PaymentRestarted"
        declared = Declared("Payment tried again")
        intent_id: str
        started_at: datetime

    class PaymentSucceeded(ChainedEvent):
        TOPIC = f"{STORED_AS}.PaymentSucceeded"
        declared = Declared("Payment succeeded", public="order.paid")
        event_id: UUID  # its ticketed event, for readers of the log (webhooks)
        intent_id: str
        captured: int  # what the provider took (minor unit): what may go back
        charge_id: str | None
        booking_id: UUID | None  # None: the hold had ended (`unbooked`), the money goes back
        unbooked: str | None
        notice_id: str | None  # the provider's webhook event, None when the answer told it
        succeeded_at: datetime

    class SupersededIntentSucceeded(ChainedEvent):
        """An earlier attempt's intent, replaced by a later one (`PaymentRestarted`), took the
        buyer's money all the same (confirmed in their browser before it could be cancelled):
        what it `captured` is recorded, and goes back in full (asked in the same append)."""

        TOPIC = f"{STORED_AS}.SupersededIntentSucceeded"
        declared = Declared("An earlier attempt took money")
        event_id: UUID
        intent_id: str
        captured: int
        charge_id: str | None
        notice_id: str | None
        succeeded_at: datetime

    class PaymentFailed(ChainedEvent):
        TOPIC = f"{STORED_AS}.PaymentFailed"
        declared = Declared("Payment failed", public="payment.failed")
        event_id: UUID
        intent_id: str
        reason: str  # the provider's code
        message: str
        notice_id: str | None
        failed_at: datetime

    class RefundRequested(ChainedEvent):
        """Money to give back: refund `number` of the payment, for `tickets` (their codes;
        none for money that booked nothing), or that refund asked again after it failed, for
        what it still owes. Whoever appends it asks the provider under the refund's own key
        (`Refund.key`), so a retry after a lost answer finds it rather than refunding twice.
        Recorded before refunds were numbered: `number` None (a retry then asked anew)."""

        TOPIC = f"{STORED_AS}.RefundRequested"
        declared = Declared("Refund asked for")
        secret = ("tickets",)  # audit views show digests (commands.domain.chain)
        amount: int
        reason: str
        requested_at: datetime
        number: int | None = None
        tickets: list[str] | None = None
        # The intent whose money goes back when it is not the payment's own (an earlier
        # attempt's, `SupersededIntentSucceeded`).
        intent_id: str | None = None

    class RefundSucceeded(ChainedEvent):
        """Refund `number` given back, wholly or in part (`amount`); `status` is the
        payment's after it, for readers of the log (its other refunds may still be owed)."""

        TOPIC = f"{STORED_AS}.RefundSucceeded"
        declared = Declared("Refunded", public="order.refunded")
        event_id: UUID
        refund_id: str
        amount: int
        refunded_at: datetime
        number: int | None = None
        status: str | None = None

    class RefundFailed(ChainedEvent):
        TOPIC = f"{STORED_AS}.RefundFailed"
        declared = Declared("Refund failed")
        reason: str
        message: str
        failed_at: datetime
        number: int | None = None
        status: str | None = None

    @event(PaymentStarted)
    def __init__(  # noqa: PLR0913 - the PaymentStarted event's fields
        self, id: UUID, hold_id: UUID, event_id: UUID,  # noqa: A002 - the library's name
        user_id: str, amount: int, currency: str, provider: str, intent_id: str,
        started_at: datetime, booking_id: UUID | None = None,
    ) -> None:
        self.hold_id = hold_id
        self.event_id = event_id
        self.user_id = user_id
        self.amount = amount
        self.currency = currency
        self.provider = provider
        self.intent_id = intent_id
        self.status = STARTED
        self.attempts = 1
        self.charge_id: str | None = None
        self.booking_id: UUID | None = booking_id
        self.failure: str | None = None
        self.captured = 0
        self.refunded = 0
        self.refunds: list[Refund] = []
        self.intents = [intent_id]  # every attempt's, in order: the last is `intent_id`
        self.superseded_paid: set[str] = set()  # earlier intents that took money anyway
        self.notices: set[str] = set()

    @event(PaymentRestarted)
    def _restarted(self, intent_id: str, started_at: datetime) -> None:
        self.intent_id, self.status, self.failure = intent_id, STARTED, None
        self.attempts += 1
        self.intents.append(intent_id)

    @event(SupersededIntentSucceeded)
    def _superseded_intent_succeeded(  # noqa: PLR0913 - the event's fields
        self, event_id: UUID, intent_id: str, captured: int, charge_id: str | None,
        notice_id: str | None, succeeded_at: datetime,
    ) -> None:
        self.captured += captured
        self.superseded_paid.add(intent_id)
        self._noticed(notice_id)

    @event(PaymentSucceeded)
    def _succeeded(  # noqa: PLR0913 - the PaymentSucceeded event's fields
        self, event_id: UUID, intent_id: str, captured: int, charge_id: str | None,
        booking_id: UUID | None, unbooked: str | None, notice_id: str | None,
        succeeded_at: datetime,
    ) -> None:
        self.status, self.charge_id, self.booking_id = SUCCEEDED, charge_id, booking_id
        self.captured = captured
        self._noticed(notice_id)

    @event(PaymentFailed)
    def _failed(  # noqa: PLR0913 - the PaymentFailed event's fields
        self, event_id: UUID, intent_id: str, reason: str, message: str,
        notice_id: str | None, failed_at: datetime,
    ) -> None:
        self.status, self.failure = FAILED, message
        self._noticed(notice_id)

    @event(RefundRequested)
    def _refund_requested(self, amount: int, reason: str,  # noqa: PLR0913 - its fields
                          requested_at: datetime, number: int | None = None,
                          tickets: list[str] | None = None, intent_id: str | None = None,
                          ) -> None:
        last = self.refunds[-1] if self.refunds else None
        if number is None and last is not None and last.status == REFUND_FAILED:
            number = last.number  # recorded before refunds were numbered: a retry
        if number is None or number > len(self.refunds):
            self.refunds.append(Refund(number=len(self.refunds) + 1, amount=amount,
                                       tickets=tuple(tickets or ()), reason=reason,
                                       changed_at=requested_at,
                                       intent_id=intent_id or self.intent_id))
        else:
            refund = self.refunds[number - 1]
            if tickets is None:  # recorded before: it asked anew, what was left of the payment
                refund.amount = refund.made + amount
            refund.status, refund.changed_at = REFUND_PENDING, requested_at
        self._refunds_changed()

    @event(RefundSucceeded)
    def _refund_succeeded(self, event_id: UUID, refund_id: str, amount: int,  # noqa: PLR0913
                          refunded_at: datetime, number: int | None = None,
                          status: str | None = None) -> None:
        refund = self._refund(number)
        self.refunded += amount
        refund.made += amount
        refund.refund_ids.append(refund_id)
        refund.failures = 0
        # Less than it owes: a part an earlier try made, found at the provider; the rest is
        # still to be made.
        refund.status = REFUND_PENDING if refund.owed > 0 else REFUNDED
        self._refunds_changed()

    @event(RefundFailed)
    def _refund_failed(self, reason: str, message: str, failed_at: datetime,
                       number: int | None = None, status: str | None = None) -> None:
        refund = self._refund(number)
        refund.status, refund.changed_at = REFUND_FAILED, failed_at
        refund.failures += 1
        self.failure = message
        self._refunds_changed()

    def _refunds_changed(self) -> None:
        """Its status, once it succeeded, is how its refunds stand; while an attempt is
        still being made (or failed), an earlier attempt's refund leaves it as it is."""
        self.status = self._status_after([r.status for r in self.refunds])

    def _refund(self, number: int | None) -> Refund:
        """Refund `number`; recorded before refunds were numbered (None), the first one
        still owed (one was owed at a time then)."""
        if number is not None:
            return self.refunds[number - 1]
        owed = [r for r in self.refunds if r.status == REFUND_PENDING]
        return owed[0] if owed else self.refunds[-1]

    def _noticed(self, notice_id: str | None) -> None:
        if notice_id is not None:
            self.notices.add(notice_id)

    # ----- decisions ------------------------------------------------------------------------

    @property
    def settled(self) -> bool:
        """Whether the money's fate is decided: it succeeded (then booked, or refunded)."""
        return self.status not in (STARTED, FAILED)

    def require_restartable(self) -> None:
        """A new attempt only after a failed one: one started or succeeded is not paid twice."""
        if self.status != FAILED:
            raise Conflict("The hold's payment is being made or has succeeded",
                           code=codes.PAYMENT_IN_PROGRESS)

    def restart(self, intent_id: str, *, now: datetime) -> None:
        self.require_restartable()
        self._restarted(intent_id=intent_id, started_at=now)

    def is_news(self, intent_id: str, notice_id: str | None) -> bool:
        """Whether a report on `intent_id` may change anything: of this payment's current
        attempt, not a notice seen before, and the payment not settled yet."""
        return (intent_id == self.intent_id and not self.settled
                and (notice_id is None or notice_id not in self.notices))

    def succeed(
        self, *, captured: int, charge_id: str | None, booking_id: UUID | None,
        notice_id: str | None, now: datetime,
    ) -> None:
        """Paid (`captured`): for the booking `booking_id`, or for none (its hold ended, or
        the amount was not the hold's: all of it goes back)."""
        self._succeeded(event_id=self.event_id, intent_id=self.intent_id, captured=captured,
                        charge_id=charge_id, booking_id=booking_id,
                        unbooked=None if booking_id is not None else SEATS_GONE,
                        notice_id=notice_id, succeeded_at=now)
        if booking_id is None:
            self._refund_requested(amount=captured, reason=SEATS_GONE, requested_at=now,
                                   number=len(self.refunds) + 1, tickets=[])

    def is_superseded_success(self, intent_id: str) -> bool:
        """Whether a success reported of `intent_id` is money an earlier attempt of this
        payment took after a later one replaced it, not recorded yet."""
        return (intent_id != self.intent_id and intent_id in self.intents
                and intent_id not in self.superseded_paid)

    def superseded_succeeded(self, *, intent_id: str, captured: int, charge_id: str | None,
                             notice_id: str | None, now: datetime) -> None:
        """An earlier attempt's money recorded, and asked back in full."""
        self._superseded_intent_succeeded(
            event_id=self.event_id, intent_id=intent_id, captured=captured,
            charge_id=charge_id, notice_id=notice_id, succeeded_at=now)
        self._refund_requested(amount=captured, reason=SUPERSEDED, requested_at=now,
                               number=len(self.refunds) + 1, tickets=[], intent_id=intent_id)

    def fail(self, *, reason: str, message: str, notice_id: str | None, now: datetime) -> None:
        self._failed(event_id=self.event_id, intent_id=self.intent_id, reason=reason,
                     message=message, notice_id=notice_id, failed_at=now)

    @property
    def refundable(self) -> int:
        """What may still be asked back (minor unit): what was captured, less every refund
        asked (made, being made or failed: each is still owed until made)."""
        return self.captured - sum(refund.amount for refund in self.refunds)

    @property
    def tickets_asked_back(self) -> frozenset[str]:
        """The tickets a refund of this payment names, made or still owed."""
        return frozenset(code for refund in self.refunds for code in refund.tickets)

    def request_refund(self, *, tickets: Mapping[str, int], reason: str,
                       now: datetime) -> Refund | None:
        """Ask back the price of `tickets` (each code with what it was sold for, minor unit)
        that no refund of the payment named before (a free one is named by none): the refund
        asked, None when nothing is owed (all named already, or all free). More than the
        payment may still give back is refused (REFUND_EXCEEDS_PAYMENT)."""
        if self.captured == 0:
            return None
        owed = {code: price for code, price in tickets.items()
                if price > 0 and code not in self.tickets_asked_back}
        amount = sum(owed.values())
        if amount <= 0:
            return None
        if amount > self.refundable:
            raise Conflict(f"A refund of {amount} is more than the {self.refundable} the "
                           "payment may still give back", code=codes.REFUND_EXCEEDS_PAYMENT)
        self._refund_requested(amount=amount, reason=reason, requested_at=now,
                               number=len(self.refunds) + 1, tickets=list(owed))
        return self.refunds[-1]

    def ask_again(self, refund: Refund, *, now: datetime) -> None:
        """Ask a failed refund again (or one left pending by a requester that stopped, once
        marked so): what it still owes, under its own key."""
        self._refund_requested(amount=refund.owed, reason=refund.reason, requested_at=now,
                               number=refund.number, tickets=list(refund.tickets),
                               intent_id=refund.intent_id)

    @property
    def owed_refunds(self) -> list[Refund]:
        """Its refunds being made now, in the order asked."""
        return [refund for refund in self.refunds if refund.status == REFUND_PENDING]

    @property
    def failed_refunds(self) -> list[Refund]:
        return [refund for refund in self.refunds if refund.status == REFUND_FAILED]

    def refund_due(self) -> datetime | None:
        """When the refunds' process manager is next to make one of its refunds (again);
        None: nothing to make (an offline payment's refunds are its organizer's)."""
        return min((at for _, at in self._due()), default=None)

    def refunds_due(self, now: datetime) -> list[Refund]:
        """Its refunds the process manager is to make (again) at `now`."""
        return [refund for refund, at in self._due() if at <= now]

    def _due(self) -> list[tuple[Refund, datetime]]:
        """Each refund the process manager is to make at some time, with that time."""
        if self.provider == OFFLINE:
            return []
        return [(refund, at) for refund in self.refunds
                if (at := refund.due(by_the_manager=refund.reason in MADE_BY_THE_MANAGER))
                is not None]

    def refunded_by(self, refund: Refund, refund_id: str, *, now: datetime,
                    amount: int | None = None) -> None:
        """`refund` recorded as made: `amount` of it (minor unit; None: all it owes)."""
        given = refund.owed if amount is None else min(amount, refund.owed)
        after = [r.status if r is not refund or given < r.owed else REFUNDED
                 for r in self.refunds]
        self._refund_succeeded(event_id=self.event_id, refund_id=refund_id, amount=given,
                               refunded_at=now, number=refund.number,
                               status=self._status_after(after))

    def refund_failed(self, refund: Refund, *, reason: str, message: str,
                      now: datetime) -> None:
        after = [r.status if r is not refund else REFUND_FAILED for r in self.refunds]
        self._refund_failed(reason=reason, message=message, failed_at=now,
                            number=refund.number, status=self._status_after(after))

    def _status_after(self, statuses: list[str]) -> str:
        """Its status once its refunds have `statuses` (as `_refunds_changed` makes it)."""
        if self.status in (STARTED, FAILED):
            return str(self.status)
        return standing(statuses) or SUCCEEDED


def paid_offline(  # noqa: PLR0913 - what the organizer says was paid
    payment_id: UUID, *, booking_id: UUID, event_id: UUID, user_id: str, amount: int,
    currency: str, method: str, reference: str | None, now: datetime,
) -> Payment:
    """A booking's payment taken outside any provider (`method`: at the door, by bank
    transfer), as its organizer marks it: started and succeeded in one append. It pays for the
    booking itself, so its `hold_id` names the booking."""
    payment = Payment(id=payment_id, hold_id=booking_id, event_id=event_id, user_id=user_id,
                      amount=amount, currency=currency, provider=OFFLINE,
                      intent_id=f"{method}:{reference or booking_id}", started_at=now)
    payment.succeed(captured=amount, charge_id=None, booking_id=booking_id, notice_id=None,
                    now=now)
    return payment


def started(  # noqa: PLR0913 - the first attempt's facts
    payment_id: UUID, *, hold: dict[str, Any], amount: int, currency: str, provider: str,
    intent_id: str, now: datetime, booking_id: UUID | None = None,
) -> Payment:
    """The payment of a hold (`hold`: its view), its first attempt at the provider made
    (`booking_id`: the booking its seats became first, the money awaited)."""
    # Recorded without `booking_id` when it has none, as every payment before it was.
    booked = {} if booking_id is None else {"booking_id": booking_id}
    return Payment(id=payment_id, hold_id=hold["id"], event_id=hold["event_id"],
                   user_id=str(hold["user_id"]), amount=amount, currency=currency,
                   provider=provider, intent_id=intent_id, started_at=now, **booked)
