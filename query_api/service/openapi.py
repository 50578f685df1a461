"""The OpenAPI document states every error an operation can answer, each with the error body.

Routes declare their own business errors (`responses=`, a description naming codes of
`core.error_codes` through `named` and `described`); here every declared or implied error
status gets the `ErrorOut` schema, and the statuses any operation can meet are added: 401/403
behind a token, 400/413 with a body, 422 for bad input, 503 when the store cannot be reached.
"""

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from starlette.routing import BaseRoute

from core import error_codes as codes
from core.error_codes import ErrorCode
from query_api.service.deps import get_current_user, get_optional_user, require_roles


def named(*listed: ErrorCode) -> str:
    """Codes as an error response's description lists them: `A, B`."""
    return ", ".join(listed)


def described(code: ErrorCode, meaning: str | None = None, *, note: str = "") -> str:
    """`CODE (note): meaning`, the meaning the registry's unless this operation has its own."""
    head = f"{code} ({note})" if note else str(code)
    meaning = code.meaning if meaning is None else meaning
    return f"{head}: {meaning}" if meaning else head


# What a voucher given with a booking or a hold may be refused with.
VOUCHER_REFUSED_409 = named(codes.VOUCHER_NOT_YET_VALID, codes.VOUCHER_EXPIRED,
                            codes.VOUCHER_DISABLED, codes.VOUCHER_EXHAUSTED)
VOUCHER_REFUSED_422 = named(codes.VOUCHER_NOT_FOUND, codes.VOUCHER_WRONG_CATEGORY)

REF = "#/components/schemas/ErrorOut"
COMMON: dict[int, str] = {
    422: f"{named(codes.VALIDATION_ERROR, codes.MALFORMED_JSON, codes.INVALID_CURSOR)}...: "
         "the request is not valid",
    503: f"{named(codes.STORE_UNAVAILABLE, codes.EVENT_BUSY, codes.WRITE_CONFLICT)}: the store "
         "cannot be reached or stays contended; try again",
}
SIGNED_IN = {401: f"{named(codes.NOT_AUTHENTICATED, codes.INVALID_TOKEN, codes.TOKEN_EXPIRED)}, "
                  f"{named(codes.TOKEN_REVOKED)} (WWW-Authenticate: Bearer)"}
ROLES = {403: described(codes.FORBIDDEN)}
WAITS = {  # any operation taking `min_position` (query_api.reads.waits)
    400: described(codes.POSITION_BEYOND_HEAD),
    503: described(codes.TOO_MANY_WAITERS, note="Retry-After"),
}
WITH_BODY = {
    400: described(codes.BAD_REQUEST),
    413: described(codes.PAYLOAD_TOO_LARGE),
}


class ErrorDetail(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class TicketAtDoor(BaseModel):
    """A ticket as the door sees it."""

    code: str
    status: str = Field(description="active, used or cancelled")
    name: str | None = Field(description="its holder's name (the booking's)")
    category: str | None
    checked_in_at: datetime | None = Field(description="when it was checked in, if it is")


class ErrorOut(BaseModel):
    """Every error: a stable machine-readable code and a message for people."""

    code: str = Field(description=f"stable, machine-readable, e.g. {codes.SOLD_OUT}")
    message: str
    detail: list[ErrorDetail] | None = Field(
        default=None,
        description="where, what and why: each field a validation error names; or the part of "
                    "a command a rule refused, when it is one of several (an order's line: "
                    "loc `[\"body\", \"lines\", index]`, type the code)",
    )
    ticket: TicketAtDoor | None = Field(
        default=None,
        description=f"on {codes.TICKET_ALREADY_USED}: the ticket, whose it is and when it was "
                    "checked in, so that the door can tell a double scan from a copied ticket",
    )


def _api_routes(routes: Iterable[Any]) -> Iterator[APIRoute]:
    """Every API route, also inside included routers (FastAPI keeps those nested)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from _api_routes(route.original_router.routes)


def _calls(dependant: Dependant) -> list[Any]:
    found = [dependant.call]
    for sub in dependant.dependencies:
        found += _calls(sub)
    return found


def _query_names(dependant: Dependant) -> set[str]:
    found = {p.name for p in dependant.query_params}
    for sub in dependant.dependencies:
        found |= _query_names(sub)
    return found


def _extra_errors(route: APIRoute) -> dict[int, str]:
    calls = _calls(route.dependant)
    extra = dict(COMMON)
    if get_current_user in calls or get_optional_user in calls:  # a bad token: 401 either way
        extra |= SIGNED_IN
    if any(getattr(call, "__qualname__", "").startswith(require_roles.__name__) for call in calls):
        extra |= ROLES
    if route.body_field is not None:
        extra |= WITH_BODY
    if "min_position" in _query_names(route.dependant):
        for status, text in WAITS.items():
            extra[status] = f"{extra[status]}; {text}" if status in extra else text
    return extra


def _error_content() -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": REF}}}


def document(app: FastAPI, routes: Sequence[BaseRoute] | None = None) -> dict[str, Any]:
    """The app's OpenAPI document with every error response declared: its routes, or these in
    their order (the app may match its own in another)."""
    if app.openapi_schema:
        return app.openapi_schema
    spec = get_openapi(
        title=app.title, version=app.version, summary=app.summary,
        routes=app.routes if routes is None else routes,
    )
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorOut"] = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(schemas["ErrorOut"].pop("$defs", {}))
    by_name = {route.name: route for route in _api_routes(app.routes)}
    for methods in spec["paths"].values():
        for operation in methods.values():
            route = by_name[operation["operationId"]]
            extra = _extra_errors(route)
            responses: dict[str, Any] = operation["responses"]
            for status, description in extra.items():
                responses.setdefault(str(status), {"description": description})
            for code, response in responses.items():
                if code == "422":  # our body, not FastAPI's HTTPValidationError
                    own = route.responses.get(422, {}).get("description")  # the route's codes
                    text = f"{own}; {COMMON[422]}" if own else COMMON[422]
                    response.update(description=text, content=_error_content())
                elif code.startswith(("4", "5")) and "content" not in response:
                    response["content"] = _error_content()
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    app.openapi_schema = spec
    return spec


def install(app: FastAPI, routes: Sequence[BaseRoute] | None = None) -> None:
    """Serve `document(app, routes)` at /openapi.json (and to the SDK generator)."""
    app.openapi = lambda: document(app, routes)  # type: ignore[method-assign]  # FastAPI's documented hook
