"""The invoices' invariant over a whole log's export (`core.proofs.invoices`): each organizer's
invoice numbers gapless, each invoice adding up and matching what its booking cost, each
cancellation cancelling an invoice in force in full, named by organizer and number. Standard
library only. Only the lines of the events it reads are parsed again."""

import json
from collections.abc import Iterable

from core.proofs.invoices import READ, InvoiceBooks

MARKS = tuple(f'"type": "{kind}"' for kind in sorted(READ))


def invoice_problems(lines: Iterable[str]) -> tuple[list[str], int]:
    """What is wrong with the invoices in the export's lines, and how many were held."""
    books = InvoiceBooks()
    for line in lines:
        if any(mark in line for mark in MARKS):
            record = json.loads(line)
            books.add(record["type"], str(record["stream"]), record["payload"],
                      int(record.get("position") or 0))
    problems = [f"invoice {p.number} of organizer {p.organizer} (position {p.position}): "
                f"{p.message}" for p in books.problems]
    return problems, books.invoices
