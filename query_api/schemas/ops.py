"""Statistics, projection status and health."""

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from query_api.schemas.common import EventStatus, Money

# The payments' side of the money, beside the sales' (`revenue`, `refunds`, `net`: prices).
COLLECTED = ("money the payments took (through the provider, or marked paid by hand), read "
             "from their money moves, never from prices")
RETURNED = "money the payments' refunds gave back"
COLLECTED_NET = "collected less returned"


class EventStats(BaseModel):
    id: UUID
    name: str
    status: EventStatus
    published: bool = Field(True, description="false: a draft, not on sale until published")
    currency: str = Field(description="the currency of this event's money")
    organizer_id: UUID | None
    organizer_name: str | None
    bookings: int = Field(description="confirmed bookings")
    bookings_cancelled: int
    tickets_sold: int
    revenue: Money = Field(description="total of every booking made")
    refunds: Money = Field(description="total refunded on cancellations")
    net: Money
    collected: Money = Field(description=COLLECTED)
    returned: Money = Field(description=RETURNED)
    collected_net: Money = Field(description=COLLECTED_NET)


class CurrencyTotals(BaseModel):
    currency: str
    events: int = Field(description="events priced in this currency")
    revenue: Money
    refunds: Money
    net: Money
    collected: Money = Field(description=COLLECTED)
    returned: Money = Field(description=RETURNED)
    collected_net: Money = Field(description=COLLECTED_NET)


class StatsTotals(BaseModel):
    events: int
    bookings: int
    bookings_cancelled: int
    tickets_sold: int
    money: list[CurrencyTotals] = Field(
        description="revenue, refunds and net (the sales), collected, returned and collected "
                    "net (the payments) per currency: never summed across currencies")


class SalesDay(BaseModel):
    day: date
    currency: str
    bookings: int
    tickets: int
    revenue: Money
    refunds: Money


class StatsOut(BaseModel):
    events: list[EventStats]
    totals: StatsTotals
    sales_over_time: list[SalesDay]
    position: int


class RebuildProgress(BaseModel):
    state: Literal["idle", "rebuilding", "swapping", "failed"]
    done: int = Field(description="events gone through by the latest rebuild")
    total: int = Field(description="events to go through (grows while new ones arrive)")
    rate: float | None = Field(description="events per second")
    eta_seconds: float | None
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None


class PartitionStatus(BaseModel):
    partition: int = Field(description="its streams: those whose id's last byte mod the "
                           "partition count is this")
    position: int = Field(description="a global position: every event of its streams up to it "
                          "is applied")
    head: int
    lag_events: int
    lag_seconds: float
    updated_at: datetime | None
    last_error: str | None


class ProjectionStatus(BaseModel):
    name: str
    position: int = Field(description="in partitions: its furthest-behind partition's")
    head: int
    lag_events: int
    lag_seconds: float = Field(description="age of the oldest event not applied yet (0: none)")
    updated_at: datetime | None
    last_error: str | None
    rebuild: RebuildProgress
    partitions: list[PartitionStatus] = Field(
        default=[], description="each partition of a read model caught up in several "
        "(PROJECTION_PARTITIONS); empty for one in one")


class ReplicaHealth(BaseModel):
    name: str = Field(description="`replica-N`: the N-th URL of READ_DATABASE_URLS")
    status: Literal["ok", "down"]
    lag_seconds: float | None = Field(description="how far its replay trails the primary")
    lag_events: int | None = Field(
        description="positions its furthest-behind projection trails the primary's")


class HealthOut(BaseModel):
    status: Literal["ok", "degraded"]
    database: Literal["ok", "down"]
    broker: Literal["ok", "down", "eager"]
    projections: dict[str, int] = Field(description="lag in events, per projection")
    max_lag_events: int = Field(description="a lag above this makes the status degraded")
    replicas: list[ReplicaHealth] = Field(
        default=[], description="the read replicas (READ_DATABASE_URLS): a replica down costs "
        "reads their replica, never an answer (they go to the primary); not in `status`")
