"""Audit: an event's stored history, the event as it was, the global log, export, verify runs,
revenue.

The store's views read the event store itself, never the read tables, so they are exact
whatever the projection lag; revenue reads the read tables (`query_api/reads/revenue.py`).
Auditors and admins read; nothing here changes anything (a verify run is started by
`query_api.routes.commands.audit`).
Ticket codes open doors, so every answer here shows them as digests, "sha256:" + hex, for
every reader: the hash chain covers those digests, so exports still verify offline
(`commands.domain.chain`).
"""

import csv
import dataclasses
import io
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import StreamingResponse

from commands.application.views import redacted
from commands.audit import store, timetravel, verify_runs
from core import error_codes as codes
from projections.personal import opened
from query_api.reads import export_places, pagination, revenue
from query_api.reads.consistency import Read, ReadRoute, reading
from query_api.reads.pagination import Cursor, Limit
from query_api.schemas.audit import (
    EventKinds,
    EventState,
    HistoryPage,
    LogPage,
    RevenueReport,
    VerifyProblemPage,
    VerifyRunOut,
    VerifyRunPage,
)
from query_api.schemas.common import MAX_POSITION, Moment
from query_api.service.deps import LedgerDep, SessionDep, StaffUser
from query_api.service.errors import ApiError
from query_api.service.openapi import described, named

router = APIRouter(prefix="/audit", tags=["audit"], route_class=ReadRoute)
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
    items = [r | {"payload": opened(r["payload"])} for r in page[:limit]]
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


@router.get("/event-types")
def get_event_types(_: StaffUser) -> EventKinds:
    """Every kind of domain event the log may hold, with its label and webhook type: what the
    log's filter offers and the history's labels read."""
    return EventKinds.model_validate({"items": store.event_kinds()})


@router.get("/log", responses={422: {"description": f"{described(codes.UNKNOWN_EVENT_TYPE)}; "
                                                  f"{described(codes.PERIOD_INVALID)}"}})
def get_audit_log(  # noqa: PLR0913 - the page and its filters
    _: StaffUser,
    ledger: LedgerDep,
    after: Annotated[
        int, Query(ge=0, le=MAX_POSITION, description="`next_after` of the last page")
    ] = 0,
    limit: PageSize = 100,
    event_id: Annotated[UUID | None, Query(
        description="one stream: an event's (or a booking's own, by the booking's id)")] = None,
    type: Annotated[str | None, Query(  # noqa: A002 - the API's name for it
        max_length=100, description="a domain event's type, e.g. SeatsBooked")] = None,
    since: Annotated[Moment | None, Query(description="recorded at or after, with its zone")
                     ] = None,
    until: Annotated[Moment | None, Query(description="recorded at or before, with its zone")
                     ] = None,
) -> LogPage:
    """Every domain event in global order (of one stream, one type, a period); gaps in
    positions are normal. Resume with `after=next_after`; follow the log by asking again."""
    if type is not None and type not in store.event_types():
        raise ApiError(codes.UNKNOWN_EVENT_TYPE,
                       f"No domain event has the type {type!r}; known: "
                       f"{', '.join(sorted(store.event_types()))}")
    if since is not None and until is not None and since > until:
        raise ApiError(codes.PERIOD_INVALID, "`since` is after `until`")
    where = store.LogFilter(event_id, frozenset([type] if type else []), since, until)
    found, resume = store.log_search(ledger, after, limit, where)
    items = [r | {"aggregate_id": r["stream"], "aggregate_type": r["aggregate"],
                  "payload": opened(r["payload"])} for r in found]
    head = store.head(ledger)  # read after the page, so never behind what the page read
    # A cursor past the log's end (made up, or from another system) resumes at the end: resumed
    # where it was, it would skip every record written up to it.
    resume = min(resume, head)
    return LogPage.model_validate(
        {"items": items, "next_after": resume, "next_cursor": resume, "head": head})


@router.get(
    "/events/{event_id}/export",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/x-ndjson": {}},
                     "description": "one stored event per line; check with tools/verify_export.py"},
               **NOT_FOUND, **export_places.BOUNDED},
)
def export_event(event_id: UUID, user: StaffUser, ledger: LedgerDep) -> StreamingResponse:
    """The event's stream as JSON lines, verifiable offline (a few exports at once)."""
    store.require_event(ledger, event_id)
    return StreamingResponse(
        export_places.streamed(store.export_lines(ledger, event_id), str(user.id)),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": f'attachment; filename="event-{event_id}.jsonl"'},
    )


RUN_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": named(codes.VERIFY_RUN_NOT_FOUND)}}


@router.get("/verify-runs")
def get_verify_runs(
    _: StaffUser, session: SessionDep, limit: Limit = 20, cursor: Cursor = None
) -> VerifyRunPage:
    """The verify runs, latest first."""
    before = pagination.decode_time_id(cursor) if cursor is not None else None
    found = verify_runs.page(session, limit + 1, before)
    page = found[:limit]
    more = len(found) > limit
    return VerifyRunPage(items=[_run_out(r) for r in page], next_cursor=pagination.encode(
        page[-1].started_at, page[-1].id) if more else None)


@router.get("/verify-runs/{run_id}", responses=RUN_NOT_FOUND)
def get_verify_run(run_id: UUID, _: StaffUser) -> VerifyRunOut:
    """One run: its progress while it runs (`checked` of `total`), then its verdict and
    report."""
    run = verify_runs.get(run_id)
    if run is None:
        raise ApiError(codes.VERIFY_RUN_NOT_FOUND, f"No verify run {run_id}")
    return _run_out(run)


@router.get("/verify-runs/{run_id}/problems", responses=RUN_NOT_FOUND)
def get_verify_run_problems(
    run_id: UUID, _: StaffUser, session: SessionDep,
    offset: Annotated[int, Query(ge=0, le=verify_runs.MAX_STORED_PROBLEMS,
                                 description="problems to skip")] = 0,
    limit: Annotated[int, Query(ge=1, le=500, description="page size")] = 50,
) -> VerifyProblemPage:
    """A page of the problems the run found, in the order found."""
    if verify_runs.get(run_id) is None:
        raise ApiError(codes.VERIFY_RUN_NOT_FOUND, f"No verify run {run_id}")
    items, total = verify_runs.problems_page(session, run_id, offset, limit)
    return VerifyProblemPage.model_validate({"items": items, "total": total})


def _run_out(run: verify_runs.Run) -> VerifyRunOut:
    return VerifyRunOut.model_validate(dataclasses.asdict(run))


RevenueGroup = Annotated[
    revenue.Group, Query(description="a row per event, per organizer (and currency), or per "
                                     "currency")]
PERIOD: dict[int | str, dict[str, Any]] = {422: {"description": described(
    codes.PERIOD_INVALID, f"`to` is not after `from`, or they are over "
                          f"{revenue.MAX_PERIOD.days} days apart")}}


@dataclasses.dataclass(frozen=True)
class RevenueQuery:
    """A revenue report's period and filters, from the query string."""

    start: datetime
    end: datetime
    group: revenue.Group
    scope: revenue.Scope


def revenue_query(
    from_: Annotated[Moment | None, Query(
        alias="from", description="the period's start, included (default: `to` less "
                                  f"{revenue.MAX_PERIOD.days} days)")] = None,
    to: Annotated[Moment | None, Query(
        description="the period's end, excluded (default: now)")] = None,
    event_id: Annotated[UUID | None, Query(description="one event's bookings")] = None,
    organizer_id: Annotated[UUID | None, Query(
        description="the bookings of the events this user organizes now")] = None,
    group: RevenueGroup = "event",
) -> RevenueQuery:
    end = to if to is not None else datetime.now(UTC)
    try:
        start = from_ if from_ is not None else end - revenue.MAX_PERIOD
    except OverflowError:  # `to` within a year of the first moment there is
        raise ApiError(codes.PERIOD_INVALID, "`to` is too early: give `from`") from None
    if start >= end:
        raise ApiError(codes.PERIOD_INVALID, "`to` must be after `from`")
    if end - start > revenue.MAX_PERIOD:
        raise ApiError(codes.PERIOD_INVALID,
                       f"A period is at most {revenue.MAX_PERIOD.days} days long")
    return RevenueQuery(start, end, group, revenue.Scope(start, end, event_id, organizer_id))


RevenueParams = Annotated[RevenueQuery, Depends(revenue_query)]
RevenueRead = Annotated[Read, reading("bookings", "availability", "revenue")]


@router.get("/revenue", responses=PERIOD)
def get_revenue(
    _: StaffUser, asked: RevenueParams, read: RevenueRead,
    offset: Annotated[int, Query(ge=0, le=MAX_POSITION, description="rows to skip")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000, description="rows per page")] = 500,
) -> RevenueReport:
    """Revenue over a period, per event, per organizer or in total, each per currency (never
    summed across currencies), with the totals per currency and the sales per day.

    A booking counts when it was made (bookings, tickets sold, revenue); its cancellation
    when it was cancelled (cancellations, refunded).
    """
    found = revenue.rows(read.session, asked.scope, asked.group, offset, limit + 1)
    return RevenueReport.model_validate({
        "from": asked.start, "to": asked.end, "group": asked.group, "rows": found[:limit],
        "next_offset": offset + limit if len(found) > limit else None,
        "totals": revenue.totals(read.session, asked.scope),
        "series": revenue.series(read.session, asked.scope),
        "taxes": revenue.tax_totals(read.session, asked.scope)})


@router.get("/revenue/taxes.csv", response_class=Response, responses={
    200: {"content": {"text/csv": {}}, "description": "a header line, then one line per "
                                                      "currency, tax rule and rate"},
    **PERIOD})
def get_revenue_taxes_csv(_: StaffUser, asked: RevenueParams, read: RevenueRead) -> Response:
    """The period's sales and refunds per currency, tax rule and rate (net, tax, gross), over
    the UTC days that begin within it, as a CSV download for the accountant."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(
        revenue.tax_csv_lines(revenue.tax_totals(read.session, asked.scope)))
    name = f"revenue-taxes-{asked.start:%Y-%m-%d}-{asked.end:%Y-%m-%d}.csv"
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/revenue.csv", response_class=Response, responses={
    200: {"content": {"text/csv": {}}, "description": "a header line, then one line per row "
                                                      "of GET /api/audit/revenue (every row)"},
    **PERIOD})
def get_revenue_csv(_: StaffUser, asked: RevenueParams, read: RevenueRead) -> Response:
    """The revenue report's rows as a CSV download."""
    found = revenue.rows(read.session, asked.scope, asked.group)
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(revenue.csv_lines(found))
    name = f"revenue-{asked.start:%Y-%m-%d}-{asked.end:%Y-%m-%d}.csv"
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
