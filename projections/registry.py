"""The read models, by name: a new one is a module with its tables and fold, listed here."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from projections import availability, bookings, holds, invoices, revenue
from projections.model import ReadModel

REGISTRY: dict[str, ReadModel] = {
    m.name: m for m in (availability.MODEL, bookings.MODEL, revenue.MODEL, holds.MODEL,
                        invoices.MODEL)
}
PROJECTIONS = tuple(REGISTRY)
# Columns batches look rows up by, per table, whatever the model (kept through a rebuild's fill).
INDEXED: dict[str, tuple[str, ...]] = {
    table: columns for m in REGISTRY.values() for table, columns in m.indexed.items()
}


def get(name: str) -> ReadModel:
    """The read model called `name` (KeyError names the known ones)."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown projection {name!r}; known: {', '.join(REGISTRY)}") from None


def snapshot_tables(session: Session, name: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the model's tables in primary-key order, to compare two states."""
    return {
        table.name: [tuple(row) for row in
                     session.execute(select(table).order_by(*table.primary_key.columns))]
        for table in get(name).tables
    }
