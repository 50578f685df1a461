"""Rows read with their children (a booking's tickets, an event's categories): one query for
every parent of a page, not one per parent."""

from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session


def children_of(
    session: Session, parent: InstrumentedAttribute[Any], order: InstrumentedAttribute[Any],
    parent_ids: Sequence[UUID], shape: Callable[[Any], dict[str, Any]],
) -> dict[UUID, list[dict[str, Any]]]:
    """Each parent's child rows (whose `parent` column names it) in `order`, each `shape`d."""
    found: dict[UUID, list[dict[str, Any]]] = {parent_id: [] for parent_id in parent_ids}
    if found:
        query = select(parent.class_).where(parent.in_(list(found))).order_by(parent, order)
        for row in session.scalars(query):
            found[getattr(row, parent.key)].append(shape(row))
    return found
