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

from datetime import datetime, timedelta
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from commands.domain.chain import ChainedCreated, ChainedEvent
from commands.domain.errors import Conflict
from core import error_codes as codes

STORED_AS = "commands.domain.payment:Payment"  # kept wherever the code moves: stored events decode

STARTED, SUCCEEDED, FAILED = "started", "succeeded", "failed"
# A failure's reason when its buyer never finished paying (3-D Secure left open) before the hold
# ended: its intent is cancelled at the provider first, so it can take no money later.
ABANDONED = "abandoned"
REFUND_PENDING, REFUNDED, REFUND_FAILED = "refund_pending", "refunded", "refund_failed"
# A refund asked for is given back by the request that asked, within this; past it (that
# request stopped), by the refunds' process manager (`workers.refunds`).
REFUND_GRACE = timedelta(seconds=30)
# A failed refund is asked again this long after its first failure, twice as long after each
# next, up to MAX_REFUND_FAILURES in a row; then it stays failed, shown with its reason.
REFUND_RETRY_AFTER = timedelta(seconds=10)
MAX_REFUND_FAILURES = 6
STRANDED = "stranded"  # a refund asked for by a request that stopped before making it
# Why money goes back: a success that paid for no booking (its hold had ended meanwhile), its
# booking cancelled, or its event.
SEATS_GONE = "hold_ended"
BOOKING_CANCELLED, EVENT_CANCELLED = "booking_cancelled", "event_cancelled"
TICKETS_CANCELLED = "tickets_cancelled"  # some tickets of its booking: their price goes back
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
        hold_id: UUID
        event_id: UUID
        user_id: str
        amount: int  # in the currency's minor unit, as the provider counts it
        currency: str
        provider: str
        intent_id: str
        started_at: datetime

    class PaymentRestarted(ChainedEvent):
        """Another attempt after a failed one: a new intent at the provider."""

        TOPIC = f"{STORED_AS}.PaymentRestarted"
        intent_id: str
        started_at: datetime

    class PaymentSucceeded(ChainedEvent):
        TOPIC = f"{STORED_AS}.PaymentSucceeded"
        event_id: UUID  # its ticketed event, for readers of the log (webhooks)
        intent_id: str
        captured: int  # what the provider took (minor unit): what may go back
        charge_id: str | None
        booking_id: UUID | None  # None: the hold had ended (`unbooked`), the money goes back
        unbooked: str | None
        notice_id: str | None  # the provider's webhook event, None when the answer told it
        succeeded_at: datetime

    class PaymentFailed(ChainedEvent):
        TOPIC = f"{STORED_AS}.PaymentFailed"
        event_id: UUID
        intent_id: str
        reason: str  # the provider's code
        message: str
        notice_id: str | None
        failed_at: datetime

    class RefundRequested(ChainedEvent):
        """Money to give back; whoever appends it asks the provider (`refund_key` names it
        there, so a retry after a lost answer finds it rather than refunding twice)."""

        TOPIC = f"{STORED_AS}.RefundRequested"
        amount: int
        reason: str
        requested_at: datetime

    class RefundSucceeded(ChainedEvent):
        TOPIC = f"{STORED_AS}.RefundSucceeded"
        event_id: UUID
        refund_id: str
        amount: int
        refunded_at: datetime

    class RefundFailed(ChainedEvent):
        TOPIC = f"{STORED_AS}.RefundFailed"
        reason: str
        message: str
        failed_at: datetime

    @event(PaymentStarted)
    def __init__(  # noqa: PLR0913 - the PaymentStarted event's fields
        self, id: UUID, hold_id: UUID, event_id: UUID,  # noqa: A002 - the library's name
        user_id: str, amount: int, currency: str, provider: str, intent_id: str,
        started_at: datetime,
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
        self.booking_id: UUID | None = None
        self.failure: str | None = None
        self.captured = 0
        self.refunded = 0
        self.refund_asked = 0  # of the refund asked for and not yet made (minor unit)
        self.refunds_made = 0
        self.refund_requests = 0
        self.refund_failures = 0  # in a row, since the last refund made
        self.refund_reason = ""  # why the last refund was asked for
        self.refund_changed_at: datetime | None = None  # its last request or failure
        self.notices: set[str] = set()

    @event(PaymentRestarted)
    def _restarted(self, intent_id: str, started_at: datetime) -> None:
        self.intent_id, self.status, self.failure = intent_id, STARTED, None
        self.attempts += 1

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
    def _refund_requested(self, amount: int, reason: str, requested_at: datetime) -> None:
        self.status, self.refund_reason = REFUND_PENDING, reason
        self.refund_asked = amount
        self.refund_requests += 1
        self.refund_changed_at = requested_at

    @event(RefundSucceeded)
    def _refund_succeeded(self, event_id: UUID, refund_id: str, amount: int,
                          refunded_at: datetime) -> None:
        self.refunded += amount
        self.refunds_made += 1
        # Less than asked: a refund an earlier try made, found at the provider; the rest is
        # still to be made.
        self.refund_asked = max(self.refund_asked - amount, 0)
        self.status = REFUND_PENDING if self.refund_asked else REFUNDED
        self.refund_failures = 0

    @event(RefundFailed)
    def _refund_failed(self, reason: str, message: str, failed_at: datetime) -> None:
        self.status = REFUND_FAILED
        self.refund_failures += 1
        self.refund_changed_at = failed_at
        self.failure = message

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
            self._refund_requested(amount=captured, reason=SEATS_GONE, requested_at=now)

    def fail(self, *, reason: str, message: str, notice_id: str | None, now: datetime) -> None:
        self._failed(event_id=self.event_id, intent_id=self.intent_id, reason=reason,
                     message=message, notice_id=notice_id, failed_at=now)

    @property
    def refundable(self) -> int:
        """What may still go back (minor unit): what was captured and not refunded, of a
        payment that succeeded (refunded in part, or its refund failed); none while a refund
        is pending."""
        if self.status in (SUCCEEDED, REFUNDED, REFUND_FAILED):
            return self.captured - self.refunded
        return 0

    def request_refund(self, *, reason: str, now: datetime, amount: int | None = None) -> None:
        """Ask for `amount` back (minor unit), or for all that may still go back (None;
        nothing to ask: nothing happens). A part is asked only when no refund is owed: one
        pending or failed is made first."""
        if amount is None:
            if self.refundable > 0:
                self._refund_requested(amount=self.refundable, reason=reason,
                                       requested_at=now)
            return
        if self.status in (REFUND_PENDING, REFUND_FAILED):
            raise Conflict("A refund of this payment is being made", code=codes.REFUND_IN_PROGRESS)
        if amount > self.refundable:
            raise Conflict(f"A refund of {amount} is more than the {self.refundable} the "
                           "payment may still give back", code=codes.REFUND_EXCEEDS_PAYMENT)
        if amount > 0:
            self._refund_requested(amount=amount, reason=reason, requested_at=now)

    def refund_due(self) -> datetime | None:
        """When the refund is to be made (again) by the process manager: a pending one past
        the grace its requester had, a failed one after its backoff; None: nothing to make."""
        changed = self.refund_changed_at
        if changed is None or self.provider == OFFLINE:  # its organizer gives it back
            return None
        if self.status == REFUND_PENDING:
            return changed if self.left_to_the_manager else changed + REFUND_GRACE
        if self.status == REFUND_FAILED and self.refund_failures < MAX_REFUND_FAILURES:
            backoff: timedelta = REFUND_RETRY_AFTER * 2 ** (self.refund_failures - 1)
            return changed + backoff
        return None

    @property
    def left_to_the_manager(self) -> bool:
        """Whether the refund asked for is the process manager's to make, from the start."""
        return self.refund_reason in MADE_BY_THE_MANAGER

    @property
    def refund_prefix(self) -> str:
        """How the provider's metadata names every try at the refund to be made next (the
        payment's next one: a payment may be refunded in parts, one after the other)."""
        return f"ledger-refund-{self.id}-{self.refunds_made + 1}-"

    @property
    def refund_key(self) -> str:
        """The provider's name for this try at the next refund: the idempotency key of its
        call, and in its metadata, so a later try finds it (`refund_prefix`)."""
        return f"{self.refund_prefix}{self.refund_requests}"

    def refunded_by(self, refund_id: str, *, now: datetime, amount: int | None = None) -> None:
        """Recorded as made: `amount` (minor unit; None: all that was asked)."""
        given = self.refund_asked if amount is None else amount
        self._refund_succeeded(event_id=self.event_id, refund_id=refund_id, amount=given,
                               refunded_at=now)

    def refund_failed(self, *, reason: str, message: str, now: datetime) -> None:
        self._refund_failed(reason=reason, message=message, failed_at=now)


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
    intent_id: str, now: datetime,
) -> Payment:
    """The payment of a hold (`hold`: its view), its first attempt at the provider made."""
    return Payment(id=payment_id, hold_id=hold["id"], event_id=hold["event_id"],
                   user_id=str(hold["user_id"]), amount=amount, currency=currency,
                   provider=provider, intent_id=intent_id, started_at=now)
