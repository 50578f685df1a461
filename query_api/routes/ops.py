"""Operations: projection status and rebuilds, and the health check."""

from typing import Any

import redis
from fastapi import APIRouter, Response
from sqlalchemy import text

from core.db import get_engine
from core.settings import Settings, get_settings
from projections import runner
from query_api.consistency import MinPosition
from query_api.deps import AdminUser, LedgerDep, SettingsDep, StaffUser, get_ledger
from query_api.errors import ApiError
from query_api.schemas import HealthOut, ProjectionStatus

router = APIRouter(tags=["operations"])


@router.get("/projections")
def get_projections(
    _: StaffUser, ledger: LedgerDep, min_position: MinPosition = None
) -> list[ProjectionStatus]:
    """Each projection's position, the store's head, and the lag between them."""
    if min_position is not None:
        runner.wait_for(min_position, timeout=get_settings().read_wait_max_seconds)
    return [ProjectionStatus.model_validate(s) for s in runner.status(ledger)]


@router.post(
    "/projections/{name}/rebuild", responses={404: {"description": "PROJECTION_NOT_FOUND"}}
)
def rebuild_projection(name: str, _: AdminUser, ledger: LedgerDep) -> ProjectionStatus:
    """Empty a projection's tables and replay the whole store into them."""
    if name not in runner.PROJECTIONS:
        raise ApiError(
            404,
            "PROJECTION_NOT_FOUND",
            f"No projection {name!r}; known: {', '.join(runner.PROJECTIONS)}",
        )
    runner.rebuild(name, ledger)
    return next(
        ProjectionStatus.model_validate(s) for s in runner.status(ledger) if s["name"] == name
    )


@router.get("/health", responses={503: {"description": "the database is down"}})
def get_health(
    response: Response, settings: SettingsDep, min_position: MinPosition = None
) -> HealthOut:
    """Database, broker and projection lag."""
    database = _database_ok()
    if database and min_position is not None:
        runner.wait_for(min_position, timeout=settings.read_wait_max_seconds)
    broker = "eager" if settings.is_eager else ("ok" if _broker_ok(settings) else "down")
    lags: dict[str, int] = {}
    if database:
        try:
            lags = {s["name"]: s["lag_events"] for s in runner.status(get_ledger())}
        except Exception:
            database = False
    if not database:
        response.status_code = 503
    ok = database and broker != "down"
    return HealthOut(
        status="ok" if ok else "degraded",
        database="ok" if database else "down",
        broker=broker,
        projections=lags,
    )


def _database_ok() -> bool:
    try:
        with get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:
        return False
    return True


def _broker_ok(settings: Settings) -> bool:
    client: Any = redis.Redis.from_url(
        str(settings.celery_broker_url), socket_connect_timeout=1, socket_timeout=1
    )
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()
