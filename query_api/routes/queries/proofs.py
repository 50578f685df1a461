"""Ledger proofs: signed tree heads, the public keys, inclusion and consistency proofs, and
the export the offline tool checks (`tools/verify_export.py`).

Heads, keys and consistency proofs are hashes and signatures only: anyone may read them. An
inclusion proof shows its event (ticket codes as digests): its booking's owner, admins and
auditors; by position, staff only.
"""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from commands.audit import store
from commands.errors import booking_not_found
from core.db import read_scope
from projections import checkpoints, merkle_export
from query_api.deps import CurrentUser, LedgerDep, SettingsDep, StaffUser
from query_api.errors import ApiError
from query_api.queries import proofs
from query_api.schemas.common import MAX_POSITION
from query_api.schemas.proofs import (
    ConsistencyProof,
    HeadPage,
    InclusionProof,
    PublicKeys,
    SignedHead,
)

router = APIRouter(prefix="/audit", tags=["proofs"])
Size = Annotated[int | None, Query(ge=1, le=MAX_POSITION, description="a signed head's tree size")]
NOT_SIGNED: dict[int | str, dict[str, Any]] = {
    404: {"description": "CHECKPOINT_NOT_FOUND"},
    409: {"description": "LEAF_NOT_YET_IN_TREE, LEAF_AFTER_HEAD, PROOF_NOT_YET_SIGNED"},
}


@router.get("/public-key")
def get_public_key(settings: SettingsDep) -> PublicKeys:
    """Every key that signed heads (PEM), when each was retired, and the one signing now."""
    with read_scope() as session:
        found = checkpoints.keys(session, settings)
    current = [k for k in found if k["retired_at"] is None]
    return PublicKeys.model_validate({"key_id": current[-1]["key_id"] if current else None,
                                      "keys": found})


@router.get("/checkpoints/latest", responses={404: {"description": "CHECKPOINT_NOT_FOUND"}})
def get_latest_checkpoint() -> SignedHead:
    """The latest signed tree head."""
    with read_scope() as session:
        head = checkpoints.latest(session)
    if head is None:
        raise ApiError(404, "CHECKPOINT_NOT_FOUND", "No tree head has been signed yet")
    return SignedHead.model_validate(head)


@router.get("/checkpoints")
def get_checkpoints(
    after_size: Annotated[int, Query(ge=0, le=MAX_POSITION, description="`next_cursor`")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> HeadPage:
    """Signed heads by tree size, oldest first."""
    with read_scope() as session:
        found = [h for h in checkpoints.all_heads(session) if h["tree_size"] > after_size]
    found.sort(key=lambda h: (h["tree_size"], h["timestamp"]))
    page = found[:limit]
    more = len(found) > limit
    return HeadPage.model_validate({"items": page,
                                    "next_cursor": page[-1]["tree_size"] if more else None})


@router.get("/proofs/bookings/{booking_id}", responses={**NOT_SIGNED,
            404: {"description": "BOOKING_NOT_FOUND, CHECKPOINT_NOT_FOUND"}})
def get_booking_proof(
    booking_id: UUID, user: CurrentUser, ledger: LedgerDep, settings: SettingsDep,
    tree_size: Size = None,
) -> InclusionProof:
    """The proof that the event which made this booking is in a signed head (default: the
    latest, signed now if none covers it yet)."""
    owner = ledger.booking_owner(booking_id)
    if user.role not in ("admin", "auditor") and owner != str(user.id):
        raise booking_not_found(booking_id)
    leaf = proofs.booking_leaf(ledger.eventlog, booking_id, settings.read_wait_max_seconds)
    return InclusionProof.model_validate(proofs.inclusion(ledger, settings, leaf, tree_size))


@router.get("/proofs/inclusion", responses={**NOT_SIGNED, 404: {
    "description": "EVENT_NOT_FOUND, CHECKPOINT_NOT_FOUND"}})
def get_inclusion_proof(
    position: Annotated[int, Query(ge=1, le=MAX_POSITION, description="an event's position")],
    _: StaffUser, ledger: LedgerDep, settings: SettingsDep, tree_size: Size = None,
) -> InclusionProof:
    """The proof that the stored event at `position` is in a signed head."""
    leaf = proofs.position_leaf(ledger.eventlog, position, settings.read_wait_max_seconds)
    return InclusionProof.model_validate(proofs.inclusion(ledger, settings, leaf, tree_size))


@router.get("/proofs/consistency", responses={
    404: {"description": "CHECKPOINT_NOT_FOUND"}, 422: {"description": "PROOF_QUERY_INVALID"}})
def get_consistency_proof(
    first: Annotated[int, Query(ge=1, le=MAX_POSITION, description="the older tree size")],
    second: Size = None,
) -> ConsistencyProof:
    """The proof that the tree of `second` leaves (default: the latest head's) only grew from
    the tree of `first`."""
    return ConsistencyProof.model_validate(proofs.consistency(first, second))


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/x-ndjson": {}},
                     "description": "events, then signed heads; check with "
                                    "tools/verify_export.py"},
               404: {"description": "EVENT_NOT_FOUND"}},
)
def export_proofs(
    _: StaffUser, ledger: LedgerDep,
    event_id: Annotated[UUID | None, Query(description="one event's stream (default: the "
                                                       "whole log)")] = None,
) -> StreamingResponse:
    """The log (or one stream, each event with its inclusion proof) and the signed heads."""
    if event_id is None:
        lines, name = merkle_export.log_lines(ledger.eventlog), "ledger-log.jsonl"
    else:
        store.require_event(ledger, event_id)
        lines, name = merkle_export.stream_lines(ledger, event_id), f"event-{event_id}-proofs.jsonl"
    return StreamingResponse(lines, media_type="application/x-ndjson",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})
