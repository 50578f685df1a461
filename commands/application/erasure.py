"""Erasure of a person: their key destroyed, then the fact recorded.

Under the erasure stream's lock: refused when the person is erased already (their stream
exists); else their key is destroyed first, then `PersonErased` appended. In that order a
failure between the two leaves the key gone and the fact owed, and asking again records it
(destroying a destroyed key does nothing); the other order could record an erasure whose key
still opens everything. The invoice key is kept: invoices outlive the person for their legal
retention. When it is over, `forget_invoices` destroys it the same way, under the same lock:
the invoice key first, then `InvoiceDetailsForgotten` on the person's erasure stream, refused
for a person not erased (their account still exists) and once recorded.
"""

from collections.abc import Callable
from typing import Any

from commands.application.runner import CommandRunner
from commands.application.views import Outcome
from commands.domain.erasure import Erasure, erase, erasure_of
from commands.domain.errors import (
    invoice_details_already_forgotten,
    person_already_erased,
    person_not_erased,
)
from commands.store.aggregate_store import AggregateStore
from core.personal import INVOICE, PERSON
from core.personal_data.vault import PersonalData


class ErasureCommands:
    """Forget a person; whether one is forgotten."""

    def __init__(self, runner: CommandRunner, store: AggregateStore,
                 personal: Callable[[], PersonalData]) -> None:
        self.runner, self.store, self.personal = runner, store, personal

    def erase(self, person_id: str, by: str, reason: str) -> Outcome:
        """Destroy the person's key and record `PersonErased` (PERSON_ALREADY_ERASED once)."""
        stream = erasure_of(person_id)

        def attempt() -> Outcome:
            if self.erased(person_id):
                raise person_already_erased(person_id)
            now = self.runner.clock()
            self.personal().erase(person_id, now, (PERSON,))
            erasure = erase(person_id, by, reason, now)
            position = self.store.append(erasure)
            return Outcome(erasure_view(erasure), position)

        return self.runner.run("erase_person", stream, attempt)

    def erased(self, person_id: str) -> bool:
        return self.store.find_erasure(erasure_of(person_id)) is not None

    def forget_invoices(self, person_id: str, by: str, reason: str) -> Outcome:
        """Destroy the erased person's invoice key and record `InvoiceDetailsForgotten`
        (PERSON_NOT_ERASED before their erasure, INVOICE_DETAILS_ALREADY_FORGOTTEN once)."""
        stream = erasure_of(person_id)

        def attempt() -> Outcome:
            erasure = self.store.find_erasure(stream)
            if erasure is None:
                raise person_not_erased(person_id)
            if erasure.invoices_forgotten_at is not None:
                raise invoice_details_already_forgotten(person_id)
            now = self.runner.clock()
            destroyed = self.personal().erase(person_id, now, (INVOICE,))
            erasure.forget_invoices(by, reason, now)
            position = self.store.append(erasure)
            return Outcome({"person_id": person_id, "by": by, "reason": reason,
                            "forgotten_at": now, "keys_destroyed": destroyed}, position)

        return self.runner.run("forget_invoices", stream, attempt)


def erasure_view(erasure: Erasure) -> dict[str, Any]:
    return {"person_id": erasure.person_id, "by": erasure.by, "reason": erasure.reason,
            "erased_at": erasure.erased_at}
