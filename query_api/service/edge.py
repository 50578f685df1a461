"""The app's edge: API docs and /metrics per environment, client addresses behind proxies."""

import hmac
import logging
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from core import error_codes as codes
from core.settings import Settings
from query_api.service.errors import unauthorized

log = logging.getLogger(__name__)


def docs_served(settings: Settings) -> bool:
    """/docs, /redoc and /openapi.json: API_DOCS=on|off, or auto (on unless production)."""
    if settings.api_docs == "auto":
        return settings.environment != "production"
    return settings.api_docs == "on"


def metrics_served(settings: Settings) -> bool:
    """METRICS=on|off, or auto: on unless production, where only behind METRICS_TOKEN."""
    if settings.metrics == "auto":
        return settings.environment != "production" or bool(settings.metrics_token)
    return settings.metrics == "on"


def metrics_guard(settings: Settings) -> list[Any]:
    """The dependencies of GET /metrics: a bearer token when METRICS_TOKEN is set."""
    if not settings.metrics_token:
        if settings.environment == "production":
            log.warning("/metrics is served without METRICS_TOKEN: anyone may scrape it")
        return []
    expected = f"Bearer {settings.metrics_token}".encode()

    async def require_metrics_token(
        authorization: Annotated[str, Header(include_in_schema=False)] = "",
    ) -> None:
        if not hmac.compare_digest(authorization.encode(), expected):
            raise unauthorized(codes.INVALID_METRICS_TOKEN,
                               "GET /metrics needs Authorization: Bearer <METRICS_TOKEN>")

    return [Depends(require_metrics_token)]


def trust_proxies(app: FastAPI, trusted: list[str]) -> None:
    """Take the client address (and scheme) from X-Forwarded-* only when a trusted proxy sent it.

    Added last, so it is the outermost middleware: every layer and route then reads the real
    client in `request.client.host` and `https` in the scheme. Without TRUSTED_PROXIES the
    headers are ignored and the client is the connection's peer. The settings checked the
    list: addresses and networks only, never "*" or networks that cover every address.
    """
    if trusted:
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=trusted)
