"""Invoices: an organizer's seller's details, a buyer's invoice asked for, the invoices issued
(each an EN 16931 e-invoice: a PDF/A-3 with its XML inside)."""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from query_api.schemas.common import Input, Money, MultiLine, Name, SingleLine

Address = Annotated[str, Field(min_length=1, max_length=500,
                               examples=["Torstraße 1\n10119 Berlin"]), MultiLine]
Country = Annotated[str, Field(min_length=2, max_length=2, examples=["DE"],
                               description="ISO 3166-1 alpha-2")]
VatId = Annotated[str, Field(max_length=40, examples=["DE136695976"],
                             description="checked against its country's rules "
                                         "(python-stdnum); kept in its compact form"),
                  SingleLine]
InvoiceKind = Literal["invoice", "cancellation"]


class SellerIn(Input):
    """Who sells: named on every invoice issued from now on (those issued keep theirs)."""

    name: Name
    address: Address
    country: Country
    vat_id: VatId | None = None
    email: Annotated[str, Field(max_length=320), SingleLine] | None = None
    prefix: str = Field(max_length=16, pattern=r"^[A-Za-z0-9][A-Za-z0-9/_.-]*$",
                        examples=["JAZZ-"],
                        description="what each invoice number starts with: JAZZ-00001")


class SellerOut(BaseModel):
    organizer_id: UUID
    name: str
    address: str
    country: str
    vat_id: str | None
    email: str | None
    prefix: str
    invoices_issued: int = Field(description="the last number issued (0: none yet)")
    position: int | None = None


class PublicSellerOut(BaseModel):
    """Whether an organizer issues invoices, and under which name: what a checkout shows."""

    organizer_id: UUID
    name: str
    country: str


class BuyerIn(Input):
    """Who the invoice is made out to."""

    name: Name = Field(description="the person")
    company: Name | None = None
    address: Address
    country: Country
    vat_id: VatId | None = None


class InvoiceSummary(BaseModel):
    id: UUID
    number: str
    issued_at: datetime
    currency: str
    totals: dict[str, str]


class InvoiceRequestOut(BaseModel):
    """A booking's invoice as asked: `requested` until its booking is paid, then `issued`
    with its invoice in force."""

    booking_id: UUID
    status: Literal["requested", "issued"]
    invoice: InvoiceSummary | None
    position: int | None = None


class InvoiceOut(BaseModel):
    """An invoice or a cancellation (a credit note) as issued: its amounts are positive, its
    `kind` says which; a cancellation names the invoice it `cancels`."""

    id: UUID
    number: str
    kind: InvoiceKind
    cancels: str | None
    booking_id: UUID
    event_id: UUID
    event_name: str
    buyer: str = Field(description="the company, else the person")
    issued_at: datetime
    currency: str
    net: Money
    tax: Money
    gross: Money
    pdf: str = Field(description="where its PDF is: `GET` it with the same credentials")


class BookingInvoicesOut(BaseModel):
    """A booking's invoices and cancellations in the order issued, and whether one was asked
    for (`requested`: true while it waits for the booking's payment, with no items yet)."""

    requested: bool
    items: list[InvoiceOut]


class InvoicePage(BaseModel):
    items: list[InvoiceOut]
    next_cursor: str | None
    position: int | None = None
