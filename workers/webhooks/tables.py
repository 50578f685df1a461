"""The webhooks' tables: endpoints, their deliveries, their replays, and how far the fan-out
has read the log.

A delivery is one endpoint's copy of one log position: its payload is made once, at fan-out,
so every attempt (and a replay) sends the same body under the same `webhook-id`.
"""

from datetime import datetime
from uuid import UUID

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.models import Base, UTCDateTime

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
FANOUT = "webhooks"  # the fan-out's row in `webhook_tracking`


class WebhookEndpoint(Base):
    """A URL that receives the events of `event_types` (of one event, or all of them)."""

    __tablename__ = "webhook_endpoints"
    __table_args__ = (Index("ix_webhook_endpoints_owner_id", "owner_id", "created_at", "id"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    owner_id: Mapped[UUID] = mapped_column()  # who registered it: an organizer or an admin
    # The owner's role when registering, kept as a record only: what the endpoint receives
    # follows the role the owner has now (`rights`).
    owner_role: Mapped[str] = mapped_column(String(16))
    url: Mapped[str] = mapped_column(String(2048))
    event_types: Mapped[list[str]] = mapped_column(JSON)
    event_id: Mapped[UUID | None] = mapped_column()  # None: every event (admins only)
    description: Mapped[str | None] = mapped_column(String(500))
    # Standard Webhooks `whsec_<base64>`, shown once, at registration; kept sealed
    # (`secret_box`: "fernet:<token>"), or as it is if stored before sealing.
    secret: Mapped[str] = mapped_column(String(400))
    active: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Backed off as a whole (`sender.record`): failed attempts in a row, since when, and
    # the earliest next one; each cleared by a delivery made.
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when every attempt failed for WEBHOOK_DISABLE_AFTER_SECONDS: nothing is sent until
    # its owner replays (`endpoints.replay`); shown to them with the reason.
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disabled_reason: Mapped[str | None] = mapped_column(String(300))
    # Claimed by one sender until then (`sender.claim`): no other sends to it meanwhile, and
    # no connection is held while the receiver answers.
    sending_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WebhookDelivery(Base):
    """One endpoint's copy of one log position, and how sending it went."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "position", name="uq_webhook_deliveries_endpoint_position"),
        # Each endpoint's oldest pending delivery: what the sender sends next.
        Index("ix_webhook_deliveries_pending", "endpoint_id", "position",
              postgresql_where=text("status = 'pending'"),
              sqlite_where=text("status = 'pending'")),
    )
    id: Mapped[UUID] = mapped_column(primary_key=True)  # the `webhook-id`, kept on every attempt
    endpoint_id: Mapped[UUID] = mapped_column(ForeignKey("webhook_endpoints.id"))
    position: Mapped[int] = mapped_column(BigInteger)
    event_type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)  # the exact body signed and sent
    status: Mapped[str] = mapped_column(String(16))  # pending | delivered | failed
    attempts: Mapped[int] = mapped_column(Integer)
    # Bumped by every change: a sender whose row was replayed meanwhile drops its outcome.
    version: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WebhookReplay(Base):
    """One replay of an endpoint's deliveries: who asked, from where, when; the rows of the
    last hour bound the next (WEBHOOK_MAX_REPLAYS_PER_HOUR)."""

    __tablename__ = "webhook_replays"
    __table_args__ = (Index("ix_webhook_replays_endpoint_id", "endpoint_id", "replayed_at"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    endpoint_id: Mapped[UUID] = mapped_column(ForeignKey("webhook_endpoints.id"))
    replayed_by: Mapped[UUID] = mapped_column()
    from_position: Mapped[int] = mapped_column(BigInteger)
    replayed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WebhookTracking(Base):
    """How far the fan-out has read the global log (moved with the rows it inserted)."""

    __tablename__ = "webhook_tracking"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# A mapped class's __table__ is a Table; mypy sees a FromClause.
endpoints: Table = WebhookEndpoint.__table__  # type: ignore[assignment]
deliveries: Table = WebhookDelivery.__table__  # type: ignore[assignment]
tracking: Table = WebhookTracking.__table__  # type: ignore[assignment]
replays: Table = WebhookReplay.__table__  # type: ignore[assignment]
