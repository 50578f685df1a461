"""A hold's payment: started with the buyer's payment method, confirmed on the server, and
settled once, from the confirmation's answer or from the provider's webhook, whichever comes
first. Or, with a method that books the seats first (a bank transfer): the hold becomes its
booking at once, its price owed, and the payment started awaiting the money, naming it, in one
append; the event's organizers mark the money received (`commands.application.offline_payments`).

Each payment is made with one of the deployment's methods (`commands.payments.registry`), one the
hold's event accepts (`commands.domain.payment_methods`); every later step asks the payment's
own method, found by the name it was recorded with.

The intent is made at the provider and recorded (`PaymentStarted`) before it is confirmed, so the
ledger knows of every attempt that could move money. Its success is decided under the
event's lock, on the event's and the payment's fresh state: the hold becomes its booking and the
payment names it, in one append. A success whose hold has ended meanwhile books nothing and is
refunded in full at once. A report seen before (the answer after the webhook, a webhook
delivered twice) finds the payment settled and changes nothing.
"""

import contextlib
import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from commands.application import seat_requests
from commands.application.holds import HoldCommands, hold_now
from commands.application.idempotency import booking_of_hold
from commands.application.runner import CommandRunner, Decided
from commands.application.views import Outcome
from commands.domain import payment_methods
from commands.domain.actor import Actor
from commands.domain.booking import Booking, booking_ref
from commands.domain.claim import Claim
from commands.domain.errors import Conflict, DomainError, NotFound
from commands.domain.event import Event
from commands.domain.events import HOLD_ACTIVE, HOLD_EXPIRED
from commands.domain.lines import lines_of, ticket_lines, total_of
from commands.domain.payment import (
    ABANDONED,
    FAILED,
    MADE_BY_THE_MANAGER,
    STARTED,
    STRANDED,
    Payment,
    payment_of_booking,
    started,
)
from commands.domain.refunds import REFUND_PENDING, Refund
from commands.payments import registry
from commands.payments.provider import (
    PROCESSING,
    UNCONFIRMED,
    IntentState,
    Notice,
    PaymentMethods,
    PaymentProvider,
)
from commands.store.aggregate_store import AggregateStore
from core import error_codes as codes
from core.money import from_minor, to_minor

log = logging.getLogger(__name__)


class PaymentCommands:
    """Pay for a hold, take the provider's notices, read a hold's payment."""

    def __init__(self, runner: CommandRunner, store: AggregateStore, holds: HoldCommands,
                 methods: Callable[[], PaymentMethods]) -> None:
        self.runner = runner
        self.store = store
        self.holds = holds
        self.methods = methods  # the deployment's, by name, made at first use

    # ----- paying ---------------------------------------------------------------------------

    def pay(self, hold_id: UUID, actor: Actor | None, payment_method: str | None,
            method: str | None = None) -> Outcome:
        """Pay for the hold (its buyer, or an admin) with `method`, one its event accepts
        (None: the method that takes the money first), and the buyer's payment method where
        that method takes one: the payment's state; its booking when it succeeded at once, or
        when the method books the seats first. A payment made or being made answers as it
        stands (no second charge); a failed one may be tried again."""
        claim = self.holds.claim(hold_id, actor)  # not found, to any but its buyer or an admin
        provider = self._chosen(method)
        payment_id = payment_of_hold(hold_id)
        payment = self.store.find_payment(payment_id)
        if payment is not None and payment.provider != provider.name:
            raise Conflict(f"The hold's payment was begun with {payment.provider!r}",
                           code=codes.OTHER_METHOD_STARTED)
        if payment is not None and payment.status == FAILED:
            # The failed attempt's intent may have been paid since, in the buyer's browser
            # (another card on the same page): it is then the payment, not a second one.
            earlier = provider.look_up(payment.intent_id)
            if earlier.succeeded:
                return _declined_or(self.settle(payment_id, earlier, notice_id=None,
                                                known=payment))
        if payment is not None and payment.status != FAILED:
            return _declined_or(self._as_it_stands(payment, provider))
        registered, default = list(self.methods()), registry.by_default(self.methods())

        def hold_on_terms(event: Event) -> tuple[dict[str, Any], str, str]:
            payment_methods.require_accepted(event, provider.name, registered, default)
            return (hold_now(claim, event, self.store.find_ref, self.runner.clock()),
                    event.currency, event.name)

        hold, currency, name = self.runner.read(claim.event_id, hold_on_terms)
        _require_active(hold)
        amount = _total(hold, currency)
        if amount <= 0:
            raise Conflict("The hold is free: confirm it (POST /api/holds/{id}/confirm)",
                           code=codes.NOTHING_TO_PAY)
        if provider.books_seats_first:
            return self._book_owing(claim, hold, provider, amount=amount, currency=currency,
                                    event_name=name)
        if not payment_method:
            raise DomainError("Paying this way takes the buyer's payment method",
                              code=codes.PAYMENT_METHOD_NEEDED)
        provider.require_chargeable(amount, currency)
        # One wake-up for what this request appends, once it is settled: each wake-up costs
        # every projection a catch-up, and a paid order's appends come one after another.
        unwoken = self._keep_hold(claim, actor)
        try:
            return self._start(claim, hold, payment, provider, payment_method=payment_method,
                               amount=amount, currency=currency, event_name=name,
                               unwoken=unwoken)
        finally:
            self.runner.wake(max(unwoken, default=None))

    def _book_owing(self, claim: Claim, hold: dict[str, Any],  # noqa: PLR0913
                    provider: PaymentProvider, *, amount: int, currency: str,
                    event_name: str) -> Outcome:
        """Seats first: under the event's lock, the hold becomes its booking, its price owed,
        and its payment is started awaiting the money, naming that booking, in one append.
        Asked again, as it stands: one request books it, the other finds it booked."""
        payment_id = payment_of_hold(claim.id)
        intent = provider.start(hold_id=claim.id, attempt=1, amount=amount, currency=currency,
                                payment_method="", description=f"{event_name}: "
                                f"{_described(hold)}")

        def decide(event: Event) -> Decided | Outcome:
            known = self.store.find_payment(payment_id)
            if known is not None:  # another request for the hold booked it first
                return Outcome(payment_view(known, intent), None, replayed=True)
            now = self.runner.clock()
            held = event.holds.get(str(claim.id))
            codes_of_seats = [seat_requests.new_ticket_code()
                              for _ in range(held["quantity"] if held else 0)]
            event.confirm_hold(claim, booking_id=booking_of_hold(claim.id),
                               ticket_codes=codes_of_seats, by=None, now=now)  # owed
            booking = booking_ref(event.pending_events[-1], event.id, claim.fingerprint)
            payment = started(payment_id, hold=hold, amount=amount, currency=currency,
                              provider=provider.name, intent_id=intent.id, now=now,
                              booking_id=booking.id)
            return payment_view(payment, intent), (booking, payment)

        return self.runner.decide("pay_hold", claim.event_id, decide)

    def _start(self, claim: Claim, hold: dict[str, Any], payment: Payment | None,  # noqa: PLR0913
               provider: PaymentProvider, *, payment_method: str, amount: int, currency: str,
               event_name: str, unwoken: list[int]) -> Outcome:
        """The payment's attempt made at the provider, recorded, then confirmed and settled;
        the positions appended and not yet woken for go into `unwoken` (a settled outcome
        has woken for all of them: its append came last)."""
        hold_id, payment_id = claim.id, payment_of_hold(claim.id)
        attempt = 1 if payment is None else payment.attempts + 1
        intent = provider.start(
            hold_id=hold_id, attempt=attempt, amount=amount, currency=currency,
            payment_method=payment_method,
            description=f"{event_name}: {_described(hold)}")
        now = self.runner.clock()
        earlier = payment.intent_id if payment is not None else None
        if payment is None:
            payment = started(payment_id, hold=hold, amount=amount, currency=currency,
                              provider=provider.name, intent_id=intent.id, now=now)
        else:
            payment.restart(intent.id, now=now)
        try:
            position = self.store.append(payment)
        except IntegrityError:  # its webhook recorded it first, or another attempt raced it
            payment = self._payment(payment_id)
            if payment.intent_id != intent.id:
                raise Conflict("The hold's payment is being made or has succeeded",
                               code=codes.PAYMENT_IN_PROGRESS) from None
            return _declined_or(self._as_it_stands(payment, provider))  # confirmed by the other
        if position is not None:
            unwoken.append(position)
        if earlier is not None:  # a failed attempt's intent can no longer take money
            provider.cancel_quietly(earlier)
            late = provider.look_up(earlier)
            if late.succeeded:  # paid in the buyer's browser just before: it goes back
                self.settle(payment_id, late, notice_id=None)
        outcome = self.settle(payment_id, provider.confirm(intent.id), notice_id=None,
                              known=payment)
        if outcome.position is not None:
            unwoken.clear()
        return _declined_or(Outcome(outcome.view, outcome.position or position))

    def _keep_hold(self, claim: Claim, actor: Actor | None) -> list[int]:
        """Its seats kept while the payment is made (once per hold), before any money moves:
        the position appended, if any, not yet woken for."""

        def decide(event: Event) -> Decided:
            event.keep_hold_for_payment(claim, by=actor, now=self.runner.clock())
            return {}, ()

        kept = self.runner.decide("keep_hold_for_payment", claim.event_id, decide, wake=False)
        return [] if kept.position is None else [kept.position]

    def _as_it_stands(self, payment: Payment, provider: PaymentProvider) -> Outcome:
        """A payment asked again: settled, as recorded; still started, as the provider tells it
        now (settled here if it has succeeded or failed meanwhile), confirmed if the last try
        never reached the provider."""
        if payment.status != STARTED:
            return Outcome(payment_view(payment, None), None, replayed=True)
        if provider.books_seats_first:  # booked; the money awaited, never asked of anyone
            return Outcome(payment_view(payment, provider.look_up(payment.intent_id)), None,
                           replayed=True)
        intent = provider.look_up(payment.intent_id)
        if intent.status == UNCONFIRMED:
            intent = provider.confirm(intent.id)
        return self.settle(payment.id, intent, notice_id=None)

    # ----- the provider's reports -------------------------------------------------------------

    def notice(self, name: str, payload: bytes, headers: Mapping[str, str]) -> dict[str, Any]:
        """A webhook from the provider `name`, verified by its signature, recorded once: what
        it changed. Of a type or an intent not ours, nothing; of a provider not set up, 404."""
        provider = self.methods().get(name)
        if provider is None:
            self._chosen(None)  # none that takes money is set up: PAYMENTS_OFF, as ever
            raise NotFound(f"No payment provider {name!r} is set up",
                           code=codes.PROVIDER_NOT_FOUND)
        found = provider.read_notice(payload, headers.get(provider.signature_header))
        if found is None or found.intent.hold_id is None:  # not an attempt's end, or not ours
            return {"received": True, "changed": False}
        payment_id = payment_of_hold(found.intent.hold_id)
        known = self.store.find_payment(payment_id)
        if known is None and not self._record_unknown(found, found.intent.hold_id, provider):
            return {"received": True, "changed": False}
        outcome = self.settle(payment_id, found.intent, notice_id=found.id, known=known)
        return {"received": True, "changed": outcome.position is not None}

    def _record_unknown(self, found: Notice, hold_id: UUID, provider: PaymentProvider) -> bool:
        """An intent of one of our holds the ledger never recorded (the process that made it
        stopped before): recorded now from the notice, so its money is accounted for."""
        intent = found.intent
        try:
            claim = self.holds.claim(hold_id, None)
        except DomainError:
            log.warning("a payment notice names hold %s, which is not ours", intent.hold_id)
            return False
        hold = {"id": claim.id, "event_id": claim.event_id, "user_id": claim.user_id}
        # What the hold costs, while it holds seats; else what was charged (all of it goes back).
        held, currency = self.runner.read(
            claim.event_id, lambda event: (event.holds.get(str(claim.id)), event.currency))
        amount = _total(held, currency) if held else intent.amount
        currency = currency if held else intent.currency
        payment = started(payment_of_hold(claim.id), hold=hold, amount=amount,
                          currency=currency, provider=provider.name,
                          intent_id=intent.id, now=self.runner.clock())
        with contextlib.suppress(IntegrityError):  # recorded meanwhile by the request
            self.runner.wake(self.store.append(payment))
        return True

    # ----- settling -------------------------------------------------------------------------

    def settle(self, payment_id: UUID, intent: IntentState, *, notice_id: str | None,
               known: Payment | None = None) -> Outcome:
        """Record what the provider says of the payment's intent, once (`known`: the payment
        as the caller just saved or read it, read again only if another write came first)."""
        if intent.succeeded and (known or self._payment(payment_id)).is_superseded_success(
                intent.id):
            return self._superseded(payment_id, intent, notice_id)
        if intent.succeeded:
            outcome = self._succeeded(payment_id, intent, notice_id, known)
            # Only the report that recorded the success gives the money back: another, at the
            # same moment, would ask the provider for a second refund.
            if outcome.view["status"] == REFUND_PENDING and not outcome.replayed:
                return self.give_back(payment_id)
            return outcome
        payment = known or self._payment(payment_id)
        if intent.declined:
            if not payment.is_news(intent.id, notice_id):
                return Outcome(payment_view(payment, intent), None, replayed=True)
            code, message = intent.decline or ("declined", "The payment was declined")
            payment.fail(reason=code, message=message, notice_id=notice_id,
                         now=self.runner.clock())
            return self._saved(payment, intent)
        return Outcome(payment_view(payment, intent), None)  # the buyer to act, or processing

    def _succeeded(self, payment_id: UUID, intent: IntentState, notice_id: str | None,
                   known: Payment | None) -> Outcome:
        """The hold becomes its booking, the payment names it: one append under the event's
        lock; its hold ended, the payment books nothing and its refund is asked for."""
        first = known or self._payment(payment_id)
        if first.intent_id == intent.id and not first.is_news(intent.id, notice_id):
            # Settled, or this notice seen, already: neither is ever undone, so the event's
            # lock and a fresh read would answer the same (the request's answer after its
            # webhook, or a webhook after the answer).
            return Outcome(payment_view(first, intent), None, replayed=True)
        claim = self.holds.claim(first.hold_id, None)
        given = [first]  # read again after a conflict: another report may have settled it

        def decide(event: Event) -> Decided | Outcome:
            payment = given.pop() if given else self._payment(payment_id)
            if not payment.is_news(intent.id, notice_id):
                return Outcome(payment_view(payment, intent), None, replayed=True)
            now = self.runner.clock()
            # Only what the hold costs books it: an intent of another amount pays nothing.
            charged = (intent.amount, intent.currency) == (payment.amount, payment.currency)
            booking = self._booked(event, claim, now) if charged else None
            payment.succeed(captured=intent.amount, charge_id=intent.charge_id,
                            notice_id=notice_id, now=now,
                            booking_id=booking.id if booking is not None else None)
            changed = (booking, payment) if booking is not None else (payment,)
            return payment_view(payment, intent), changed

        return self.runner.decide("pay_hold", claim.event_id, decide)

    def _superseded(self, payment_id: UUID, intent: IntentState,
                    notice_id: str | None) -> Outcome:
        """An earlier attempt's intent that took money after a later one replaced it: its
        money recorded and given back in full, whatever the later attempt does (that one
        books the hold, or fails as it would have). Recorded once: a second report of it, or
        one that raced this, changes nothing."""
        payment = self._payment(payment_id)
        if not payment.is_superseded_success(intent.id):
            return Outcome(payment_view(payment, None), None, replayed=True)
        payment.superseded_succeeded(intent_id=intent.id, captured=intent.amount,
                                     charge_id=intent.charge_id, notice_id=notice_id,
                                     now=self.runner.clock())
        saved = self._saved(payment, None)
        if saved.replayed:
            return saved
        given = self._give_back(payment, [payment.refunds[-1].number])
        return Outcome(given.view, given.position or saved.position)

    def _booked(self, event: Event, claim: Claim, now: datetime) -> Any:
        """The hold's booking, made now; None when the hold cannot become one any more."""
        held = event.holds.get(str(claim.id))
        if held is None:
            return None
        ticket_codes = [seat_requests.new_ticket_code() for _ in range(held["quantity"])]
        try:
            event.confirm_hold(claim, booking_id=booking_of_hold(claim.id),
                               ticket_codes=ticket_codes, by=None, now=now, by_payment=True)
        except DomainError as exc:  # expired, started, over a limit lowered since
            log.info("payment for hold %s books nothing: %s", claim.id, exc.code)
            return None
        return booking_ref(event.pending_events[-1], event.id, claim.fingerprint)

    # ----- refunds ---------------------------------------------------------------------------

    def asked_refund(self, booking: Booking, codes: Iterable[str], currency: str, *,
                     reason: str) -> Payment | None:
        """The booking's payment with the price of tickets `codes` asked back, those no refund
        named before, each at what it was sold for (to be saved with what cancelled them, then
        `give_back_or_leave`); None when the booking was not paid for or nothing is owed."""
        payment = self.store.find_payment(payment_of_booking(booking.id))
        if payment is None:
            return None
        of_ticket = ticket_lines(booking.tickets, lines_of(booking))
        prices = {code: to_minor(of_ticket[code]["unit_price"], currency) for code in codes}
        asked = payment.request_refund(tickets=prices, reason=reason, now=self.runner.clock())
        return payment if asked is not None else None

    def asked_refunds(self, bookings: list[Booking], currency: str, *,
                      reason: str) -> list[Payment]:
        """`asked_refund` of every ticket of each booking that cost something: a free one has
        no payment to look up."""
        paid = (self.asked_refund(b, list(b.tickets), currency, reason=reason)
                for b in bookings if total_of(lines_of(b)) != 0)
        return [p for p in paid if p is not None]

    def retry_refund(self, booking_id: UUID) -> Outcome:
        """The refunds the provider refused, asked again now (its booking's organizers, once
        the refunds' manager has stopped trying, or sooner): each for what it still owes,
        under its own key; recorded as asked, then made."""
        payment = self.store.find_payment(payment_of_booking(booking_id))
        failed = payment.failed_refunds if payment is not None else []
        by_hand = payment is not None and self._of(payment).books_seats_first
        if payment is None or not failed or by_hand:
            raise Conflict("No refund of this booking failed", code=codes.NO_REFUND_OWED)
        now = self.runner.clock()
        for refund in failed:
            payment.ask_again(refund, now=now)
        try:
            self.runner.wake(self.store.append(payment))
        except IntegrityError:  # the refunds' manager asked it again meanwhile
            raise Conflict("The refund is being made", code=codes.REFUND_IN_PROGRESS) from None
        return self._give_back(payment, [refund.number for refund in failed])

    def resume_refund(self, payment_id: UUID, now: datetime) -> bool:
        """The refunds' process manager's: make the refunds left pending past their
        requester's grace, or try failed ones again after their backoff. False when none is
        due yet; True when made, tried, or nothing is to be made. Asked again first (a pending
        one marked stranded), in an append that only one of two managers at once wins; one
        the manager makes from the start is made at once."""
        payment = self.store.find_payment(payment_id)
        due = payment.refund_due() if payment is not None else None
        if payment is None or due is None:
            return True
        if due > now:
            return False
        due_now = payment.refunds_due(now)
        again = [refund for refund in due_now
                 if not (refund.status == REFUND_PENDING
                         and refund.reason in MADE_BY_THE_MANAGER)]
        for refund in again:
            if refund.status == REFUND_PENDING:
                payment.refund_failed(refund, reason=STRANDED,
                                      message="asked for, and never made: made now", now=now)
            payment.ask_again(refund, now=now)
        if again:
            try:
                self.runner.wake(self.store.append(payment))
            except IntegrityError:  # another manager, or the requester, moved it on
                return True
        self._give_back(payment, [refund.number for refund in due_now])
        return True

    def give_back_or_leave(self, payment: Payment) -> Outcome:
        """`give_back` the refund just asked for and saved with `payment` (its last), where a
        provider is set up; else, or if it cannot be reached, it stays asked for (shown, and
        given back by asking again). How the payment's refunds stand after, and the position
        their outcome was recorded at (None when none was): the requester's answer covers it.
        Another refund still owed is its own requester's to make (or the manager's)."""
        left = Outcome(payment_view(payment, None), None)
        provider = self.methods().get(payment.provider)
        if provider is None:
            log.warning("payment %s is to be refunded, but its provider %r is not set up",
                        payment.id, payment.provider)
            return left
        if provider.books_seats_first:  # its organizers give it back by hand, and mark it so
            return left
        try:
            return self._give_back(payment, [payment.refunds[-1].number])
        except DomainError:
            log.warning("the refund of payment %s is left asked for", payment.id, exc_info=True)
            return left

    def give_back(self, payment_id: UUID) -> Outcome:
        """Give back every refund the payment owes."""
        payment = self._payment(payment_id)
        return self._give_back(payment, [refund.number for refund in payment.owed_refunds])

    def _give_back(self, payment: Payment, numbers: list[int]) -> Outcome:
        """Make refunds `numbers` of the payment, those still owed, in order: each found at
        the provider under its key if an earlier try got that far, else made there. What was
        made, or the failure, is recorded: on the payment read again if another write came
        first (a refund made must never go unrecorded). A failure is shown, and tried again by
        asking again."""
        owed = [refund for refund in payment.owed_refunds if refund.number in numbers]
        if not owed:
            return Outcome(payment_view(payment, None), None, replayed=True)
        now = self.runner.clock()
        provider = self._of(payment)
        made: list[tuple[int, str, int]] = []  # (refund, the provider's id, amount)
        failed: list[tuple[int, DomainError]] = []
        for refund in owed:
            try:
                made += self._make(provider, payment.id, refund)
            except DomainError as exc:
                log.warning("refund %s of payment %s failed: %s", refund.number, payment.id,
                            exc.message)
                failed.append((refund.number, exc))
                break  # the provider refuses or is away: the rest stay owed, made later
        for _ in range(3):
            if not _recorded(payment, made, failed, now):
                return Outcome(payment_view(payment, None), None, replayed=True)
            try:
                position = self.store.append(payment)
            except IntegrityError:  # another write came first: recorded on what it left
                payment = self._payment(payment.id)
                continue
            self.runner.wake(position)
            return Outcome(payment_view(payment, None), position)
        raise Conflict("The refund's record was contended: it is made, and recorded later",
                       code=codes.REFUND_IN_PROGRESS)

    @staticmethod
    def _make(provider: PaymentProvider, payment_id: UUID,
              refund: Refund) -> list[tuple[int, str, int]]:
        """Refund `refund` at the provider: what an earlier try made (its answer lost) is
        found, not made again; what it still owes after is made under its key."""
        made, owed, intent_id = [], refund.owed, refund.intent_id
        for refund_id, amount in provider.find_refunds(intent_id=intent_id,
                                                      prefix=refund.prefix(payment_id)):
            if refund_id not in refund.refund_ids and owed > 0:
                made.append((refund.number, refund_id, min(amount, owed)))
                owed -= min(amount, owed)
        if owed > 0:
            refund_id = provider.refund(intent_id=intent_id, amount=owed,
                                       key=refund.key(payment_id, found=len(made)),
                                       tickets=refund.tickets)
            made.append((refund.number, refund_id, owed))
        return made

    def _saved(self, payment: Payment, intent: IntentState | None) -> Outcome:
        try:
            position = self.store.append(payment)
        except IntegrityError:  # recorded meanwhile by the other report: as it stands
            return Outcome(payment_view(self._payment(payment.id), intent), None, replayed=True)
        self.runner.wake(position)
        return Outcome(payment_view(payment, intent), position)

    # ----- payments left half made ------------------------------------------------------------

    def settle_stale(self, payment_id: UUID) -> str | None:
        """A payment still being made long after it began (its answer and its webhook never
        came), asked of the provider and settled: a success booked, or refunded in full when its
        hold has ended; a failure recorded. One still waiting on its buyer (3-D Secure left
        open) once its hold has ended is abandoned: its intent cancelled at the provider, so it
        can take no money later, then failed. Its status then; None when it was settled
        already, or is still being made within its hold."""
        payment = self.store.find_payment(payment_id)
        if payment is None or payment.status != STARTED:
            return None
        provider = self._of(payment)
        if provider.books_seats_first:  # booked, its money awaited: nothing half made
            return None
        self.settle(payment_id, provider.look_up(payment.intent_id), notice_id=None,
                    known=payment)
        payment, held = self._payment(payment_id), str(payment.hold_id)
        if payment.status != STARTED:
            return payment.status
        if self.runner.read(payment.event_id, lambda event: held in event.holds):
            return None  # its buyer may still finish: asked again once the hold has ended
        provider.cancel_quietly(payment.intent_id)
        intent = provider.look_up(payment.intent_id)  # the buyer may have finished meanwhile
        if intent.succeeded or intent.status == PROCESSING:
            self.settle(payment_id, intent, notice_id=None)
        else:
            payment.fail(reason=ABANDONED, message="The buyer did not finish paying before "
                         "the hold ended", notice_id=None, now=self.runner.clock())
            self._saved(payment, intent)
        payment = self._payment(payment_id)
        return None if payment.status == STARTED else payment.status

    # ----- reading ----------------------------------------------------------------------------

    def view(self, hold_id: UUID, actor: Actor | None) -> dict[str, Any]:
        """The hold's payment as recorded (its buyer, or an admin)."""
        self.holds.claim(hold_id, actor)
        payment = self.store.find_payment(payment_of_hold(hold_id))
        if payment is None:
            raise NotFound("The hold has no payment", code=codes.PAYMENT_NOT_FOUND)
        provider = self.methods().get(payment.provider)
        if payment.status == STARTED and provider is not None and provider.books_seats_first:
            return payment_view(payment, provider.look_up(payment.intent_id))  # its reference
        return payment_view(payment, None)

    def _payment(self, payment_id: UUID) -> Payment:
        payment = self.store.find_payment(payment_id)
        if payment is None:
            raise NotFound("The hold has no payment", code=codes.PAYMENT_NOT_FOUND)
        return payment

    def _chosen(self, method: str | None) -> PaymentProvider:
        """The method asked for by name; None: the one that takes the money first (a card),
        as a request before methods were named meant."""
        methods = self.methods()
        if method is None:
            provider = next((m for m in methods.values() if not m.books_seats_first), None)
            if provider is None:
                raise Conflict("No payment provider is set up", code=codes.PAYMENTS_OFF)
            return provider
        if method not in methods:
            raise DomainError(f"No payment method {method!r} is set up on this server",
                              code=codes.UNKNOWN_PAYMENT_METHOD)
        return methods[method]

    def _of(self, payment: Payment) -> PaymentProvider:
        """The payment's own method, by the name it was recorded with."""
        provider = self.methods().get(payment.provider)
        if provider is None:
            raise Conflict(f"The payment's provider {payment.provider!r} is not set up",
                           code=codes.PAYMENTS_OFF)
        return provider


def _described(hold: Mapping[str, Any]) -> str:
    """A hold's seats in words, for the provider's records: "2 x General, 1 x VIP"."""
    return ", ".join(f"{line['quantity']} x {line['category']}" for line in lines_of(hold))


def _total(hold: Mapping[str, Any], currency: str) -> int:
    """What a hold (its state, or its view) costs, in the currency's minor unit."""
    return to_minor(total_of(lines_of(hold)), currency)


def _declined_or(outcome: Outcome) -> Outcome:
    """The outcome, unless the payment failed: then 402 with the provider's reason."""
    if outcome.view["status"] == FAILED:
        raise DomainError(f"The payment was declined: {outcome.view['message']}",
                          code=codes.PAYMENT_DECLINED)
    return outcome


def payment_of_hold(hold_id: UUID) -> UUID:
    """The id of a hold's payment stream: that of the booking the hold becomes."""
    return payment_of_booking(booking_of_hold(hold_id))


def _require_active(hold: dict[str, Any]) -> None:
    if hold["status"] == HOLD_EXPIRED:
        raise DomainError("The hold expired: its seats went back on sale",
                          code=codes.HOLD_EXPIRED)
    if hold["status"] != HOLD_ACTIVE:
        raise Conflict("The hold was confirmed or released already", code=codes.HOLD_ENDED)


def payment_view(payment: Payment, intent: IntentState | None) -> dict[str, Any]:
    """A hold's payment as the API shows it: our status, or the provider's while it is being
    made (`requires_action`: the provider's script in the browser completes it with
    `client_secret`)."""
    status = payment.status
    if status == STARTED and intent is not None and intent.id == payment.intent_id:
        status = intent.status
    return {
        "payment_id": payment.id,
        "hold_id": payment.hold_id,
        "event_id": payment.event_id,
        "status": status,
        "amount": from_minor(payment.amount, payment.currency),
        "currency": payment.currency,
        "provider": payment.provider,
        "intent_id": payment.intent_id,
        "client_secret": intent.client_secret if intent is not None and status != FAILED else None,
        "booking_id": payment.booking_id,
        "refunded": from_minor(payment.refunded, payment.currency),
        "message": payment.failure,
        "reference": intent.reference if intent is not None else None,
    }


def _recorded(payment: Payment, made: list[tuple[int, str, int]],
              failed: list[tuple[int, DomainError]], now: datetime) -> bool:
    """Record on `payment` what was made at the provider and what failed, where it is not
    recorded yet: whether anything was."""
    changed = False
    for number, refund_id, amount in made:
        refund = payment.refunds[number - 1]
        if refund_id not in refund.refund_ids and refund.owed > 0:
            payment.refunded_by(refund, refund_id, now=now, amount=amount)
            changed = True
    for number, exc in failed:
        refund = payment.refunds[number - 1]
        if refund.status == REFUND_PENDING:
            payment.refund_failed(refund, reason=str(exc.code), message=exc.message, now=now)
            changed = True
    return changed
