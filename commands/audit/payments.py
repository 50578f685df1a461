"""Money in the record: each hold's payment stream (`commands.domain.payment`) held against the
bookings its event's stream made. Verify gathers both in its one pass (`apply`), then reports
(rule `payment`) where they disagree:

- a success names a booking its event made from the same hold, for the payment's amount (what
  its lines cost, `commands.domain.lines`), and captured that amount; a booking is paid for by
  one payment at most, and one its event says its payment booked (`commands.domain.checkout`:
  BY_PAYMENT) by exactly one;
- a success that paid for no booking, and a paid booking cancelled, ask for their money back;
  tickets of a paid booking cancelled ask for at least their price back;
- each refund made was asked for first, and the refunds of a payment never exceed what it
  captured.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from commands.audit.invariants import EventAudit
from commands.domain.chain import stored_aggregate
from commands.domain.checkout import BY_PAYMENT
from commands.domain.lines import lines_of, total_of
from commands.domain.payment import OFFLINE
from commands.payments.money import to_minor

RULE = "payment"


@dataclass
class Booked:
    """A booking as its event's stream told it."""

    event_id: str
    hold_id: str | None
    total: int  # minor unit
    version: int
    position: int
    by_payment: bool = False  # booked by its payment's success: one must name it
    cancelled: bool = False
    # Minor unit: the price of its tickets cancelled, once paid for, while it stayed booked.
    tickets_refund: int = 0
    paid: bool = False


@dataclass
class Paid:
    """A payment as its own stream told it."""

    event_id: str
    hold_id: str  # an offline payment's names its booking
    amount: int
    offline: bool = False
    captured: int = 0
    booking_id: str | None = None
    succeeded: bool = False
    unbooked: bool = False
    asked_back: int = 0  # refunds requested
    asked_amount: int = 0  # minor unit asked back, over its requests (a retry asks again)
    given_back: int = 0  # minor unit refunded
    version: int = 0
    position: int = 0
    wrong: list[str] = field(default_factory=list)


class PaymentRecords:
    """Every booking's and every payment's telling, gathered in verify's pass."""

    def __init__(self) -> None:
        self.currencies: dict[str, str] = {}  # event -> its currency
        self.booked: dict[str, Booked] = {}  # booking -> as its event told it
        self.paid: dict[str, Paid] = {}  # payment stream -> as it told itself

    def apply(self, e: Any, position: int) -> None:
        kind, name = stored_aggregate(e), type(e).__name__
        if kind == "Event":
            self._event(e, name, position)
        elif kind == "Payment":
            self._payment(e, name, position)

    def _event(self, e: Any, name: str, position: int) -> None:
        event_id = str(e.originator_id)
        if name == "Created":
            self.currencies[event_id] = getattr(e, "currency", "EUR")
        elif name == "SeatsBooked":
            hold = getattr(e, "hold_id", None)
            total = total_of(lines_of(e))  # each line at its price
            self.booked[str(e.booking_id)] = Booked(
                event_id, str(hold) if hold else None,
                to_minor(total, self.currencies.get(event_id, "EUR")), e.originator_version,
                position, by_payment=getattr(e, "settlement", None) == BY_PAYMENT)
        elif name == "BookingCancelled" and str(e.booking_id) in self.booked:
            self.booked[str(e.booking_id)].cancelled = True
        elif (name == "TicketsCancelled" and str(e.booking_id) in self.booked
              and self.booked[str(e.booking_id)].paid):
            self.booked[str(e.booking_id)].tickets_refund += to_minor(
                Decimal(e.refund), self.currencies.get(event_id, "EUR"))

    def _payment(self, e: Any, name: str, position: int) -> None:
        key = str(e.originator_id)
        if name == "PaymentStarted":
            self.paid[key] = Paid(str(e.event_id), str(e.hold_id), int(e.amount),
                                  offline=e.provider == OFFLINE)
        paid = self.paid.get(key)
        if paid is None:
            return
        paid.version, paid.position = e.originator_version, position
        if name == "PaymentSucceeded":
            if paid.succeeded:
                paid.wrong.append("succeeded twice")
            paid.succeeded, paid.captured = True, int(e.captured)
            paid.booking_id = str(e.booking_id) if e.booking_id else None
            if paid.booking_id in self.booked:
                self.booked[paid.booking_id].paid = True
            paid.unbooked = e.booking_id is None
        elif name == "RefundRequested":
            if not paid.succeeded:
                paid.wrong.append("asks for a refund of money it never took")
            paid.asked_back += 1
            paid.asked_amount += int(e.amount)
        elif name == "RefundSucceeded":
            if paid.asked_back == 0:
                paid.wrong.append("was refunded without a refund asked for")
            paid.given_back += int(e.amount)
            if paid.given_back > paid.captured:
                paid.wrong.append(f"was refunded {paid.given_back}, more than the "
                                  f"{paid.captured} it captured")

    def report(self, audits: dict[str, EventAudit]) -> None:
        """Add each disagreement to its event's problems."""
        paid_for: dict[str, str] = {}
        for key, paid in self.paid.items():
            wrong = list(paid.wrong)
            if paid.booking_id is not None:
                wrong += self._booking_wrong(paid, paid_for.get(paid.booking_id))
                paid_for[paid.booking_id] = key
                booked = self.booked.get(paid.booking_id)
                if booked is not None and booked.cancelled and paid.asked_back == 0:
                    wrong.append(f"paid for booking {paid.booking_id}, cancelled, and no "
                                 "refund was asked for")
                if booked is not None and paid.asked_amount < booked.tickets_refund:
                    wrong.append(f"paid for booking {paid.booking_id}, whose cancelled "
                                 f"tickets cost {booked.tickets_refund}, and "
                                 f"{paid.asked_amount} was asked back")
            if paid.unbooked and paid.asked_back == 0:
                wrong.append("took money that booked nothing, and no refund was asked for")
            for why in dict.fromkeys(wrong):
                audit = audits.setdefault(paid.event_id, EventAudit(paid.event_id))
                audit.problems.append({"version": paid.version, "position": paid.position,
                                       "rule": RULE, "message": f"payment {key} {why}"})
        for booking_id, booked in self.booked.items():
            if booked.by_payment and booking_id not in paid_for:
                audit = audits.setdefault(booked.event_id, EventAudit(booked.event_id))
                audit.problems.append({
                    "version": booked.version, "position": booked.position, "rule": RULE,
                    "message": f"booking {booking_id} was booked by its payment, and no "
                               "payment that succeeded names it"})

    def _booking_wrong(self, paid: Paid, earlier: str | None) -> list[str]:
        booking = self.booked.get(paid.booking_id or "")
        if booking is None:
            return [f"names booking {paid.booking_id}, which its event never made"]
        wrong = []
        if paid.offline:  # marked paid by its organizer: at most its price, for itself
            if paid.hold_id != paid.booking_id:
                wrong.append(f"names booking {paid.booking_id}, but was taken for another")
            if not 0 < paid.captured <= booking.total or paid.captured != paid.amount:
                wrong.append(f"took {paid.captured} at the door or by transfer for booking "
                             f"{paid.booking_id}, whose total is {booking.total}")
        elif booking.hold_id != paid.hold_id:
            wrong.append(f"names booking {paid.booking_id}, made from another hold")
        if not paid.offline and (booking.total != paid.amount or paid.captured != paid.amount):
            wrong.append(f"captured {paid.captured} for booking {paid.booking_id}, whose total "
                         f"is {booking.total}")
        if earlier is not None:
            wrong.append(f"pays for booking {paid.booking_id}, paid for already by {earlier}")
        return wrong
