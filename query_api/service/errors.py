"""Every error answers `{code, message, detail?}` (and what a refusal found, where it says:
a ticket already checked in); nothing internal leaks."""

import logging
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import InterfaceError as StoreInterfaceError
from eventsourcing.persistence import OperationalError as StoreOperationalError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic_core import to_jsonable_python
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException

from commands.domain.errors import DomainError
from core import error_codes as codes
from core.db import unreachable
from core.error_codes import ErrorCode
from core.personal import Personal
from core.personal_data.vault import personal_data

log = logging.getLogger(__name__)
# The code of a refusal by the framework itself (routing, content negotiation), by status.
HTTP_CODES: dict[int, ErrorCode] = {code.status: code for code in (
    codes.BAD_REQUEST, codes.NOT_AUTHENTICATED, codes.FORBIDDEN, codes.NOT_FOUND,
    codes.METHOD_NOT_ALLOWED, codes.NOT_ACCEPTABLE, codes.PAYLOAD_TOO_LARGE,
    codes.UNSUPPORTED_MEDIA_TYPE, codes.TOO_MANY_REQUESTS)}
BEARER = {"WWW-Authenticate": "Bearer"}


class ApiError(Exception):
    """An HTTP-level refusal with a stable code (auth, bad cursor, unknown projection...);
    its status is the code's."""

    def __init__(
        self, code: ErrorCode, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = code.status, code, message, headers


def unauthorized(code: ErrorCode, message: str) -> ApiError:
    """A 401: the credentials (a token, a password) cannot be used; with the challenge
    (`WWW-Authenticate: Bearer`) a 401 must carry."""
    return ApiError(code, message, BEARER)


def store_unavailable(headers: dict[str, str] | None = None) -> ApiError:
    """503 STORE_UNAVAILABLE: a read found the database out of reach."""
    return ApiError(codes.STORE_UNAVAILABLE, "The database cannot be reached; try again", headers)


def error_body(code: str, message: str, detail: Sequence[Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if detail is not None:
        body["detail"] = list(detail)
    return body


def _reply(status: int, code: str, message: str, **kw: Any) -> JSONResponse:
    detail = kw.pop("detail", None)
    facts = kw.pop("facts", None) or {}
    # Times as every answer's: serialized as pydantic does (UTC as `Z`).
    body = {**to_jsonable_python(_opened(facts)), **error_body(code, message, detail)}
    return JSONResponse(body, status_code=status, **kw)


def _opened(value: Any) -> Any:
    """A refusal's facts with the names in them opened (a ticket's holder at the door)."""
    if isinstance(value, Personal):
        return personal_data().open(value)
    if isinstance(value, dict):
        return {k: _opened(v) for k, v in value.items()}
    return [_opened(v) for v in value] if isinstance(value, list) else value


def _refuse(code: ErrorCode, message: str, **kw: Any) -> JSONResponse:
    return _reply(code.status, code, message, **kw)


async def _domain(_: Request, exc: DomainError) -> JSONResponse:
    # The part refused, where the validation errors' `detail` says it: a path into the body.
    detail = None
    if exc.where:
        detail = [{"loc": ["body", *exc.where], "msg": exc.message, "type": exc.code}]
    return _refuse(exc.code, exc.message, detail=detail, facts=exc.facts)


async def _api(_: Request, exc: ApiError) -> JSONResponse:
    return _reply(exc.status, exc.code, exc.message, headers=exc.headers)


async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
    # Only where, what and why: echoing `input` could send a password back.
    detail = [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors()
    ]
    if any(d["type"] == "json_invalid" for d in detail):
        return _refuse(codes.MALFORMED_JSON, "The request body is not valid JSON", detail=detail)
    return _refuse(codes.VALIDATION_ERROR, "The request is not valid", detail=detail)


async def _http(_: Request, exc: HTTPException) -> JSONResponse:
    code: str = HTTP_CODES.get(exc.status_code, f"HTTP_{exc.status_code}")
    headers = dict(exc.headers or {})
    if exc.status_code == 401:
        headers.setdefault("WWW-Authenticate", "Bearer")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ").capitalize()
    return _reply(exc.status_code, code, message, headers=headers or None)


async def _store_down(request: Request, exc: Exception) -> JSONResponse:
    log.warning("store unavailable: %s", type(exc).__name__)
    return await _api(request, store_unavailable())


async def _database(request: Request, exc: DBAPIError) -> JSONResponse:
    if unreachable(exc):
        return await _store_down(request, exc)
    return await _internal(request, exc)


async def _internal(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return _refuse(codes.INTERNAL_ERROR, "Something went wrong on our side")


HANDLERS: list[tuple[type[Exception], Any]] = [
    (DomainError, _domain),
    (ApiError, _api),
    (RequestValidationError, _validation),
    (HTTPException, _http),
    (DBAPIError, _database),
    (StoreOperationalError, _store_down),
    (StoreInterfaceError, _store_down),
    (Exception, _internal),
]


def install_error_handlers(app: FastAPI) -> None:
    """Map every failure to a status and a stable code."""
    for exc_type, handler in HANDLERS:
        app.add_exception_handler(exc_type, handler)
