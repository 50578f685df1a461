"""Operations: rebuilding a projection (admins)."""

from fastapi import APIRouter, BackgroundTasks

from core import error_codes as codes
from projections import catch_up
from projections.rebuild_state import RebuildRunning, claim, fail
from projections.status import status
from query_api.schemas import ProjectionStatus
from query_api.service.deps import AdminUser, LedgerDep, SettingsDep
from query_api.service.errors import ApiError
from query_api.service.openapi import named
from workers import tasks

router = APIRouter(tags=["operations"])


@router.post(
    "/projections/{name}/rebuild",
    status_code=202,
    responses={404: {"description": named(codes.PROJECTION_NOT_FOUND)},
               409: {"description": named(codes.REBUILD_IN_PROGRESS)},
               503: {"description": named(codes.BROKER_UNAVAILABLE)}},
)
def rebuild_projection(
    name: str, _: AdminUser, ledger: LedgerDep, settings: SettingsDep, later: BackgroundTasks
) -> ProjectionStatus:
    """Start rebuilding a projection into fresh tables; the old ones serve reads until the swap."""
    if name not in catch_up.PROJECTIONS:
        raise ApiError(codes.PROJECTION_NOT_FOUND,
                       f"No projection {name!r}; known: {', '.join(catch_up.PROJECTIONS)}")
    try:
        run_id = claim([name], ledger.eventlog.last())
    except RebuildRunning as exc:
        raise ApiError(codes.REBUILD_IN_PROGRESS, str(exc)) from None
    if settings.is_eager:  # embedded mode: after the response, in this process
        later.add_task(tasks.rebuild_projection.apply, (name, run_id))
    else:
        try:
            tasks.rebuild_projection.apply_async((name, run_id))
        except Exception as exc:
            fail([name], run_id, exc)
            raise ApiError(codes.BROKER_UNAVAILABLE, "Could not queue the rebuild") from None
    found = status(ledger.eventlog)
    return next(ProjectionStatus.model_validate(s) for s in found if s["name"] == name)
