"""Roots and proofs read from the Merkle tree's tables: a proof needs O(log n) stored nodes,
found in one query (the right edge's incomplete subtrees are hashed from them): one primary
key lookup per node, `UNION ALL`ed, a statement made once per node count."""

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import TextClause, bindparam, select, text
from sqlalchemy.orm import Session

from core.proofs import merkle
from projections.proofs.tree import leaves

T = TypeVar("T")
PLACEHOLDER = bytes(32)


@lru_cache(maxsize=128)
def _nodes_query(count: int) -> TextClause:
    return text(" UNION ALL ".join(
        f'SELECT level, "index", hash FROM merkle_nodes WHERE level = :l{i} AND "index" = :i{i}'  # noqa: S608 - numbered parameters
        for i in range(count)))


def fetch(session: Session, wanted: Sequence[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """The stored nodes at these (level, index), in one query."""
    if not wanted:
        return {}
    params: dict[str, int] = {}
    for i, (level, index) in enumerate(wanted):
        params[f"l{i}"], params[f"i{i}"] = level, index
    found = session.connection().execute(_nodes_query(len(wanted)), params)
    return {(int(level), int(index)): bytes(h) for level, index, h in found}


def with_nodes(session: Session, compute: Callable[[merkle.Nodes], T]) -> T:
    """`compute` run once to learn which nodes it reads, then on those nodes read at once."""
    return _computed(session, compute)[0]


def _computed(session: Session, compute: Callable[[merkle.Nodes], T],
              also: Sequence[tuple[int, int]] = ()) -> tuple[T, dict[tuple[int, int], bytes]]:
    """`with_nodes`, and every node read (those `also` names read in the same query)."""
    wanted: list[tuple[int, int]] = list(also)

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

    return compute(lookup), found


def root(session: Session, size: int) -> bytes:
    return with_nodes(session, lambda nodes: merkle.root(nodes, size))


def inclusion(session: Session, index: int, size: int) -> list[bytes]:
    return with_nodes(session, lambda nodes: merkle.inclusion_path(nodes, index, size))


def consistency(session: Session, first: int, second: int) -> list[bytes]:
    return with_nodes(session, lambda nodes: merkle.consistency_path(nodes, first, second))


def inclusion_and_leaf(session: Session, index: int, size: int) -> tuple[list[bytes], bytes | None]:
    """`inclusion` and `leaf_hash`, from one query."""
    path, found = _computed(session, lambda nodes: merkle.inclusion_path(nodes, index, size),
                            also=[(0, index)])
    return path, found.get((0, index))


def leaf_hash(session: Session, index: int) -> bytes | None:
    return fetch(session, [(0, index)]).get((0, index))


_LEAF_AT = select(leaves).where(leaves.c.position == bindparam("position"))


def leaf_at(session: Session, position: int) -> dict[str, Any] | None:
    """The leaf of the event at `position` (None: not in the tree yet, or no such event)."""
    row = session.connection().execute(_LEAF_AT, {"position": position}).first()
    return None if row is None else dict(row._mapping)


def booking_leaf(session: Session, booking_id: UUID) -> dict[str, Any] | None:
    """The leaf of the event that made booking `booking_id`."""
    row = session.execute(select(leaves).where(leaves.c.booking_id == booking_id)
                          .order_by(leaves.c.leaf_index).limit(1)).first()
    return None if row is None else dict(row._mapping)
