"""Operations: projection status, the health check, Prometheus metrics."""

import logging
from typing import Annotated, Any

import redis
from fastapi import APIRouter, Query, Response
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from commands.ledger import Ledger
from core import error_codes as codes
from core import metrics
from core.db import get_engine
from core.settings import Settings
from projections import catch_up
from projections.status import status
from query_api.reads import waits
from query_api.reads.consistency import MinPosition
from query_api.reads.replicas import read_replicas
from query_api.schemas import HealthOut, ProjectionStatus, ReplicaHealth
from query_api.service.deps import LedgerDep, SettingsDep, StaffUser
from query_api.service.errors import ApiError
from query_api.service.write_side import get_ledger

log = logging.getLogger(__name__)
router = APIRouter(tags=["operations"])
metrics_router = APIRouter()  # served at /metrics, outside /api and the OpenAPI document
ALIVE = b'{"status":"ok"}'


@router.get("/projections")
async def get_projections(
    _: StaffUser, ledger: LedgerDep, min_position: MinPosition = None
) -> list[ProjectionStatus]:
    """Each projection's position, the store's head, lag, last error and rebuild progress."""
    await waits.wait_for(min_position, catch_up.PROJECTIONS)
    return await run_in_threadpool(_statuses, ledger)


def _statuses(ledger: Ledger) -> list[ProjectionStatus]:
    return [ProjectionStatus.model_validate(s) for s in status(ledger.eventlog)]


@router.get("/health", response_model=HealthOut,
            responses={503: {"model": HealthOut, "description": "the database is down"}})
async def get_health(
    response: Response,
    settings: SettingsDep,
    min_position: MinPosition = None,
    checks: Annotated[bool, Query(include_in_schema=False)] = True,
) -> HealthOut | Response:
    """Database, broker and projection lag (degraded past HEALTH_MAX_LAG_EVENTS)."""
    if not checks:  # `?checks=false`: a liveness probe, and the benchmark's HTTP ceiling
        # On the event loop, no thread hop: the least an answer of this app can cost.
        return Response(ALIVE, media_type="application/json")
    try:
        await waits.wait_for(min_position, catch_up.PROJECTIONS)
    except ApiError as exc:
        if exc.code == codes.POSITION_BEYOND_HEAD:
            raise
        # TOO_MANY_WAITERS, STORE_UNAVAILABLE: a probe reports at once what it finds.
    except Exception:  # the database is down: the checks below say so
        log.debug("health: could not wait for min_position", exc_info=True)
    return await run_in_threadpool(_health, response, settings)


def _health(response: Response, settings: Settings) -> HealthOut:
    database = _database_ok()
    broker = "eager" if settings.is_eager else ("ok" if _broker_ok(settings) else "down")
    lags: dict[str, int] = {}
    positions: dict[str, int] = {}
    if database:
        try:
            for projection in status(get_ledger().eventlog):
                lags[projection["name"]] = projection["lag_events"]
                positions[projection["name"]] = projection["position"]
        except Exception:
            database = False
    if not database:
        response.status_code = 503
    lagging = any(lag > settings.health_max_lag_events for lag in lags.values())
    ok = database and broker != "down" and not lagging
    return HealthOut(
        status="ok" if ok else "degraded",
        database="ok" if database else "down",
        broker=broker,
        projections=lags,
        max_lag_events=settings.health_max_lag_events,
        replicas=_replicas(positions),
    )


def _replicas(primary: dict[str, int]) -> list[ReplicaHealth]:
    """Each read replica as a check finds it now; its lag in events against the primary's
    projections (those it serves reads of)."""
    replicas = read_replicas()
    if replicas is None:
        return []
    replicas.check_all()
    return [ReplicaHealth(
        name=r.name, status="ok" if r.up else "down",
        lag_seconds=r.lag_seconds if r.up else None,
        lag_events=max((max(0, at - r.positions.get(name, 0)) for name, at in primary.items()
                        if name in r.positions), default=0) if r.up else None,
    ) for r in replicas.replicas]


@metrics_router.get("/metrics", include_in_schema=False)
def get_metrics(ledger: LedgerDep) -> Response:
    """Prometheus text exposition; projection lag is read fresh for each scrape."""
    try:
        status(ledger.eventlog)  # sets the lag gauges
    except Exception:  # a scrape still answers the other metrics when the store is down
        log.warning("could not read projection lag for /metrics", exc_info=True)
    return Response(metrics.exposition(), media_type=metrics.CONTENT_TYPE)


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
