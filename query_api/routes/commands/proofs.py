"""Ledger proofs: signing a tree head now (admins)."""

from fastapi import APIRouter

from core import checkpoint_key
from projections import checkpoints
from query_api.deps import AdminUser, SettingsDep
from query_api.errors import ApiError
from query_api.schemas.proofs import SignedHead

router = APIRouter(prefix="/audit", tags=["proofs"])


@router.post("/checkpoints", status_code=201,
             responses={503: {"description": "CHECKPOINT_KEY_MISSING"}})
def create_checkpoint(_: AdminUser, settings: SettingsDep) -> SignedHead:
    """Sign the tree as it stands now and answer with the new head."""
    try:
        return SignedHead.model_validate(checkpoints.sign(settings))
    except checkpoint_key.KeyMissing as exc:
        raise ApiError(503, "CHECKPOINT_KEY_MISSING", str(exc)) from None
