"""Proof answers read from the tree's tables and the store: inclusion, consistency, heads."""

import math
import time
from collections.abc import Callable
from typing import Any
from uuid import UUID

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from commands.audit.store import log_page
from commands.domain.errors import NotFound, event_not_found
from commands.ledger import Ledger
from core import error_codes as codes
from core.db import read_scope
from core.event_store.global_log import EventLog
from core.settings import Settings, get_settings
from projections import tracking
from projections.proofs import checkpoints, paths, tree
from query_api.proofs.tree_watch import Need, Watcher
from query_api.reads.waits import places, too_many_waiters
from query_api.service.errors import ApiError


def no_head(tree_size: int | None = None) -> ApiError:
    """404 CHECKPOINT_NOT_FOUND: none signed at `tree_size`, or (None) none signed at all."""
    if tree_size is None:
        return ApiError(codes.CHECKPOINT_NOT_FOUND, "No tree head has been signed yet")
    return ApiError(codes.CHECKPOINT_NOT_FOUND, f"No signed tree head at size {tree_size}")


def leaf_record(ledger: Ledger, position: int) -> dict[str, Any]:
    """The stored event at `position` as its leaf covers it."""
    found = log_page(ledger, position - 1, 1)
    if not found or found[0]["position"] != position:
        raise ApiError(codes.LEAF_NOT_IN_STORE,
                       f"The tree has a leaf for position {position}, the store no event there")
    return {key: found[0][key] for key in tree.LEAF_KEYS}


def inclusion(ledger: Ledger, leaf: dict[str, Any], tree_size: int | None
              ) -> dict[str, Any] | None:
    """The proof that `leaf` is in the head signed at `tree_size` (default: the latest); None
    when no head covers it yet. Never signs: heads come from the signer's schedule."""
    index = int(leaf["leaf_index"])
    with read_scope() as session:  # the head and the proof's nodes in one transaction
        head = _covering(session, index, tree_size)
        if head is None:
            return None
        if index >= int(head["tree_size"]):
            raise ApiError(codes.LEAF_AFTER_HEAD,
                           f"Leaf {index} came after the head of size {head['tree_size']}")
        path, leaf_hash = paths.inclusion_and_leaf(session, index, int(head["tree_size"]))
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


def consistency(first: int, second: int | None) -> dict[str, Any]:
    """The proof that the tree of `second` leaves (default: the latest head's) extends the
    tree of `first`."""
    with read_scope() as session:
        if second is None:
            latest = checkpoints.latest(session)
            if latest is None:
                raise no_head()
            second = int(latest["tree_size"])
        size = tree.size(session)
        if not 0 < first <= second <= size:
            raise ApiError(codes.PROOF_QUERY_INVALID,
                           f"Need 0 < first <= second <= {size} (the tree's size)")
        proof = paths.consistency(session, first, second)
        return {"first": first, "second": second,
                "first_head": checkpoints.at_size(session, first),
                "second_head": checkpoints.at_size(session, second),
                "proof": [p.hex() for p in proof]}


Find = Callable[[Session], dict[str, Any] | None]


async def proof(ledger: Ledger, find: Find, tree_size: int | None,
                gap_at: int | None = None) -> dict[str, Any]:
    """The inclusion proof of the leaf `find` finds, waiting on the event loop (bounded, no
    thread held) for the tree to take it in and for the signer's next head to cover it.

    `gap_at`: the position looked for; the tree passing it with no leaf there is a 404."""
    settings = get_settings()
    until = time.monotonic() + settings.read_wait_max_seconds
    admitted = False
    try:
        while True:
            leaf, reached, last = await run_in_threadpool(_look, ledger.eventlog, find)
            if leaf is None and gap_at is not None and reached >= gap_at:
                raise no_event(gap_at)  # a gap in the log: no event was stored there
            found = None if leaf is None else await run_in_threadpool(
                inclusion, ledger, leaf, tree_size)
            if found is not None:
                return found
            if (leaf is None and reached >= last) or time.monotonic() >= until:
                raise await run_in_threadpool(_not_yet, leaf, settings)
            if not admitted:
                admitted = places.take(settings.read_waiters_max)
                if not admitted:
                    raise too_many_waiters()
            if not await Watcher.of_running_loop().wait(_need(leaf, reached), until):
                raise await run_in_threadpool(_not_yet, leaf, settings)
    finally:
        if admitted:
            places.give_back()


def _need(leaf: dict[str, Any] | None, reached: int) -> Need:
    """What to wait for: the tree to move past `reached`, or a head covering the leaf."""
    if leaf is None:
        return lambda position, _: position > reached
    index = int(leaf["leaf_index"])
    return lambda _, head_size: head_size > index


def _look(log: EventLog, find: Find) -> tuple[dict[str, Any] | None, int, int]:
    """What `find` found (None: nothing), the tree's position and the store's last, both read
    just before it."""
    # The position is read before the find: the tree's leaves commit with its position, so a
    # find after the tree reached `last` sees every leaf up to there. Read after, a batch
    # committed in between would say "caught up" over a find that ran before it, and a leaf
    # there would be missed.
    last = log.last()
    reached = _tree_position()
    with read_scope() as session:
        return find(session), reached, last


def _not_yet(leaf: dict[str, Any] | None, settings: Settings) -> ApiError:
    if leaf is None:
        return ApiError(codes.LEAF_NOT_YET_IN_TREE,
                        "The event is not in the Merkle tree yet: ask again in a few seconds",
                        {"Retry-After": "1"})
    wait = math.ceil(checkpoints.next_due_in(settings))
    return ApiError(codes.PROOF_NOT_YET_SIGNED,
                    "No signed tree head covers this event yet: the signer's next one is due in "
                    f"about {wait} s",
                    {"Retry-After": str(wait)})


def booking_leaf(booking_id: UUID) -> Find:
    """How to find the leaf of the event that made the booking."""
    return lambda session: paths.booking_leaf(session, booking_id)


def position_leaf(log: EventLog, position: int) -> Find:
    """How to find the leaf of the event at `position`; 404 at once past the store's last."""
    if position > log.last():
        raise no_event(position)
    return lambda session: paths.leaf_at(session, position)


def no_event(position: int) -> NotFound:
    return event_not_found(message=f"No stored event at position {position}")


def _tree_position() -> int:
    return tracking.current_positions().get(tree.NAME, 0)
