"""Invoices as their readers see them: an organizer's seller's details (their own, and whether
another issues invoices at all), a booking's invoices, an event's or an organizer's for the
accountant (a page, or every one as CSV), and one invoice's PDF (an EN 16931 e-invoice,
Factur-X: a PDF/A-3 with its XML inside)."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from fastapi.responses import StreamingResponse

from commands.domain.errors import NotFound, booking_not_found
from commands.domain.invoices import book_of
from commands.ledger import Ledger
from core import error_codes as codes
from query_api.auth.user_loader import Caller
from query_api.reads import invoices
from query_api.reads.consistency import Read, ReadRoute, reading
from query_api.reads.pagination import Cursor, Limit
from query_api.routes.queries.common import csv_download, require_runs
from query_api.schemas.invoices import (
    BookingInvoicesOut,
    InvoiceOut,
    InvoicePage,
    PublicSellerOut,
    SellerOut,
)
from query_api.service.deps import CurrentUser, EventReader, LedgerDep, OrganizerUser
from query_api.service.openapi import named
from workers.invoices.document import invoice_pdf

router = APIRouter(tags=["invoices"], route_class=ReadRoute)
InvoicesRead = Annotated[Read, reading("invoices")]
CSV: dict[int | str, dict[str, Any]] = {200: {
    "content": {"text/csv": {}},
    "description": "a header line, then one line per invoice or cancellation in the order "
                   "issued, a cancellation's amounts negative; a cell that would start a "
                   "spreadsheet formula starts with an apostrophe"}}
NO_SELLER: dict[int | str, dict[str, Any]] = {404: {"description": named(
    codes.SELLER_NOT_FOUND)}}
NOT_YOURS: dict[int | str, dict[str, Any]] = {404: {"description": named(codes.EVENT_NOT_FOUND)
                                                    + ": also an event the caller does not run"}}


def seller_not_found() -> NotFound:
    return NotFound("No seller's details are set", code=codes.SELLER_NOT_FOUND)


@router.get("/organizers/me/seller", responses=NO_SELLER)
def get_my_seller(user: OrganizerUser, ledger: LedgerDep) -> SellerOut:
    """Your seller's details as your invoices name them, with the last number issued."""
    found = ledger.seller(str(user.id))
    if found is None:
        raise seller_not_found()
    return SellerOut.model_validate(found)


@router.get("/organizers/{user_id}/seller", responses=NO_SELLER,
            openapi_extra={"security": [{}]})
def get_seller(user_id: UUID, read: InvoicesRead) -> PublicSellerOut:
    """Whether an organizer issues invoices, and under which name (public, as their invoices
    are to their buyers): a checkout offers an invoice when they do."""
    found = invoices.seller(read.session, user_id)
    if found is None:
        raise seller_not_found()
    return PublicSellerOut(organizer_id=found.organizer_id, name=found.name,
                           country=found.country)


def _may_read_booking(user: Caller, owner: str, event_id: UUID, ledger: Ledger) -> bool:
    return (user.reads_every_event or owner == str(user.id)
            or (user.role == "organizer" and ledger.runs(event_id, str(user.id))))


@router.get("/bookings/{booking_id}/invoices", responses={
    404: {"description": named(codes.BOOKING_NOT_FOUND) + ": also another buyer's"}})
def get_booking_invoices(booking_id: UUID, user: CurrentUser, read: InvoicesRead,
                         ledger: LedgerDep) -> BookingInvoicesOut:
    """The booking's invoices and cancellations, in the order issued, and whether one was asked
    for (its buyer, its event's organizers, admins, auditors). Asked for and not paid yet:
    `requested` with no items."""
    booking = ledger.booking(booking_id)
    if not _may_read_booking(user, str(booking["user_id"]), booking["event_id"], ledger):
        raise booking_not_found(booking_id)
    return BookingInvoicesOut(
        requested=invoices.asked_for(read.session, booking_id),
        items=[InvoiceOut.model_validate(row) for row in invoices.of_booking(read.session,
                                                                             booking_id)])


@router.get("/invoices/{invoice_id}/pdf", response_class=Response, responses={
    200: {"content": {"application/pdf": {}},
          "description": "the invoice as a PDF/A-3 with its EN 16931 XML (factur-x.xml) "
                         "inside"},
    404: {"description": named(codes.INVOICE_NOT_FOUND) + ": also another buyer's"}})
def get_invoice_pdf(invoice_id: UUID, user: CurrentUser, read: InvoicesRead,
                    ledger: LedgerDep) -> Response:
    """An invoice's PDF, for its buyer, its seller, its event's organizers, admins and
    auditors, in the caller's language (`PUT /api/users/me/language`). The same invoice
    always draws the same document in one language."""
    row = invoices.found(read.session, invoice_id)
    if row is None or not (
            _may_read_booking(user, str(row.user_id), row.event_id, ledger)
            or row.book_id == book_of(str(user.id))):
        raise NotFound(f"Invoice {invoice_id} not found", code=codes.INVOICE_NOT_FOUND)
    document, number = row.document, row.number
    read.close()
    return Response(invoice_pdf(document, user.language), media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="invoice-{number}.pdf"'})


@router.get("/organizers/me/invoices")
def get_my_invoices(user: OrganizerUser, read: InvoicesRead, limit: Limit = 50,
                    cursor: Cursor = None,
                    event_id: Annotated[UUID | None, Query(description="of one event")] = None,
                    ) -> InvoicePage:
    """The invoices and cancellations you issued, the last first."""
    items, next_cursor = invoices.page(read.session, book_id=book_of(str(user.id)),
                                       event_id=event_id, limit=limit, cursor=cursor)
    return InvoicePage.model_validate({"items": items, "next_cursor": next_cursor,
                                       "position": read.position})


@router.get("/organizers/me/invoices.csv", response_class=StreamingResponse, responses=CSV)
def get_my_invoices_csv(user: OrganizerUser, read: InvoicesRead) -> StreamingResponse:
    """Every invoice and cancellation you issued, for your accountant."""
    book_id = book_of(str(user.id))
    read.close(None)  # the stream reads in its own session, after this answer starts
    return csv_download(lambda session: invoices.csv_lines(session, book_id=book_id),
                        "invoices.csv")


@router.get("/events/{event_id}/invoices", responses=NOT_YOURS)
def get_event_invoices(event_id: UUID, user: EventReader, read: InvoicesRead,  # noqa: PLR0913
                       ledger: LedgerDep, limit: Limit = 50,
                       cursor: Cursor = None) -> InvoicePage:
    """The event's invoices and cancellations, the last first: its box office's list."""
    _require_reads(user, ledger, event_id)
    items, next_cursor = invoices.page(read.session, event_id=event_id, limit=limit,
                                       cursor=cursor)
    return InvoicePage.model_validate({"items": items, "next_cursor": next_cursor,
                                       "position": read.position})


@router.get("/events/{event_id}/invoices.csv", response_class=StreamingResponse,
            responses={**CSV, **NOT_YOURS})
def get_event_invoices_csv(event_id: UUID, user: EventReader, read: InvoicesRead,
                           ledger: LedgerDep) -> StreamingResponse:
    """Every invoice and cancellation of the event, for the accountant."""
    _require_reads(user, ledger, event_id)
    read.close(None)
    return csv_download(lambda session: invoices.csv_lines(session, event_id=event_id),
                        f"invoices-{event_id}.csv")


def _require_reads(user: Caller, ledger: Ledger, event_id: UUID) -> None:
    """Admins and auditors read every event's; another organizer is told it is not found."""
    if not user.reads_every_event:
        require_runs(ledger, user, event_id)
