"""Whose buyer a person is: the events they booked, held or waited for. An account spans every
organizer's events, so these decide who may forget a buyer other than the buyer themself: the
retention job (`workers.retention`) and an organizer forgetting their own buyer
(`forget_buyer`).

An organizer forgets a customer all of whose bookings, holds and waitlist places are for
events the organizer runs, by the same erasure as an admin's (`workers.erasure`, reason
`asked_of_organizer`, by the organizer's id):
- none of the person's is for an event they run (a stranger, or another organizer's buyer):
  404 PERSON_NOT_FOUND, as for an unknown id: an organizer learns nothing of accounts that are
  not their buyers;
- erased already: 409 PERSON_ALREADY_ERASED;
- a staff account (organizer, admin, auditor): 409 PERSON_IS_STAFF: more than a buyer;
- some of the person's are for events others run: 409 PERSON_BUYS_FROM_OTHERS, an admin's to
  forget: the other organizers' lists would lose them too.
"""

from uuid import UUID

from sqlalchemy import Select, select, union
from sqlalchemy.orm import Session

from commands.application.views import Outcome
from commands.domain.erasure import ASKED_OF_ORGANIZER
from commands.domain.errors import Conflict, person_already_erased, person_not_found
from commands.domain.events import CUSTOMER
from commands.ledger import Ledger
from core import error_codes as codes
from core.db import read_scope
from projections.bookings import BookingRow
from projections.holds import HoldRow, PlaceRow
from workers import erasure


def bought(person_id: UUID | None = None) -> Select[tuple[UUID, UUID]]:
    """(person, event) for every booking, hold and place, whatever became of it (a cancelled
    booking still names its buyer on its event's list); one person's when `person_id` is
    given."""
    def of(row: type[BookingRow | HoldRow | PlaceRow]) -> Select[tuple[UUID, UUID]]:
        query = select(row.user_id, row.event_id)
        return query if person_id is None else query.where(row.user_id == person_id)

    found = union(*(of(row) for row in (BookingRow, HoldRow, PlaceRow))).subquery()
    return select(found.c.user_id, found.c.event_id)


def events_by_buyer(session: Session, person_id: UUID | None = None) -> dict[UUID, set[UUID]]:
    """The events each person bought for (`bought`), by person."""
    by_person: dict[UUID, set[UUID]] = {}
    for person, event_id in session.execute(bought(person_id)):
        by_person.setdefault(person, set()).add(event_id)
    return by_person


def forget_buyer(ledger: Ledger, organizer_id: UUID, person_id: UUID) -> Outcome:
    """Forget the person for the organizer (the module's words say when it is refused). The
    read models are read as they are: the caller waits for them to reach the log first."""
    with read_scope() as session:
        events = events_by_buyer(session, person_id).get(person_id, set())
        role = session.scalar(select(erasure.users.c.role).where(
            erasure.users.c.id == person_id))
    # Co-organized events count as the organizer's own: their co-organizers read the event's
    # bookings and attendees, and answer its buyers as its organizer does. Who runs an event is
    # the write side's word (`Ledger.run_by`), as for reading its bookings: a projection lags.
    theirs = ledger.run_by(events, str(organizer_id))
    if not theirs:
        raise person_not_found(person_id)
    if ledger.is_erased(str(person_id)):
        raise person_already_erased(person_id)
    if role != CUSTOMER:
        raise Conflict("This account is staff's, not only a buyer's: an admin may erase it",
                       code=codes.PERSON_IS_STAFF)
    if theirs != events:
        raise Conflict("This person also bought for events other organizers run: ask an admin "
                       "to erase them", code=codes.PERSON_BUYS_FROM_OTHERS)
    return erasure.erase(ledger, person_id, str(organizer_id), ASKED_OF_ORGANIZER)
