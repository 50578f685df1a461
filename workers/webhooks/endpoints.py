"""Endpoints' rows as their owners change and read them: registering, listing, deactivating,
the delivery log, replaying.

Who may do what (an organizer, their events; an admin, all) is the API's to decide
(`query_api.webhooks.routes`); this module keeps the rows.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, or_, select, update

from core.db import read_scope, session_scope
from core.settings import get_settings
from workers.webhooks import secret_box, signing
from workers.webhooks.fanout import lock_position
from workers.webhooks.tables import PENDING, WebhookEndpoint, deliveries, endpoints

PUBLIC = (endpoints.c.id, endpoints.c.owner_id, endpoints.c.url, endpoints.c.event_types,
          endpoints.c.event_id, endpoints.c.description, endpoints.c.created_at,
          endpoints.c.active)
DELIVERY_LOG = (deliveries.c.id, deliveries.c.position, deliveries.c.event_type,
                deliveries.c.status, deliveries.c.attempts, deliveries.c.last_status_code,
                deliveries.c.last_error, deliveries.c.next_attempt_at, deliveries.c.delivered_at,
                deliveries.c.created_at)


@dataclass(frozen=True)
class Registration:
    """What an owner asked for, checked by the API."""

    owner_id: UUID
    owner_role: str
    url: str
    event_types: list[str]
    event_id: UUID | None
    description: str | None


def register(asked: Registration, head: int) -> dict[str, Any]:
    """Store a new active endpoint with a fresh secret, sealed (`secret_box`): its row, the
    secret included as it is (the one time it is given out). `head`: the log's safe head,
    where a first fan-out starts."""
    secret = signing.new_secret()
    row = {"id": uuid.uuid4(), "owner_id": asked.owner_id, "owner_role": asked.owner_role,
           "url": asked.url, "event_types": asked.event_types, "event_id": asked.event_id,
           "description": asked.description, "active": True,
           "created_at": datetime.now(UTC), "deactivated_at": None}
    with session_scope() as session:
        # The fan-out's row lock: the batches after this one see the endpoint (`fanout`).
        lock_position(session, head)
        session.add(WebhookEndpoint(**row, secret=secret_box.seal(secret, get_settings())))
    return row | {"secret": secret}


def listed(owner_id: UUID | None, limit: int,
           after: tuple[datetime, UUID] | None) -> list[dict[str, Any]]:
    """Endpoints by registration, oldest first: an owner's, or all (None), after a cursor."""
    query = select(*PUBLIC).order_by(endpoints.c.created_at, endpoints.c.id).limit(limit)
    if owner_id is not None:
        query = query.where(endpoints.c.owner_id == owner_id)
    if after is not None:
        when, key = after
        query = query.where(or_(endpoints.c.created_at > when,
                                and_(endpoints.c.created_at == when, endpoints.c.id > key)))
    with read_scope() as session:
        return [dict(row._mapping) for row in session.execute(query)]


def found(endpoint_id: UUID) -> dict[str, Any] | None:
    """One endpoint (without its secret), or None."""
    with read_scope() as session:
        row = session.execute(select(*PUBLIC).where(endpoints.c.id == endpoint_id)).first()
    return dict(row._mapping) if row is not None else None


def deactivate(endpoint_id: UUID) -> None:
    """Stop sending to it (its pending deliveries stay, unsent; its log stays readable)."""
    with session_scope() as session:
        session.execute(update(endpoints).where(endpoints.c.id == endpoint_id,
                                                endpoints.c.active)
                        .values(active=False, deactivated_at=datetime.now(UTC)))


def delivery_log(endpoint_id: UUID, limit: int, before: int | None,
                 status: str | None) -> list[dict[str, Any]]:
    """The endpoint's deliveries, latest position first, below a cursor's position."""
    query = (select(*DELIVERY_LOG).where(deliveries.c.endpoint_id == endpoint_id)
             .order_by(deliveries.c.position.desc()).limit(limit))
    if before is not None:
        query = query.where(deliveries.c.position < before)
    if status is not None:
        query = query.where(deliveries.c.status == status)
    with read_scope() as session:
        return [dict(row._mapping) for row in session.execute(query)]


def replay(endpoint_id: UUID, from_position: int) -> int:
    """Send the endpoint's deliveries at `from_position` and after again, in order, from the
    first attempt (each under its own `webhook-id` again): how many."""
    with session_scope() as session:
        result = session.execute(
            update(deliveries)
            .where(deliveries.c.endpoint_id == endpoint_id,
                   deliveries.c.position >= from_position)
            .values(status=PENDING, attempts=0, version=deliveries.c.version + 1,
                    next_attempt_at=datetime.now(UTC),
                    last_status_code=None, last_error=None, delivered_at=None))
        return int(result.rowcount)  # type: ignore[attr-defined]  # a CursorResult
