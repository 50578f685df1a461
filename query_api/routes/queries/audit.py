"""Audit: an event's stored history, the event as it was, the global log, export, verify.

Everything here reads the event store itself, never the read tables, so it is exact whatever
the projection lag. Auditors and admins read; nobody changes anything. Ticket codes open doors,
so every answer here shows them as digests, "sha256:" + hex, for every reader: the hash chain
covers those digests, so exports still verify offline (`commands.domain.chain`).
"""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from commands.application.answers import redacted
from commands.audit import store, timetravel
from core import error_codes as codes
from projections import verify
from query_api.schemas.audit import EventState, HistoryPage, LogPage, VerifyReport
from query_api.schemas.common import MAX_POSITION, Moment
from query_api.service.deps import LedgerDep, StaffUser
from query_api.service.errors import ApiError
from query_api.service.openapi import described, named

router = APIRouter(prefix="/audit", tags=["audit"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": named(codes.EVENT_NOT_FOUND)}}
PageSize = Annotated[int, Query(ge=1, le=1000, description="page size")]


@router.get("/events/{event_id}/history", responses=NOT_FOUND)
def get_event_history(
    event_id: UUID,
    _: StaffUser,
    ledger: LedgerDep,
    after_version: Annotated[
        int, Query(ge=0, le=MAX_POSITION, description="`next_cursor` of the last page")
    ] = 0,
    limit: PageSize = 100,
) -> HistoryPage:
    """The event's stream in order: version, type, time, position, payload, chain, form."""
    store.require_event(ledger, event_id)
    page = store.stream_page(ledger, event_id, after_version, limit + 1)
    more = len(page) > limit
    items = page[:limit]
    return HistoryPage.model_validate(
        {"items": items, "next_cursor": items[-1]["version"] if more else None}
    )


@router.get(
    "/events/{event_id}/state",
    responses={404: {"description": named(codes.EVENT_NOT_FOUND, codes.EVENT_NOT_YET_CREATED)},
               422: {"description": described(codes.STATE_QUERY_INVALID,
                                              "give exactly one of at, version")}},
)
def get_event_state(  # noqa: PLR0913 - the moment and the page of bookings
    event_id: UUID,
    _: StaffUser,
    ledger: LedgerDep,
    at: Annotated[Moment | None, Query(description="a moment, with its zone")] = None,
    version: Annotated[
        int | None, Query(ge=1, le=MAX_POSITION, description="a stream version")
    ] = None,
    bookings_offset: Annotated[
        int, Query(ge=0, le=MAX_POSITION, description="`bookings_next_offset` of the last page")
    ] = 0,
    bookings_limit: Annotated[int, Query(ge=0, le=1000, description="bookings per page")] = 100,
) -> EventState:
    """The event and a page of its bookings as they were then (ticket codes as digests)."""
    if (at is None) == (version is None):
        raise ApiError(codes.STATE_QUERY_INVALID, "Give exactly one of `at` or `version`")
    store.require_event(ledger, event_id)
    state = timetravel.state_at(
        ledger, event_id, at=at, version=version,
        bookings_offset=bookings_offset, bookings_limit=bookings_limit,
    )
    return EventState.model_validate(state | {"bookings": [redacted(b) for b in state["bookings"]]})


@router.get("/log")
def get_audit_log(
    _: StaffUser,
    ledger: LedgerDep,
    after: Annotated[
        int, Query(ge=0, le=MAX_POSITION, description="`next_cursor` of the last page")
    ] = 0,
    limit: PageSize = 100,
) -> LogPage:
    """Every domain event in global order; gaps in positions are normal."""
    items = [
        r | {"aggregate_id": r["stream"], "aggregate_type": r["aggregate"]}
        for r in store.log_page(ledger, after, limit)
    ]
    cursor = items[-1]["position"] if items else after
    head = store.head(ledger)  # read after the page, so it is never behind the cursor
    return LogPage.model_validate({"items": items, "next_cursor": cursor, "head": head})


@router.get(
    "/events/{event_id}/export",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/x-ndjson": {}},
                     "description": "one stored event per line; check with tools/verify_export.py"},
               **NOT_FOUND},
)
def export_event(event_id: UUID, _: StaffUser, ledger: LedgerDep) -> StreamingResponse:
    """The event's stream as JSON lines, verifiable offline."""
    store.require_event(ledger, event_id)
    return StreamingResponse(
        store.export_lines(ledger, event_id),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": f'attachment; filename="event-{event_id}.jsonl"'},
    )


@router.get("/verify")
def verify_ledger(_: StaffUser, ledger: LedgerDep) -> VerifyReport:
    """Replay everything: chains intact, rules held everywhere, projections equal a replay."""
    return VerifyReport.model_validate(verify.verify_ledger(ledger))
