"""Each projection's name, the read tables it owns, and its projector."""

from dataclasses import dataclass

from sqlalchemy import Table

from projections import projectors
from projections.projectors import Projector
from projections.tables import (
    BookingRow,
    EventCategoryRow,
    EventRow,
    EventStatsRow,
    SalesDailyRow,
    TicketRow,
)


@dataclass(frozen=True)
class Projection:
    name: str
    tables: tuple[Table, ...]
    project: Projector


def _tables(*models: type) -> tuple[Table, ...]:
    return tuple(projectors.table_of(model) for model in models)


REGISTRY: dict[str, Projection] = {
    p.name: p
    for p in (
        Projection("availability", _tables(EventRow, EventCategoryRow), projectors.availability),
        Projection("bookings", _tables(BookingRow, TicketRow), projectors.booking_rows),
        Projection("revenue", _tables(EventStatsRow, SalesDailyRow), projectors.revenue),
    )
}


def get(name: str) -> Projection:
    """The projection called `name` (KeyError names the known ones)."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown projection {name!r}; known: {', '.join(REGISTRY)}") from None
