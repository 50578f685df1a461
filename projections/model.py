"""What a read model is: its name, its tables and its fold, the one definition of its rows."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table

if TYPE_CHECKING:  # the unit of work takes the model's tables; a model's fold takes the unit
    from projections.unit_of_work import Batch

Tables = Mapping[str, Table]  # live table name -> the table to write (live, or a rebuild's copy)
Fold = Callable[["Batch", Any, int], None]  # (unit of work, domain event, its position)


def table_of(model: type) -> Table:
    """A mapped class's Table (typed as such for the DML constructors)."""
    table: Table = model.__table__  # type: ignore[attr-defined]  # mapped classes have one
    return table


@dataclass(frozen=True)
class ReadModel:
    """A projection: it folds the domain events of `types` into `tables`, in batches."""

    name: str
    tables: tuple[Table, ...]
    fold: Fold
    types: frozenset[type]  # the events it reads; others are not even decoded for it
    # Columns a batch looks rows up by in memory, per table (also kept indexed during a
    # rebuild's fill, where the batch's SQL finds them).
    indexed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Its rows of one ticketed event fold from that event's stream alone: a read of them
    # waits only for the partition holding it (`projections.partitions`).
    by_event: bool = False

    @property
    def live(self) -> Tables:
        return {t.name: t for t in self.tables}
