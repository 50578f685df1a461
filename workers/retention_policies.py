"""`retention_policies`: each organizer's retention of their buyers, as they set it through the
API (`PUT /api/organizers/me/retention`); `workers.retention` acts on it."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from core.models import Base, UTCDateTime

MAX_DAYS = 3650


class RetentionPolicy(Base):
    """An organizer's retention: their events' buyers forgotten this many days after the end
    (None: set, then taken back; the API updates rows and deletes none)."""

    __tablename__ = "retention_policies"
    organizer_id: Mapped[UUID] = mapped_column(primary_key=True)
    forget_buyers_after_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
