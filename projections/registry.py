"""Each projection's name, the read tables it owns, its projector and its batch fold."""

from dataclasses import dataclass

from sqlalchemy import Table

from projections import folds, projectors
from projections.folds import Fold
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
    """A read model: `project` (one event, live tables) and `fold` (a batch, any tables)."""

    name: str
    tables: tuple[Table, ...]
    project: Projector
    fold: Fold | None = None
    types: frozenset[type] | None = None  # None: every event is decoded and projected


def _tables(*models: type) -> tuple[Table, ...]:
    return tuple(projectors.table_of(model) for model in models)


REGISTRY: dict[str, Projection] = {
    p.name: p
    for p in (
        Projection("availability", _tables(EventRow, EventCategoryRow), projectors.availability,
                   folds.availability, folds.EVENT_TYPES),
        Projection("bookings", _tables(BookingRow, TicketRow), projectors.booking_rows,
                   folds.booking_rows, folds.BOOKING_TYPES),
        Projection("revenue", _tables(EventStatsRow, SalesDailyRow), projectors.revenue,
                   folds.revenue, folds.REVENUE_TYPES),
    )
}


def get(name: str) -> Projection:
    """The projection called `name` (KeyError names the known ones)."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown projection {name!r}; known: {', '.join(REGISTRY)}") from None
