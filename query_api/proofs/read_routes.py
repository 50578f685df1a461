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
from starlette.concurrency import run_in_threadpool

from commands.audit import store
from commands.domain.errors import booking_not_found
from core import error_codes as codes
from core.db import read_scope
from projections.proofs import checkpoints, export, signing_keys
from query_api.proofs import reads
from query_api.proofs.schemas import (
    ConsistencyProof,
    HeadPage,
    InclusionProof,
    PublicKeys,
    SignedHead,
)
from query_api.reads import export_places
from query_api.schemas.common import MAX_POSITION
from query_api.service.deps import CurrentUser, LedgerDep, SettingsDep, StaffUser
from query_api.service.openapi import named

router = APIRouter(prefix="/audit", tags=["proofs"])
Size = Annotated[int | None, Query(ge=1, le=MAX_POSITION, description="a signed head's tree size")]
NOT_SIGNED: dict[int | str, dict[str, Any]] = {
    404: {"description": named(codes.CHECKPOINT_NOT_FOUND)},
    409: {"description": named(codes.LEAF_NOT_YET_IN_TREE, codes.LEAF_AFTER_HEAD,
                               codes.PROOF_NOT_YET_SIGNED)
                         + " (Retry-After: when the signer's next head is due)"},
}


@router.get("/public-key")
def get_public_key(settings: SettingsDep) -> PublicKeys:
    """The public keys heads are verified with (from the configuration, never from the
    database), when each was retired, and the one signing now."""
    with read_scope() as session:
        first = checkpoints.first_used(session)
    found = [k | {"first_used_at": first.get(k["key_id"])}
             for k in signing_keys.published(settings)]
    return PublicKeys.model_validate({"key_id": signing_keys.current_key_id(settings),
                                      "keys": found})


@router.get("/checkpoints/latest",
            responses={404: {"description": named(codes.CHECKPOINT_NOT_FOUND)}})
def get_latest_checkpoint() -> SignedHead:
    """The latest signed tree head."""
    with read_scope() as session:
        head = checkpoints.latest(session)
    if head is None:
        raise reads.no_head()
    return SignedHead.model_validate(head)


@router.get("/checkpoints")
def get_checkpoints(
    after_size: Annotated[int, Query(ge=0, le=MAX_POSITION, description="`next_cursor`")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> HeadPage:
    """Signed heads by tree size, oldest first."""
    with read_scope() as session:
        found = checkpoints.page(session, after_size, limit + 1)
    page = found[:limit]
    more = len(found) > limit
    return HeadPage.model_validate({"items": page,
                                    "next_cursor": page[-1]["tree_size"] if more else None})


@router.get("/proofs/bookings/{booking_id}", responses={**NOT_SIGNED,
            404: {"description": named(codes.BOOKING_NOT_FOUND, codes.CHECKPOINT_NOT_FOUND)}})
async def get_booking_proof(
    booking_id: UUID, user: CurrentUser, ledger: LedgerDep, tree_size: Size = None,
) -> InclusionProof:
    """The proof that the event which made this booking is in a signed head (default: the
    latest; waits, bounded, for the signer's next head if none covers it yet)."""
    owner = await run_in_threadpool(ledger.booking_owner, booking_id)
    if user.role not in ("admin", "auditor") and owner != str(user.id):
        raise booking_not_found(booking_id)
    found = await reads.proof(ledger, reads.booking_leaf(booking_id), tree_size)
    return InclusionProof.model_validate(found)


@router.get("/proofs/inclusion", responses={**NOT_SIGNED, 404: {
    "description": named(codes.EVENT_NOT_FOUND, codes.CHECKPOINT_NOT_FOUND)}})
async def get_inclusion_proof(
    position: Annotated[int, Query(ge=1, le=MAX_POSITION, description="an event's position")],
    _: StaffUser, ledger: LedgerDep, tree_size: Size = None,
) -> InclusionProof:
    """The proof that the stored event at `position` is in a signed head."""
    find = await run_in_threadpool(reads.position_leaf, ledger.eventlog, position)
    found = await reads.proof(ledger, find, tree_size, gap_at=position)
    return InclusionProof.model_validate(found)


@router.get("/proofs/consistency", responses={
    404: {"description": named(codes.CHECKPOINT_NOT_FOUND)},
    422: {"description": named(codes.PROOF_QUERY_INVALID)}})
def get_consistency_proof(
    first: Annotated[int, Query(ge=1, le=MAX_POSITION, description="the older tree size")],
    second: Size = None,
) -> ConsistencyProof:
    """The proof that the tree of `second` leaves (default: the latest head's) only grew from
    the tree of `first`."""
    return ConsistencyProof.model_validate(reads.consistency(first, second))


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/x-ndjson": {}},
                     "description": "events, then signed heads; check with "
                                    "tools/verify_export.py"},
               404: {"description": named(codes.EVENT_NOT_FOUND)}, **export_places.BOUNDED},
)
def export_proofs(
    user: StaffUser, ledger: LedgerDep,
    event_id: Annotated[UUID | None, Query(description="one event's stream (default: the "
                                                       "whole log)")] = None,
) -> StreamingResponse:
    """The log (or one stream, each event with its inclusion proof) and the signed heads (a
    few exports at once)."""
    if event_id is None:
        lines, name = export.log_lines(ledger.eventlog), "ledger-log.jsonl"
    else:
        store.require_event(ledger, event_id)
        lines, name = export.stream_lines(ledger, event_id), f"event-{event_id}-proofs.jsonl"
    return StreamingResponse(export_places.streamed(lines, str(user.id)),
                             media_type="application/x-ndjson",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})
