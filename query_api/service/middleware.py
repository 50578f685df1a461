"""Pure ASGI middleware: security headers on every response, the server's time to the
millisecond on every response, a cap on request body size."""

import json
import time
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core import error_codes as codes
from query_api.service.errors import error_body

# JSON answers load nothing and may be framed by nobody.
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# Swagger UI (/docs) and ReDoc (/redoc) load their scripts and styles from jsDelivr, run an
# inline script, show FastAPI's favicon; ReDoc adds Google's fonts and a worker from a blob.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src 'self' data: https://fonts.gstatic.com; worker-src 'self' blob:; "
    "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.jsdelivr.net; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
# Anything else is the served web UI: its own origin only.
UI_CSP = (
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
COMMON = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def ui_csp(payment_origins: tuple[str, ...] = ()) -> str:
    """The web UI's policy; with a payment provider, its Stripe.js may load, draw its card field
    in its frames, and call its API (Stripe's documented origins, or localstripe's one)."""
    if not payment_origins:
        return UI_CSP
    others = " ".join(payment_origins)
    return (f"default-src 'self'; script-src 'self' {others}; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data:; connect-src 'self' {others}; frame-src {others}; "
            "frame-ancestors 'none'; base-uri 'self'; object-src 'none'")


def csp_for(path: str, ui: str = UI_CSP) -> str:
    if path.startswith(("/api/", "/openapi.json", "/metrics")) or path == "/api":
        return API_CSP
    if path.startswith(("/docs", "/redoc")):
        return DOCS_CSP
    return ui


class SecurityHeaders:
    """Add the security headers (and Cache-Control: no-store on API answers) to responses.

    Over https (the connection's, or X-Forwarded-Proto from a trusted proxy: see edge.py)
    also Strict-Transport-Security, so browsers keep to https; never over plain http, where
    an attacker in the middle could strip or forge it anyway.
    """

    def __init__(self, app: ASGIApp, hsts_seconds: int = 0,
                 payment_origins: tuple[str, ...] = ()) -> None:
        self.app = app
        self.hsts = f"max-age={hsts_seconds}; includeSubDomains" if hsts_seconds else None
        self.ui = ui_csp(payment_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        csp = csp_for(path, self.ui)
        hsts = self.hsts if scope.get("scheme") == "https" else None

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in COMMON.items():
                    headers.setdefault(name, value)
                headers.setdefault("Content-Security-Policy", csp)
                if hsts:
                    headers.setdefault("Strict-Transport-Security", hsts)
                if path.startswith("/api/"):
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


SERVER_TIME_HEADER = "X-Server-Time"


class ServerTime:
    """Stamp each answer with the server's clock, in milliseconds since the epoch, as it starts.

    The web UI counts a hold's expiry down by the server's clock. The `Date` header names only a
    whole second, and uvicorn rewrites it on its event loop's tick: a busy server sends one
    seconds old, which told the UI a clock seconds behind the true one (a ten-minute hold read
    10:01). This one is taken when the answer leaves.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_time(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), (
                    b"x-server-time", str(time.time_ns() // 1_000_000).encode())]
            await send(message)

        await self.app(scope, receive, send_with_time)


class BodyTooLarge(HTTPException):
    """The request body went past the limit while it was being read (FastAPI lets it through)."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(codes.PAYLOAD_TOO_LARGE.status,
                         f"The request body is larger than {max_bytes} bytes")


class BodySizeLimit:
    """Refuse request bodies over `max_bytes` with 413 PAYLOAD_TOO_LARGE, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(error_body(
            codes.PAYLOAD_TOO_LARGE, f"The request body is larger than {self.max_bytes} bytes"
        )).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": codes.PAYLOAD_TOO_LARGE.status,
                    "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def install(app: Any, max_body_bytes: int, hsts_seconds: int = 0,
            payment_origins: tuple[str, ...] = ()) -> None:
    """Outermost first: headers go on every answer, the 413 included."""
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    app.add_middleware(ServerTime)
    app.add_middleware(SecurityHeaders, hsts_seconds=hsts_seconds, payment_origins=payment_origins)
