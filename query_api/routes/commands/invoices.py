"""Invoices: an organizer's seller's details set; a buyer's invoice asked for a booking, or at
checkout for the hold being paid for."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from core import error_codes as codes
from query_api.reads.consistency import stamp_write
from query_api.routes.commands.common import actor
from query_api.schemas.invoices import BuyerIn, InvoiceRequestOut, SellerIn, SellerOut
from query_api.service.deps import CurrentUser, LedgerDep, OrganizerUser
from query_api.service.openapi import described, named

router = APIRouter(tags=["invoices"])
ASKED: dict[int | str, dict[str, Any]] = {
    409: {"description": described(codes.INVOICES_NOT_OFFERED)},
    422: {"description": described(codes.INVALID_BUYER, note="`where` names the field")
                         + "; or VALIDATION_ERROR"}}


@router.put("/organizers/me/seller", responses={
    422: {"description": described(codes.INVALID_SELLER, note="`where` names the field")
                         + "; or VALIDATION_ERROR"}})
def set_seller(body: SellerIn, user: OrganizerUser, ledger: LedgerDep,
               response: Response) -> SellerOut:
    """Your seller's details, named on every invoice issued for your events from now on
    (those issued keep the details they were issued with). Setting them is what lets your
    buyers ask for invoices. The VAT ID is checked against its country's rules."""
    outcome = ledger.set_seller(str(user.id), body.model_dump())
    stamp_write(response, outcome.position)
    return SellerOut.model_validate(outcome.view | {"position": outcome.position})


@router.post("/bookings/{booking_id}/invoice", responses={
    404: {"description": named(codes.BOOKING_NOT_FOUND) + ": also another buyer's"}, **ASKED})
def request_invoice(booking_id: UUID, body: BuyerIn, user: CurrentUser, ledger: LedgerDep,
                    response: Response) -> InvoiceRequestOut:
    """An invoice of your booking, made out to the details given: issued at once when the
    booking is paid (or free), else as soon as it is, and e-mailed to you. Asked again, the
    first request and its invoice stand (`GET /api/bookings/{id}/invoices` lists them)."""
    outcome = ledger.request_invoice(booking_id, body.model_dump(), actor(user))
    stamp_write(response, outcome.position)
    return InvoiceRequestOut.model_validate(outcome.view | {"position": outcome.position})


@router.post("/holds/{hold_id}/invoice", responses={
    404: {"description": named(codes.HOLD_NOT_FOUND) + ": also another buyer's"}, **ASKED})
def request_invoice_for_hold(hold_id: UUID, body: BuyerIn, user: CurrentUser,
                             ledger: LedgerDep, response: Response) -> InvoiceRequestOut:
    """At checkout: an invoice of the booking this hold becomes, issued once it is paid."""
    outcome = ledger.request_invoice_for_hold(hold_id, body.model_dump(), actor(user))
    stamp_write(response, outcome.position)
    return InvoiceRequestOut.model_validate(outcome.view | {"position": outcome.position})
