"""The invoices' invariant, checked from the log's records alone. Standard library only:
`ledger verify` feeds it the store's events (`commands.audit.invoices`) and the offline
verifier an export's lines (`tools/invoice_export.py`), each as (type, stream, payload).

Per organizer's invoice book:
- its invoice numbers form a gapless sequence from 1, each issued once, each number written
  with its sequence;
- each invoice's lines add up to its totals and to its taxes per rate, each line being its
  seats times its price per seat (net plus tax is gross);
- each invoice is for what its booking had when it was issued: its gross is what the booking's
  seats cost less what its cancellations gave back, as the event's stream told it before the
  invoice in the log;
- each cancellation cancels, in full, an invoice of the same booking issued before and still
  in force, so a booking's invoices less its cancellations are what its buyer paid less what
  went back;
- a booking has one invoice in force at most.
A booking paid with an invoice asked and none issued yet is not a problem: the process manager
issues it on its next tick (`waiting`, reported beside the problems).
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# The kinds of events the invariant reads (the rest of the log concerns it in nothing).
READ = frozenset({"Opened", "InvoiceRequested", "InvoiceIssued", "SeatsBooked",
                  "BookingCancelled", "TicketsCancelled", "PaymentSucceeded"})
CANCELLATION = "cancellation"
AMOUNTS = ("net", "tax", "gross")


@dataclass
class Book:
    organizer: str = "?"
    seq: int = 0
    standing: dict[str, dict[str, Any]] = field(default_factory=dict)  # booking -> invoice
    cancelled: set[int] = field(default_factory=set)
    asked: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Problem:
    organizer: str
    number: str | None
    position: int
    message: str


def _amount(value: Any) -> Decimal:
    return Decimal(str(value))


class InvoiceBooks:
    """Every book's invoices, and the bookings they are for, gathered in log order."""

    def __init__(self) -> None:
        self.books: dict[str, Book] = {}
        self.value: dict[str, Decimal] = {}  # booking -> what its seats cost now
        self.paid: set[str] = set()
        self.problems: list[Problem] = []
        self.invoices = 0

    def add(self, kind: str, stream: str, payload: dict[str, Any], position: int = 0) -> None:
        booking = str(payload.get("booking_id"))  # none on events of older forms
        if kind == "SeatsBooked":
            self.value[booking] = _booked(payload)
        elif kind in ("BookingCancelled", "TicketsCancelled"):
            if booking in self.value:
                self.value[booking] -= _amount(payload.get("refund") or 0)
        elif kind == "PaymentSucceeded" and payload.get("booking_id"):
            self.paid.add(str(payload["booking_id"]))
        elif kind == "Opened" and "organizer_id" in payload and "seller" in payload:
            self.books.setdefault(stream, Book()).organizer = str(payload["organizer_id"])
        elif kind == "InvoiceRequested":
            self.books.setdefault(stream, Book()).asked.add(booking)
        elif kind == "InvoiceIssued":
            self._issued(self.books.setdefault(stream, Book()), payload, position)

    def _issued(self, book: Book, invoice: dict[str, Any], position: int) -> None:
        self.invoices += 1
        number, seq = str(invoice.get("number")), int(invoice.get("seq") or 0)

        def wrong(message: str) -> None:
            self.problems.append(Problem(book.organizer, number, position, message))

        if seq != book.seq + 1:
            wrong(f"invoice number {seq} follows {book.seq}: "
                  + ("a number was skipped" if seq > book.seq + 1 else "a number was reused"))
        if not number.endswith(f"{seq:05d}"):
            wrong(f"the number does not carry its sequence {seq}")
        book.seq = max(book.seq, seq)
        for message in _unbalanced(invoice):
            wrong(message)
        booking = str(invoice.get("booking_id"))
        gross = _amount(invoice.get("totals", {}).get("gross", 0))
        standing = book.standing.get(booking)
        if invoice.get("kind") == CANCELLATION:
            cancels = invoice.get("cancels") or {}
            if standing is None or standing.get("seq") != cancels.get("seq"):
                wrong(f"it cancels invoice {cancels.get('number')}, which is not this "
                      "booking's invoice in force")
            elif standing.get("totals") != invoice.get("totals"):
                wrong(f"it does not cancel invoice {cancels.get('number')} in full")
            book.standing.pop(booking, None)
            return
        if standing is not None:
            wrong(f"the booking has invoice {standing.get('number')} in force already")
        if booking in self.value and gross != self.value[booking]:
            wrong(f"its total {gross} is not what the booking's seats cost when it was issued "
                  f"({self.value[booking]})")
        book.standing[booking] = invoice

    def waiting(self) -> list[tuple[str, str]]:
        """Bookings paid (or free), asked for, with no invoice in force yet: (organizer,
        booking)."""
        found = []
        for book in self.books.values():
            for booking in sorted(book.asked - set(book.standing)):
                if self.value.get(booking, Decimal(0)) > 0 and booking in self.paid:
                    found.append((book.organizer, booking))
        return found


def _booked(payload: dict[str, Any]) -> Decimal:
    lines = payload.get("lines") or [{"quantity": payload.get("quantity", 0),
                                      "unit_price": payload.get("unit_price") or 0}]
    return sum((int(line["quantity"]) * _amount(line.get("unit_price") or 0)
                for line in lines), Decimal(0))


def _unbalanced(invoice: dict[str, Any]) -> list[str]:
    """What does not add up in one invoice's own figures."""
    found = []
    lines = invoice.get("lines") or []
    for index, line in enumerate(lines, 1):
        seats = int(line.get("quantity", 0))
        net, tax, gross = (_amount(line.get(key, 0)) for key in AMOUNTS)
        if net + tax != gross:
            found.append(f"line {index}: net {net} and tax {tax} are not its gross {gross}")
        if gross != seats * _amount(line.get("unit_price", 0)) or tax != seats * _amount(
                line.get("unit_tax", 0)):
            found.append(f"line {index} is not its {seats} seats at their price and tax")
    totals = invoice.get("totals") or {}
    for key in AMOUNTS:
        summed = sum((_amount(line.get(key, 0)) for line in lines), Decimal(0))
        if summed != _amount(totals.get(key, 0)):
            found.append(f"its {key} total {totals.get(key)} is not its lines' {summed}")
        by_rate = sum((_amount(rate.get(key, 0)) for rate in invoice.get("taxes") or []),
                      Decimal(0))
        if by_rate != summed:
            found.append(f"its taxes per rate make a {key} of {by_rate}, its lines {summed}")
    return found
