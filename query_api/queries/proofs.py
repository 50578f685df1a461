"""Proof answers read from the tree's tables and the store: inclusion, consistency, heads."""

import time
from collections.abc import Callable
from typing import Any
from uuid import UUID

from sqlalchemy.orm import Session

from commands.audit.store import log_page
from commands.ledger import Ledger
from core import checkpoint_key
from core.db import read_scope
from core.eventlog import EventLog
from core.settings import Settings
from projections import checkpoints, merkle, merkle_proofs, tracking
from query_api.errors import ApiError

POLL_SECONDS = 0.05


def no_head(tree_size: int) -> ApiError:
    return ApiError(404, "CHECKPOINT_NOT_FOUND", f"No signed tree head at size {tree_size}")


def leaf_record(ledger: Ledger, position: int) -> dict[str, Any]:
    """The stored event at `position` as its leaf covers it."""
    found = log_page(ledger, position - 1, 1)
    if not found or found[0]["position"] != position:
        raise ApiError(409, "LEAF_NOT_IN_STORE",
                       f"The tree has a leaf for position {position}, the store no event there")
    return {key: found[0][key] for key in merkle.LEAF_KEYS}


def inclusion(ledger: Ledger, settings: Settings, leaf: dict[str, Any] | None,
              tree_size: int | None) -> dict[str, Any]:
    """The proof that `leaf` is in the head signed at `tree_size` (default: the latest,
    signed now if none covers the leaf yet)."""
    if leaf is None:
        raise ApiError(409, "LEAF_NOT_YET_IN_TREE",
                       "The event is not in the Merkle tree yet: ask again in a few seconds")
    index = int(leaf["leaf_index"])
    with read_scope() as session:  # the head and the proof's nodes in one transaction
        head = _covering(session, index, tree_size)
        if head is not None and index < int(head["tree_size"]):
            path, leaf_hash = merkle_proofs.inclusion_and_leaf(session, index,
                                                               int(head["tree_size"]))
    if head is None:
        head = _sign_now(settings)
        if index < int(head["tree_size"]):
            with read_scope() as session:
                path, leaf_hash = merkle_proofs.inclusion_and_leaf(session, index,
                                                                   int(head["tree_size"]))
    if index >= int(head["tree_size"]):
        raise ApiError(409, "LEAF_AFTER_HEAD",
                       f"Leaf {index} came after the head of size {head['tree_size']}")
    return {"leaf_index": index, "tree_size": head["tree_size"],
            "leaf": leaf_record(ledger, int(leaf["position"])),
            "leaf_hash": (leaf_hash or b"").hex(), "audit_path": [p.hex() for p in path],
            "head": head}


def _covering(session: Session, index: int, tree_size: int | None) -> dict[str, Any] | None:
    if tree_size is not None:
        head = checkpoints.at_size(session, tree_size)
        if head is None:
            raise no_head(tree_size)
        return head
    head = checkpoints.latest(session)
    return head if head is not None and int(head["tree_size"]) > index else None


def _sign_now(settings: Settings) -> dict[str, Any]:
    """A head over the tree as it stands: the proof of a booking made a moment ago."""
    try:
        return checkpoints.sign(settings)
    except checkpoint_key.KeyMissing:
        raise ApiError(409, "PROOF_NOT_YET_SIGNED",
                       "No signed tree head covers this event yet: the next one will") from None


def consistency(first: int, second: int | None) -> dict[str, Any]:
    """The proof that the tree of `second` leaves (default: the latest head's) extends the
    tree of `first`."""
    with read_scope() as session:
        if second is None:
            latest = checkpoints.latest(session)
            if latest is None:
                raise ApiError(404, "CHECKPOINT_NOT_FOUND", "No tree head has been signed yet")
            second = int(latest["tree_size"])
        size = merkle.size(session)
        if not 0 < first <= second <= size:
            raise ApiError(422, "PROOF_QUERY_INVALID",
                           f"Need 0 < first <= second <= {size} (the tree's size)")
        proof = merkle_proofs.consistency(session, first, second)
        return {"first": first, "second": second,
                "first_head": checkpoints.at_size(session, first),
                "second_head": checkpoints.at_size(session, second),
                "proof": [p.hex() for p in proof]}


def booking_leaf(log: EventLog, booking_id: UUID, wait: float) -> dict[str, Any] | None:
    """The leaf of the booking's event, waiting up to `wait` s for the tree to take it in."""
    return _waiting(log, lambda session: merkle_proofs.booking_leaf(session, booking_id),
                    wait)[0]


def position_leaf(log: EventLog, position: int, wait: float) -> dict[str, Any] | None:
    """The leaf of the event at `position` (None: not in the tree yet); 404 when the store
    has none there."""
    if position > log.last():
        raise no_event(position)
    found, reached = _waiting(log, lambda session: merkle_proofs.leaf_at(session, position),
                              wait)
    if found is None and reached >= position:
        raise no_event(position)  # a gap in the log: no event was stored there
    return found


def no_event(position: int) -> ApiError:
    return ApiError(404, "EVENT_NOT_FOUND", f"No stored event at position {position}")


def _tree_position() -> int:
    return tracking.current_positions().get(merkle.NAME, 0)


def _waiting(log: EventLog, find: Callable[[Session], dict[str, Any] | None],
             wait: float) -> tuple[dict[str, Any] | None, int]:
    """What `find` found (None: nothing) and the tree's position read just before it."""
    # A booking confirmed a moment ago is a leaf once the workers' next batch is in; once
    # the tree has caught up with the store, waiting longer cannot help. The position is read
    # before the find: the tree's leaves commit with its position, so a find after the tree
    # reached `last` sees every leaf up to there. Read after, a batch committed in between
    # would say "caught up" over a find that ran before it, and a leaf there would be missed.
    deadline = time.monotonic() + wait
    while True:
        last = log.last()
        reached = _tree_position()
        with read_scope() as session:
            found = find(session)
        if found is not None or reached >= last or time.monotonic() >= deadline:
            return found, reached
        time.sleep(POLL_SECONDS)
