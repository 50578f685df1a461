"""Read tables, one group per projection, plus the tracking row each projection writes."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import BigInteger, Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.models import Base, Money, UTCDateTime


class ProjectionTracking(Base):
    """How far each projection has applied the global log (written with its rows)."""

    __tablename__ = "projection_tracking"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)


class ProjectionRebuild(Base):
    """The latest rebuild of each projection: its state and progress (see projections.rebuild)."""

    __tablename__ = "projection_rebuilds"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    run_id: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16))  # rebuilding | swapping | idle | failed
    position: Mapped[int] = mapped_column(BigInteger)  # reached in the shadow tables
    done: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the heartbeat
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)


# ----- projection "availability" ------------------------------------------------------------


class EventRow(Base):
    __tablename__ = "events"
    __table_args__ = (
        # The list's order and keyset cursor, alone or after a status filter.
        Index("ix_events_starts_at_id", "starts_at", "id"),
        Index("ix_events_status_starts_at_id", "status", "starts_at", "id"),
    )
    id: Mapped[UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    venue: Mapped[str] = mapped_column(String(200), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16))
    max_tickets_per_user: Mapped[int | None] = mapped_column(Integer)
    total_seats: Mapped[int] = mapped_column(Integer)
    available_seats: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(BigInteger)


class EventCategoryRow(Base):
    __tablename__ = "event_categories"
    event_id: Mapped[UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    price: Mapped[Decimal] = mapped_column(Money)
    capacity: Mapped[int] = mapped_column(Integer)
    sold: Mapped[int] = mapped_column(Integer, default=0)


# ----- projection "bookings" ------------------------------------------------------------------


class BookingRow(Base):
    __tablename__ = "bookings"
    __table_args__ = (
        Index("ix_bookings_user_created", "user_id", "created_at"),
        Index("ix_bookings_event_created", "event_id", "created_at"),
    )
    id: Mapped[UUID] = mapped_column(primary_key=True)
    event_id: Mapped[UUID] = mapped_column()
    user_id: Mapped[UUID] = mapped_column()
    user_name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(100))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Money)
    total_amount: Mapped[Decimal] = mapped_column(Money)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    position: Mapped[int] = mapped_column(BigInteger)


class TicketRow(Base):
    __tablename__ = "tickets"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    booking_id: Mapped[UUID] = mapped_column(index=True)
    event_id: Mapped[UUID] = mapped_column()
    ordinal: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# ----- projection "revenue" ---------------------------------------------------------------------


class EventStatsRow(Base):
    __tablename__ = "event_stats"
    event_id: Mapped[UUID] = mapped_column(primary_key=True)
    bookings_confirmed: Mapped[int] = mapped_column(Integer, default=0)
    bookings_cancelled: Mapped[int] = mapped_column(Integer, default=0)
    tickets_sold: Mapped[int] = mapped_column(Integer, default=0)
    revenue: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    refunds: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))


class SalesDailyRow(Base):
    __tablename__ = "sales_daily"
    event_id: Mapped[UUID] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    bookings: Mapped[int] = mapped_column(Integer, default=0)
    tickets: Mapped[int] = mapped_column(Integer, default=0)
    revenue: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    refunds: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
