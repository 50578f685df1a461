"""Erasure: the fact that a person was forgotten, on a stream of its own per person.

The fact names no personal data: the person's id (an account's, random), who erased them (a
user id, or the scheduler's retention), and why, as a code. Its stream's id is derived from
the person's, so erasing someone twice collides in the store: the second is refused, and the
log holds one `PersonErased` per person. Destroying the person's key, which is what forgets
them, is the application's (`commands.application.erasure`): the domain holds no key.

Their invoices keep the buyer's details for the law's retention of accounting records, sealed
with the person's invoice key. When that retention is over, `InvoiceDetailsForgotten` follows
on the same stream, once, naming no personal data either: the invoices read model folds it,
so that its rows say what a rebuild, the key destroyed, says.
"""

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from commands.domain.chain import ChainedCreated, ChainedEvent
from commands.domain.declared import Declared
from commands.domain.errors import invoice_details_already_forgotten

STORED_AS = "commands.domain.erasure:Erasure"
# Why a person was forgotten.
ASKED_BY_THEM = "asked_by_them"  # the person, from their account
ASKED_OF_ADMIN = "asked_of_admin"  # an admin, on the person's request or the law's
ASKED_OF_ORGANIZER = "asked_of_organizer"  # the organizer of every event they bought for
RETENTION = "retention"  # their event ended longer ago than its organizer keeps buyers
REASONS = (ASKED_BY_THEM, ASKED_OF_ADMIN, ASKED_OF_ORGANIZER, RETENTION)
# Why an erased person's invoice details were forgotten: every invoice of theirs is past the
# law's retention of accounting records (`INVOICE_RETENTION_YEARS`).
INVOICES_PAST_RETENTION = "invoices_past_retention"


def erasure_of(person_id: str) -> UUID:
    """The stream of a person's erasure: one per person, never a stream of anything else."""
    return uuid5(NAMESPACE_URL, f"ledger:erasure:{person_id}")


class Erasure(Aggregate):
    """A person forgotten: who, by whom, why, when."""

    TOPIC = STORED_AS

    class Created(Aggregate.Created):  # the library's, never triggered: `PersonErased` is ours
        TOPIC = f"{STORED_AS}.Created"

    class PersonErased(ChainedCreated):
        TOPIC = f"{STORED_AS}.PersonErased"
        declared = Declared("Person erased")  # to no webhook: no endpoint owns a person
        person_id: str
        by: str  # a user id, or "retention"
        reason: str  # one of REASONS
        erased_at: datetime

    class InvoiceDetailsForgotten(ChainedEvent):
        TOPIC = f"{STORED_AS}.InvoiceDetailsForgotten"
        declared = Declared("Invoice details forgotten")  # to no webhook, as `PersonErased`
        person_id: str
        by: str  # a user id, or "retention"
        reason: str  # INVOICES_PAST_RETENTION
        forgotten_at: datetime

    # None until `InvoiceDetailsForgotten`; a class default, so that a snapshot of an erasure
    # taken before this fact existed loads with it too.
    invoices_forgotten_at: datetime | None = None

    @event(PersonErased)
    def __init__(self, id: UUID, person_id: str, by: str,  # noqa: A002 - the library's
                 reason: str, erased_at: datetime) -> None:
        self.person_id = person_id
        self.by = by
        self.reason = reason
        self.erased_at = erased_at

    @event(InvoiceDetailsForgotten)
    def _invoices_forgotten(self, person_id: str, by: str, reason: str,
                            forgotten_at: datetime) -> None:
        self.invoices_forgotten_at = forgotten_at

    def forget_invoices(self, by: str, reason: str, at: datetime) -> None:
        """Record that the person's invoice details are forgotten
        (INVOICE_DETAILS_ALREADY_FORGOTTEN once)."""
        if self.invoices_forgotten_at is not None:
            raise invoice_details_already_forgotten(self.person_id)
        self._invoices_forgotten(person_id=self.person_id, by=by, reason=reason, forgotten_at=at)


def erase(person_id: str, by: str, reason: str, at: datetime) -> Erasure:
    return Erasure(id=erasure_of(person_id), person_id=person_id, by=by, reason=reason,
                   erased_at=at)
