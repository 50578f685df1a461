"""Whether an endpoint's owner may receive its deliveries now: decided on their role in the
users table and on who runs the event, as they are when a delivery is made and again right
before each attempt, never on what was true when the endpoint was registered.

An admin's endpoints receive what they were registered for. An organizer's (an endpoint always
names one event) receive while its owner keeps the organizer role and runs that event (its
organizer or a co-organizer). Anyone else's, a demoted admin's or organizer's included, is
suspended: nothing is made for it nor sent to it, its pending deliveries wait, and it is sent
to again, from where it stood, if the rights come back.

Role changes count at once (the users table is written in place). Who runs an event is read
from the read tables, which follow the log: at once on the embedded default (its projections
run before a command answers), within the projections' lag with workers (`GET
/api/projections`).
"""

from typing import Any

from sqlalchemy import ColumnElement, String, Uuid, and_, column, exists, or_, select, table

from projections.availability import EventOrganizerRow, EventRow
from workers.webhooks.tables import endpoints

ADMIN, ORGANIZER = "admin", "organizer"
# The accounts' table (`query_api.auth.user_accounts.User`), named here by the two columns read:
# the workers read it without importing the HTTP edge.
users = table("users", column("id", Uuid), column("role", String))


def owner_role() -> Any:
    """The endpoint's owner's role now (NULL: the account is gone), as a scalar subquery."""
    return select(users.c.role).where(users.c.id == endpoints.c.owner_id).scalar_subquery()


def runs_its_event() -> ColumnElement[bool]:
    """Whether the endpoint's owner organizes or co-organizes the event it names."""
    organizes = exists().where(EventRow.id == endpoints.c.event_id,
                               EventRow.organizer_id == endpoints.c.owner_id)
    co_organizes = exists().where(EventOrganizerRow.event_id == endpoints.c.event_id,
                                  EventOrganizerRow.user_id == endpoints.c.owner_id)
    return or_(organizes, co_organizes)


def entitled() -> ColumnElement[bool]:
    """Whether the endpoint's owner may receive its deliveries now (see the module)."""
    role = owner_role()
    return or_(role == ADMIN, and_(role == ORGANIZER, endpoints.c.event_id.is_not(None),
                                   runs_its_event()))


def suspended_reason(role: str | None, event_id: object, runs: bool) -> str | None:
    """Why an endpoint whose owner has `role` (None: no account) and does or does not run
    its event receives nothing now (None: it receives)."""
    if role == ADMIN:
        return None
    if role is None:
        return "the owner's account no longer exists"
    if role != ORGANIZER:
        return f"the owner's role is now {role}: only organizers and admins receive webhooks"
    if event_id is None:
        return "the owner is no longer an admin: only admins receive every event's"
    if not runs:
        return "the owner no longer runs this event"
    return None
