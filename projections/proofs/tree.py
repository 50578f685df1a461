"""Projection "merkle": an RFC 9162 tree over the global log, one leaf per stored event.

A leaf hashes the event as every audit reader sees it (`leaf_document`: the export's line,
ticket codes as digests), so an export recomputes it offline. Leaves are added in log order
with no position skipped: the tree follows the log in the read models' batches
(`projections.batch_loop`), writing its leaves, the complete subtrees they finish and its
tracking row in their transaction. The tree keeps no
state outside its tables: its right edge (`core.proofs.merkle.frontier_nodes`) is read back.
"""

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session

from commands.audit.store import record
from commands.domain.event import Event
from core.db import session_scope
from core.event_store.global_log import EventLog
from core.proofs import merkle
from core.proofs.canonical import canonical
from projections import tracking
from projections.batch_loop import run_batches
from projections.bulk import insert_rows
from projections.model import table_of
from projections.proofs.tables import MerkleLeaf, MerkleNode

NAME = "merkle"
LEAF_KEYS = ("stream", "version", "type", "recorded_at", "position", "form", "payload", "chain")
leaves, nodes = table_of(MerkleLeaf), table_of(MerkleNode)


def leaf_document(event: Any, position: int) -> dict[str, Any]:
    """What a leaf's hash covers: the stored event as the audit log and the export show it."""
    found = record(event, position)
    return {key: found[key] for key in LEAF_KEYS}


def leaf_of(document: dict[str, Any]) -> bytes:
    return merkle.leaf_hash(canonical({key: document[key] for key in LEAF_KEYS}))


def size(session: Session) -> int:
    """Leaves in the tree."""
    top = session.execute(select(leaves.c.leaf_index).order_by(leaves.c.leaf_index.desc())
                          .limit(1)).scalar()
    return 0 if top is None else int(top) + 1


def fetch(session: Session, wanted: Sequence[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """The stored nodes at these (level, index)."""
    if not wanted:
        return {}
    found = session.execute(select(nodes.c.level, nodes.c.index, nodes.c.hash)
                            .where(tuple_(nodes.c.level, nodes.c.index).in_(list(wanted))))
    return {(int(level), int(index)): bytes(h) for level, index, h in found}


def frontier(session: Session, count: int) -> merkle.Frontier:
    """The tree of `count` leaves, ready to grow."""
    wanted = merkle.frontier_nodes(count)
    found = fetch(session, wanted)
    missing = [w for w in wanted if w not in found]
    if missing:
        raise RuntimeError(f"the Merkle tree of {count} leaves lacks nodes {missing}: rebuild it")
    return merkle.Frontier(count, [(level, found[(level, i)]) for level, i in wanted])


class Tree:
    """The tree as a follower of the log (`projections.batch_loop`): leaves in log order."""

    name = NAME
    row = None  # its row in `projection_tracking`
    bounded_by = None  # it reads no read model

    def extend(self, session: Session, notifications: Sequence[Any],
               decode: Callable[[Any], Any]) -> None:
        if not notifications:
            return
        tree = frontier(session, size(session))
        leaf_rows: list[dict[str, Any]] = []
        node_rows: list[dict[str, Any]] = []
        for notification in notifications:
            event = decode(notification)
            leaf_rows.append(_leaf_row(tree.size, event, notification.id))
            made = tree.append(leaf_of(leaf_document(event, notification.id)))
            node_rows.extend({"level": lv, "index": i, "hash": h} for lv, i, h in made)
        connection = session.connection()  # Core, no ORM work per row: COPY on PostgreSQL
        insert_rows(connection, leaves, leaf_rows)
        if node_rows:
            insert_rows(connection, nodes, node_rows)


TREE = Tree()


def advance(log: EventLog, batch_size: int | None = None, max_batches: int | None = None) -> int:
    """Add every event past the tree's position as a leaf; how many were added."""
    return run_batches([], [TREE], log, batch_size, max_batches)[NAME]


def _leaf_row(index: int, event: Any, position: int) -> dict[str, Any]:
    booking = event.booking_id if isinstance(event, Event.SeatsBooked) else None
    return {"leaf_index": index, "position": position, "stream": event.originator_id,
            "version": event.originator_version, "booking_id": booking}


def rebuild(log: EventLog) -> int:
    """Drop the tree and grow it again from the store; how many leaves it has."""
    with session_scope() as session:
        tracking.lock(session, NAME)
        session.execute(delete(nodes))
        session.execute(delete(leaves))
        tracking.set_tracking(session, NAME, position=0, last_error=None)
    return advance(log)
