"""Whose buyer a person is: the events they booked, held or waited for. An account spans every
organizer's events, so these decide who may forget a buyer other than the buyer themself: the
retention job (`workers.retention`).
"""

from uuid import UUID

from sqlalchemy import Select, select, union
from sqlalchemy.orm import Session

from projections.bookings import BookingRow
from projections.holds import HoldRow, PlaceRow


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
