"""Roots and proofs read from the Merkle tree's tables: a proof needs O(log n) stored nodes,
found in one query (the right edge's incomplete subtrees are hashed from them)."""

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import merkle
from projections.merkle import fetch, leaves

T = TypeVar("T")
PLACEHOLDER = bytes(32)


def with_nodes(session: Session, compute: Callable[[merkle.Nodes], T]) -> T:
    """`compute` run once to learn which nodes it reads, then on those nodes read at once."""
    wanted: list[tuple[int, int]] = []

    def record(level: int, index: int) -> bytes:
        wanted.append((level, index))
        return PLACEHOLDER

    compute(record)
    found = fetch(session, sorted(set(wanted)))

    def lookup(level: int, index: int) -> bytes:
        try:
            return found[(level, index)]
        except KeyError:
            raise LookupError(f"node ({level}, {index}) is not in the tree") from None

    return compute(lookup)


def root(session: Session, size: int) -> bytes:
    return with_nodes(session, lambda nodes: merkle.root(nodes, size))


def inclusion(session: Session, index: int, size: int) -> list[bytes]:
    return with_nodes(session, lambda nodes: merkle.inclusion_path(nodes, index, size))


def consistency(session: Session, first: int, second: int) -> list[bytes]:
    return with_nodes(session, lambda nodes: merkle.consistency_path(nodes, first, second))


def leaf_hash(session: Session, index: int) -> bytes | None:
    return fetch(session, [(0, index)]).get((0, index))


def leaf_at(session: Session, position: int) -> dict[str, Any] | None:
    """The leaf of the event at `position` (None: not in the tree yet, or no such event)."""
    row = session.execute(select(leaves).where(leaves.c.position == position)).first()
    return None if row is None else dict(row._mapping)


def booking_leaf(session: Session, booking_id: UUID) -> dict[str, Any] | None:
    """The leaf of the event that made booking `booking_id`."""
    row = session.execute(select(leaves).where(leaves.c.booking_id == booking_id)
                          .order_by(leaves.c.leaf_index).limit(1)).first()
    return None if row is None else dict(row._mapping)
