"""Endpoints' rows as their owners change and read them: registering, listing, deactivating,
the delivery log, replaying; with the bounds on how many endpoints an owner keeps and how often
one is replayed.

Who may do what (an organizer, their events; an admin, all) is the API's to decide
(`query_api.webhooks.routes`); whether an endpoint's owner may receive it now is `rights`';
this module keeps the rows.
"""

import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Select, and_, func, insert, or_, select, update

from core.db import read_scope, session_scope
from core.settings import get_settings
from workers.webhooks import rights, secret_box, signing
from workers.webhooks.fanout import lock_position
from workers.webhooks.tables import PENDING, WebhookEndpoint, deliveries, endpoints, replays

PUBLIC = (endpoints.c.id, endpoints.c.owner_id, endpoints.c.url, endpoints.c.event_types,
          endpoints.c.event_id, endpoints.c.description, endpoints.c.created_at,
          endpoints.c.active, endpoints.c.failing_since, endpoints.c.disabled_at,
          endpoints.c.disabled_reason)
# Whether the owner may receive it now: read with the rows, for `suspended_reason`.
RIGHTS_NOW = (rights.owner_role().label("owner_role_now"),
              rights.runs_its_event().label("owner_runs_event"))
REPLAY_WINDOW = timedelta(hours=1)
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


class TooManyEndpoints(Exception):
    """The owner already has as many active endpoints as they may."""


class TooManyReplays(Exception):
    """The endpoint was replayed as often as it may be within the hour."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after  # seconds until the oldest replay of the hour ages out


def register(asked: Registration, head: int, max_per_owner: int) -> dict[str, Any]:
    """Store a new active endpoint with a fresh secret, sealed (`secret_box`): its row, the
    secret included as it is (the one time it is given out). `head`: the log's safe head,
    where a first fan-out starts. TooManyEndpoints if the owner has `max_per_owner` active."""
    secret = signing.new_secret()
    row = {"id": uuid.uuid4(), "owner_id": asked.owner_id, "owner_role": asked.owner_role,
           "url": asked.url, "event_types": asked.event_types, "event_id": asked.event_id,
           "description": asked.description, "active": True,
           "created_at": datetime.now(UTC), "deactivated_at": None}
    with session_scope() as session:
        # The fan-out's row lock: the batches after this one see the endpoint (`fanout`).
        lock_position(session, head)
        # Counted under that lock, which every registration takes: two at once cannot both
        # take the last place.
        kept = session.scalar(select(func.count()).select_from(endpoints).where(
            endpoints.c.owner_id == asked.owner_id, endpoints.c.active))
        if (kept or 0) >= max_per_owner:
            raise TooManyEndpoints(max_per_owner)
        session.add(WebhookEndpoint(**row, secret=secret_box.seal(secret, get_settings())))
    return row | {"secret": secret, "suspended": False, "suspended_reason": None,
                  "failing_since": None, "disabled_at": None, "disabled_reason": None}


def listed(owner_id: UUID | None, limit: int,
           after: tuple[datetime, UUID] | None) -> list[dict[str, Any]]:
    """Endpoints by registration, oldest first: an owner's, or all (None), after a cursor;
    each saying whether it is suspended, and why."""
    query = _public().order_by(endpoints.c.created_at, endpoints.c.id).limit(limit)
    if owner_id is not None:
        query = query.where(endpoints.c.owner_id == owner_id)
    if after is not None:
        when, key = after
        query = query.where(or_(endpoints.c.created_at > when,
                                and_(endpoints.c.created_at == when, endpoints.c.id > key)))
    with read_scope() as session:
        return [_with_rights(row._mapping) for row in session.execute(query)]


def found(endpoint_id: UUID) -> dict[str, Any] | None:
    """One endpoint (without its secret, with whether it is suspended), or None."""
    with read_scope() as session:
        row = session.execute(_public().where(endpoints.c.id == endpoint_id)).first()
    return _with_rights(row._mapping) if row is not None else None


def _public() -> Select[Any]:
    return select(*PUBLIC, *RIGHTS_NOW)


def _with_rights(row: Any) -> dict[str, Any]:
    """The endpoint's public fields, and `suspended` with its reason, from its owner's role
    and rights now."""
    found = dict(row)
    reason = rights.suspended_reason(found.pop("owner_role_now"), found["event_id"],
                                     bool(found.pop("owner_runs_event")))
    return found | {"suspended": reason is not None, "suspended_reason": reason}


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


def count_replay(endpoint_id: UUID, from_position: int, by: UUID, max_per_hour: int) -> None:
    """Record that `by` replays the endpoint now, or TooManyReplays if it was replayed
    `max_per_hour` times within the last hour (`replay` then does it)."""
    now = datetime.now(UTC)
    with session_scope() as session:
        # The endpoint's row locked (SQLite: the writers' lock, taken at BEGIN): two replays
        # at once are counted one after the other.
        session.execute(select(endpoints.c.id).where(endpoints.c.id == endpoint_id)
                        .with_for_update())
        recent = list(session.scalars(
            select(replays.c.replayed_at).where(replays.c.endpoint_id == endpoint_id,
                                                replays.c.replayed_at > now - REPLAY_WINDOW)
            .order_by(replays.c.replayed_at)))
        if len(recent) >= max_per_hour:
            frees = recent[len(recent) - max_per_hour] + REPLAY_WINDOW
            raise TooManyReplays(max(1, math.ceil((frees - now).total_seconds())))
        session.execute(insert(replays).values(
            id=uuid.uuid4(), endpoint_id=endpoint_id, replayed_by=by,
            from_position=from_position, replayed_at=now))


def replay(endpoint_id: UUID, from_position: int) -> int:
    """Send the endpoint's deliveries at `from_position` and after again, in order, from the
    first attempt (each under its own `webhook-id` again): how many. An endpoint disabled
    for failing is enabled again, its backoff cleared: its owner asked for it."""
    with session_scope() as session:
        session.execute(update(endpoints).where(endpoints.c.id == endpoint_id)
                        .values(disabled_at=None, disabled_reason=None, failures=0,
                                failing_since=None, retry_at=None))
        result = session.execute(
            update(deliveries)
            .where(deliveries.c.endpoint_id == endpoint_id,
                   deliveries.c.position >= from_position)
            .values(status=PENDING, attempts=0, version=deliveries.c.version + 1,
                    next_attempt_at=datetime.now(UTC),
                    last_status_code=None, last_error=None, delivered_at=None))
        return int(result.rowcount)  # type: ignore[attr-defined]  # a CursorResult
