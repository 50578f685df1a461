"""Invoices in the record: each organizer's invoice book held against the bookings its
invoices are for (`core.proofs.invoices`, which the offline verifier runs on an export too).
Verify gathers them in its one pass (`apply`), then reports, per organizer and invoice
number (rule `invoice`), a number skipped or reused, an invoice whose figures do not add up
or are not what its booking cost when issued, and a cancellation that does not cancel an
invoice in force in full."""

from typing import Any

from commands.domain.chain import payload
from core.proofs.invoices import READ, InvoiceBooks

RULE = "invoice"


class InvoiceRecords:
    """Every book's invoices and the bookings they are for, gathered in verify's pass."""

    def __init__(self) -> None:
        self.books = InvoiceBooks()

    def apply(self, e: Any, position: int) -> None:
        kind = type(e).__name__
        if kind in READ:
            self.books.add(kind, str(e.originator_id), payload(e), position)

    def report(self) -> dict[str, Any]:
        """The invoices' section of the report: `ok`, what was checked, the problems, and the
        bookings whose invoice waits for the process manager's next tick."""
        problems = [{"organizer_id": p.organizer, "number": p.number, "position": p.position,
                     "rule": RULE, "message": p.message} for p in self.books.problems]
        return {"ok": not problems, "books": len(self.books.books),
                "invoices": self.books.invoices, "problems": problems,
                "waiting": [{"organizer_id": o, "booking_id": b}
                            for o, b in self.books.waiting()]}
