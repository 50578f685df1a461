"""Money in the record: each hold's payment stream (`commands.domain.payment`) held against the
bookings its event's stream made. Verify gathers both in its one pass (`apply`), then reports
(rule `payment`) where they disagree:

- a success names a booking its event made from the same hold, for the payment's amount (what
  its lines cost, `commands.domain.lines`), and captured that amount; a booking is paid for by
  one payment at most, and one its event says its payment booked (`commands.domain.checkout`:
  BY_PAYMENT) by exactly one;
- each refund made was asked for first;
- what each payment asks back is what its cancelled tickets cost, ticket by ticket, and never
  more than it captured (`core.proofs.payments`, which the offline verifier runs on an export
  too).
"""

from dataclasses import dataclass, field
from typing import Any

from commands.audit.invariants import EventAudit
from commands.domain.chain import payload, stored_aggregate
from commands.domain.checkout import BY_PAYMENT
from commands.domain.lines import lines_of, total_of
from commands.domain.payment import OFFLINE
from core.money import to_minor
from core.proofs.payments import READ, MoneyOwed

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
    took_earlier: bool = False  # an earlier attempt's intent took money (it goes back)
    asked_back: int = 0  # refunds requested
    version: int = 0
    position: int = 0
    wrong: list[str] = field(default_factory=list)


class PaymentRecords:
    """Every booking's and every payment's telling, gathered in verify's pass."""

    def __init__(self) -> None:
        self.currencies: dict[str, str] = {}  # event -> its currency
        self.booked: dict[str, Booked] = {}  # booking -> as its event told it
        self.paid: dict[str, Paid] = {}  # payment stream -> as it told itself
        self.owed = MoneyOwed()

    def apply(self, e: Any, position: int) -> None:
        kind, name = stored_aggregate(e), type(e).__name__
        if name in READ and kind in ("Event", "Payment"):
            self.owed.add(name, str(e.originator_id), payload(e))
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
        elif name == "SupersededIntentSucceeded":
            paid.took_earlier = True
        elif name == "RefundRequested":
            if not (paid.succeeded or paid.took_earlier):
                paid.wrong.append("asks for a refund of money it never took")
            paid.asked_back += 1
        elif name == "RefundSucceeded" and paid.asked_back == 0:
            paid.wrong.append("was refunded without a refund asked for")

    def report(self, audits: dict[str, EventAudit]) -> None:
        """Add each disagreement to its event's problems."""
        paid_for: dict[str, str] = {}
        owed: dict[str, list[str]] = {}
        for _, key, why in self.owed.problems():
            owed.setdefault(key, []).append(why)
        for key, paid in self.paid.items():
            wrong = list(paid.wrong)
            if paid.booking_id is not None:
                wrong += self._booking_wrong(paid, paid_for.get(paid.booking_id))
                paid_for[paid.booking_id] = key
            wrong += owed.get(key, [])
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
            # Begun at checkout (the seats booked first) it names the booking's hold; marked on
            # a booking made owed, the booking itself.
            if paid.hold_id not in (paid.booking_id, booking.hold_id):
                wrong.append(f"names booking {paid.booking_id}, but was taken for another")
            # What was received: the price of the seats it has, no more than was owed.
            if not 0 < paid.captured <= min(booking.total, paid.amount):
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
