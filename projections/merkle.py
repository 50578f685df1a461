"""Projection "merkle": an RFC 9162 tree over the global log, one leaf per stored event.

A leaf hashes the event as every audit reader sees it (`leaf_document`: the export's line,
ticket codes as digests), so an export recomputes it offline. Leaves are added in log order
with no position skipped: each batch reads after the tracking position up to the safe head
(`core.eventlog`), exactly as the read models do, and writes its leaves, the
complete subtrees they finish and the tracking row in one transaction. The tree keeps no
state outside its tables: its right edge (`core.merkle.frontier_nodes`) is read back.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select, tuple_
from sqlalchemy.orm import Session

from commands.aggregate import Event
from commands.audit.store import record
from core import merkle
from core.db import session_scope
from core.eventlog import EventLog
from projections import tracking
from projections.merkle_tables import MerkleLeaf, MerkleNode
from projections.model import table_of

NAME = "merkle"
LEAF_KEYS = ("stream", "version", "type", "recorded_at", "position", "form", "payload", "chain")
leaves, nodes = table_of(MerkleLeaf), table_of(MerkleNode)


def leaf_document(event: Any, position: int) -> dict[str, Any]:
    """What a leaf's hash covers: the stored event as the audit log and the export show it."""
    found = record(event, position)
    return {key: found[key] for key in LEAF_KEYS}


def leaf_of(document: dict[str, Any]) -> bytes:
    return merkle.leaf_hash(merkle.canonical({key: document[key] for key in LEAF_KEYS}))


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


def advance(log: EventLog, batch_size: int | None = None, max_batches: int | None = None) -> int:
    """Add every event past the tree's position as a leaf; how many were added."""
    limit = batch_size or log.settings.projection_batch_size
    upto = log.head() if log.settings.is_postgres else None  # before any row is locked
    added = batches = 0
    while max_batches is None or batches < max_batches:
        n = _batch(log, limit, upto)
        added, batches = added + n, batches + 1
        if n < limit:
            break
    return added


def _batch(log: EventLog, limit: int, upto: int | None) -> int:
    with session_scope() as session:
        position = tracking.lock(session, NAME)
        found = log.read(position, limit, upto)
        if not found:
            return 0
        count = size(session)
        tree = frontier(session, count)
        leaf_rows: list[dict[str, Any]] = []
        node_rows: list[dict[str, Any]] = []
        for notification in found:
            event = log.decode(notification)
            leaf_rows.append(_leaf_row(tree.size, event, notification.id))
            made = tree.append(leaf_of(leaf_document(event, notification.id)))
            node_rows.extend({"level": lv, "index": i, "hash": h} for lv, i, h in made)
        session.execute(insert(leaves), leaf_rows)
        session.execute(insert(nodes), node_rows)
        tracking.set_tracking(session, NAME, position=found[-1].id, last_error=None)
    return len(found)


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
