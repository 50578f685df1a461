"""Payments taken outside any provider: at the door, or by bank transfer, marked by the event's
organizers (or an admin) on a booking; and the refund of such a payment, given back by them and
marked so. Each is a `Payment` stream (`commands.domain.payment`, provider `offline`), so the
log tells every booking paid for and every refund made, whoever took the money.

A booking of a paid category made with no payment provider set up is owed until marked paid; so
is one whose buyer chose, at checkout, a method that books the seats first (a bank transfer:
its payment started then, awaiting the money, `PaymentCommands.pay`), and marking it records
that payment's success. Cancelling one marked paid asks for its refund (as for any payment:
`PaymentCommands`), which waits for its organizer to mark it given back.
"""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from commands.application.runner import CommandRunner
from commands.application.views import Outcome
from commands.domain import organizers
from commands.domain.actor import Actor
from commands.domain.booking import Booking
from commands.domain.errors import Conflict, RuleBroken, booking_not_found
from commands.domain.events import CONFIRMED
from commands.domain.payment import (
    STARTED,
    Payment,
    paid_offline,
    payment_of_booking,
)
from commands.payments.provider import PaymentMethods
from commands.store.aggregate_store import AggregateStore
from core import error_codes as codes
from core.error_codes import ErrorCode
from core.money import from_minor, to_minor


class OfflinePaymentCommands:
    """Mark a booking paid at the door or by transfer; mark its refund given back."""

    def __init__(self, runner: CommandRunner, store: AggregateStore,
                 methods: Callable[[], PaymentMethods]) -> None:
        self.runner = runner
        self.store = store
        self.methods = methods  # the deployment's: whose payments are marked by hand

    def mark_paid(self, booking_id: UUID, actor: Actor | None, method: str,
                  reference: str | None) -> Outcome:
        """The booking's price for the seats it has, taken by its organizers (or an admin)."""
        booking, currency = self._managed(booking_id, actor)
        if booking.status != CONFIRMED:
            raise RuleBroken("A cancelled booking is not paid for", code=codes.ALREADY_CANCELLED)
        amount = to_minor(booking.refund, currency)  # the price of the seats it has left
        if amount <= 0:
            raise Conflict("The booking is free: nothing to pay", code=codes.NOTHING_TO_PAY)
        payment = self.store.find_payment(payment_of_booking(booking_id))
        now = self.runner.clock()
        if payment is None:  # booked owed without a payment begun: recorded now, paid
            payment = paid_offline(payment_of_booking(booking_id), booking_id=booking_id,
                                   event_id=booking.event_id, user_id=booking.user_id,
                                   amount=amount, currency=currency, method=method,
                                   reference=reference, now=now)
        elif payment.status == STARTED and self._by_hand(payment):
            # Begun at checkout, the seats booked first: the money it awaited is received.
            payment.succeed(captured=amount, booking_id=booking_id, notice_id=None, now=now,
                            charge_id=f"{method}:{reference}" if reference else method)
        else:
            raise Conflict("The booking's payment is recorded already", code=codes.ALREADY_PAID)
        return self._saved(payment, already=codes.ALREADY_PAID)

    def mark_refunded(self, booking_id: UUID, actor: Actor | None,
                      reference: str | None) -> Outcome:
        """The refund its cancellation (or its tickets') asked for, given back by its
        organizers outside any provider."""
        self._managed(booking_id, actor)
        payment = self.store.find_payment(payment_of_booking(booking_id))
        owed = payment.owed_refunds if payment is not None else []
        if payment is None or not self._by_hand(payment) or not owed:
            raise Conflict("No refund of this booking waits to be given back by hand",
                           code=codes.NO_REFUND_OWED)
        for refund in owed:
            payment.refunded_by(refund, f"{payment.provider}:"
                                f"{reference or refund.key(payment.id)}",
                                now=self.runner.clock())
        return self._saved(payment, already=codes.NO_REFUND_OWED)

    def _by_hand(self, payment: Payment) -> bool:
        """Whether the payment's method books the seats first: its money taken, and given
        back, by hand."""
        method = self.methods().get(payment.provider)
        return method is not None and method.books_seats_first

    def require_manager(self, booking_id: UUID, actor: Actor | None) -> None:
        """Refuse unless `actor` runs the booking's event (its organizer, a co-organizer, an
        admin)."""
        self._managed(booking_id, actor)

    def _managed(self, booking_id: UUID, actor: Actor | None) -> tuple[Booking, str]:
        """The booking and its event's currency, if `actor` runs its event (its organizer, a
        co-organizer, an admin; None: trusted)."""
        booking = self.store.find_ref(booking_id)
        if booking is None:
            raise booking_not_found(booking_id)

        def currency(event: Any) -> str:
            organizers.require_manager(event, actor)
            return str(event.currency)

        return booking, self.runner.read(booking.event_id, currency)

    def _saved(self, payment: Payment, *, already: ErrorCode) -> Outcome:
        try:
            position = self.store.append(payment)
        except IntegrityError:  # marked meanwhile by another request
            raise Conflict("Marked already by another request", code=already) from None
        self.runner.wake(position)
        return Outcome(offline_view(payment), position)


def offline_view(payment: Payment) -> dict[str, Any]:
    return {"booking_id": payment.booking_id, "status": payment.status,
            "provider": payment.provider,
            # How it was received: as marked, else as begun (the buyer's choice at checkout).
            "method": (payment.charge_id or payment.intent_id).split(":", 1)[0],
            "amount": from_minor(payment.captured, payment.currency),
            "refunded": from_minor(payment.refunded, payment.currency),
            "currency": payment.currency, "position": None}
