"""The money's invariant over a whole log's export (`core.proofs.payments`): each payment's
refunds held against its booking's cancelled tickets, named by payment, booking and ticket
(each ticket as its digest). Standard library only. Only the lines of the events it reads are
parsed again: the rest of the log is left to the hot loop (`logscan`)."""

import json
from collections.abc import Iterable

from core.proofs.payments import READ, MoneyOwed

MARKS = tuple(f'"type": "{kind}"' for kind in sorted(READ))


def money_problems(lines: Iterable[str]) -> tuple[list[str], int]:
    """What is wrong with the money in the export's lines, and how many payments were held."""
    owed = MoneyOwed()
    for line in lines:
        if any(mark in line for mark in MARKS):
            record = json.loads(line)
            owed.add(record["type"], str(record["stream"]), record["payload"])
    problems = [f"payment {payment} {why}" for _, payment, why in owed.problems()]
    return problems, len(owed.paid)
