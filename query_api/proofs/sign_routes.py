"""Ledger proofs: an admin asks the signer for a tree head now."""

import asyncio
import time
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from core import error_codes as codes
from core.db import read_scope
from projections.proofs import checkpoints, tree
from query_api.proofs.schemas import SignedHead
from query_api.service.deps import AdminUser, SettingsDep
from query_api.service.errors import ApiError
from query_api.service.openapi import described
from workers.proofs import request_head

router = APIRouter(prefix="/audit", tags=["proofs"])
POLL_SECONDS = 0.2


@router.post("/checkpoints", status_code=201,
             responses={503: {"description": described(codes.SIGNER_UNAVAILABLE,
                                                       note="Retry-After")}})
async def create_checkpoint(_: AdminUser, settings: SettingsDep) -> SignedHead:
    """Have the signer sign the tree as it stands now; answer with the head that covers it.

    The API holds no private key: a worker signs (the embedded process, itself), and this
    waits, bounded and holding no thread, for its head."""
    size = await run_in_threadpool(_tree_size)
    await run_in_threadpool(request_head)
    deadline = time.monotonic() + max(settings.read_wait_max_seconds, 5.0)
    while True:
        head = await run_in_threadpool(_latest)
        if head is not None and int(head["tree_size"]) >= size:
            return SignedHead.model_validate(head)
        if time.monotonic() >= deadline:
            raise ApiError(codes.SIGNER_UNAVAILABLE, "No worker signed the head in time: "
                           "the signer is busy or down; try again", {"Retry-After": "5"})
        await asyncio.sleep(POLL_SECONDS)


def _tree_size() -> int:
    with read_scope() as session:
        return tree.size(session)


def _latest() -> dict[str, Any] | None:
    with read_scope() as session:
        return checkpoints.latest(session)
