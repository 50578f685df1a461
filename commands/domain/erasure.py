"""Erasure: the fact that a person was forgotten, on a stream of its own per person.

The fact names no personal data: the person's id (an account's, random), who erased them (a
user id, or the scheduler's retention), and why, as a code. Its stream's id is derived from
the person's, so erasing someone twice collides in the store: the second is refused, and the
log holds one `PersonErased` per person. Destroying the person's key, which is what forgets
them, is the application's (`commands.application.erasure`): the domain holds no key.
"""

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from commands.domain.chain import ChainedCreated
from commands.domain.declared import Declared

STORED_AS = "commands.domain.erasure:Erasure"
# Why a person was forgotten.
ASKED_BY_THEM = "asked_by_them"  # the person, from their account
ASKED_OF_ADMIN = "asked_of_admin"  # an admin, on the person's request or the law's
ASKED_OF_ORGANIZER = "asked_of_organizer"  # the organizer of every event they bought for
RETENTION = "retention"  # their event ended longer ago than its organizer keeps buyers
REASONS = (ASKED_BY_THEM, ASKED_OF_ADMIN, ASKED_OF_ORGANIZER, RETENTION)


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

    @event(PersonErased)
    def __init__(self, id: UUID, person_id: str, by: str,  # noqa: A002 - the library's
                 reason: str, erased_at: datetime) -> None:
        self.person_id = person_id
        self.by = by
        self.reason = reason
        self.erased_at = erased_at


def erase(person_id: str, by: str, reason: str, at: datetime) -> Erasure:
    return Erasure(id=erasure_of(person_id), person_id=person_id, by=by, reason=reason,
                   erased_at=at)
