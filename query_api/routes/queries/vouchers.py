"""An event's vouchers with what each sold, for its organizers and admins: a page at a time,
or every one as CSV (another organizer is told the event is not found)."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from commands.domain.errors import event_not_found
from core import error_codes as codes
from projections.availability import EventRow
from query_api.reads import vouchers
from query_api.reads.consistency import Read, ReadRoute, reading
from query_api.reads.pagination import Cursor, Limit
from query_api.routes.queries.common import csv_download, require_runs
from query_api.schemas.vouchers import VoucherPage
from query_api.service.deps import LedgerDep, OrganizerUser
from query_api.service.openapi import named

router = APIRouter(tags=["vouchers"], route_class=ReadRoute)
VoucherRead = Annotated[Read, reading("revenue", "availability")]
NOT_YOURS: dict[int | str, dict[str, Any]] = {404: {"description": named(codes.EVENT_NOT_FOUND)
                   + ": also an event the caller does not run"}}


@router.get("/events/{event_id}/vouchers", responses=NOT_YOURS)
def get_event_vouchers(event_id: UUID, user: OrganizerUser, read: VoucherRead,  # noqa: PLR0913
                       ledger: LedgerDep, limit: Limit = 50,
                       cursor: Cursor = None) -> VoucherPage:
    """The event's vouchers, the last made first, each with its terms and what it sold."""
    require_runs(ledger, user, event_id)
    if read.session.get(EventRow, event_id) is None:
        raise event_not_found(event_id)
    items, next_cursor = vouchers.voucher_page(read.session, event_id, limit=limit,
                                               cursor=cursor)
    return VoucherPage.model_validate({"items": items, "next_cursor": next_cursor,
                                       "position": read.position})


@router.get("/events/{event_id}/vouchers.csv", response_class=StreamingResponse, responses={
    200: {"content": {"text/csv": {}},
          "description": "a header line, then one line per voucher, the first made first; a "
                         "cell that would start a spreadsheet formula starts with an "
                         "apostrophe"},
    **NOT_YOURS})
def get_event_vouchers_csv(
    event_id: UUID, user: OrganizerUser, read: VoucherRead, ledger: LedgerDep,
    batch: Annotated[int | None, Query(ge=1, description=(
        "only the codes made together at this position (the `position` a batch's answer "
        "gave): a batch to hand out"))] = None,
) -> StreamingResponse:
    """Every voucher of the event (or of one batch) with what it sold, as a CSV download."""
    require_runs(ledger, user, event_id)
    if read.session.get(EventRow, event_id) is None:
        raise event_not_found(event_id)
    read.close(None)  # the stream reads in its own session, after this answer starts
    name = f"vouchers-{event_id}" + (f"-{batch}" if batch is not None else "")
    return csv_download(lambda session: vouchers.csv_lines(session, event_id, batch),
                        f"{name}.csv")
