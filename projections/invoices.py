"""Read model "invoices": each organizer's seller's details, the invoices buyers asked for,
and every invoice issued, as its book recorded it.

Read by `query_api/reads/invoices.py` (a booking's invoices for its buyer, an organizer's for
their accountant, a document as a PDF) and by the invoices' process manager
(`workers/invoices/process.py`), which finds there the bookings with an invoice asked.
Every row is keyed by its book (`commands.domain.invoices.book_of`, one per organizer), but
the erased buyers whose invoice details are forgotten (`InvoiceDetailsForgotten`, on their
erasure's stream): their invoices' buyer reads "erased" from then on
(`projections.erasure.forget_buyer`), and the invoices' retention job
(`workers/invoice_retention.py`) finds here whom it has forgotten already.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import Uuid

from commands.domain.chain import plain
from commands.domain.invoices import CANCELLATION, InvoiceBook, invoice_id
from core.models import Base, Money, UTCDateTime
from projections.erasure import INVOICE_DETAILS_FORGOTTEN, forget_buyer, person_of
from projections.model import ReadModel, table_of
from projections.personal import buyer_of
from projections.unit_of_work import Batch

REQUESTED, ISSUED, CANCELLED = "requested", "issued", "cancelled"


class SellerRow(Base):
    __tablename__ = "invoice_sellers"
    __table_args__ = (Index("ix_invoice_sellers_organizer_id", "organizer_id", unique=True),)
    book_id: Mapped[UUID] = mapped_column(primary_key=True)
    organizer_id: Mapped[UUID] = mapped_column(Uuid)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(500))
    country: Mapped[str] = mapped_column(String(2))
    vat_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    prefix: Mapped[str] = mapped_column(String(16))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RequestRow(Base):
    """A booking's invoice asked for, and where it stands: `requested` (not paid yet),
    `issued` (an invoice in force), `cancelled` (cancelled with the booking)."""

    __tablename__ = "invoice_requests"
    booking_id: Mapped[UUID] = mapped_column(primary_key=True)
    book_id: Mapped[UUID] = mapped_column(Uuid)
    event_id: Mapped[UUID] = mapped_column(Uuid)
    user_id: Mapped[UUID] = mapped_column(Uuid)
    status: Mapped[str] = mapped_column(String(16))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    position: Mapped[int] = mapped_column(BigInteger)


class InvoiceRow(Base):
    """An invoice or a cancellation as issued: its figures for lists and exports, and the whole
    document (`InvoiceBook.InvoiceIssued`'s fields) its PDF is drawn from."""

    __tablename__ = "invoices"
    __table_args__ = (
        Index("ix_invoices_book_id_seq", "book_id", "seq", unique=True),
        Index("ix_invoices_booking_id", "booking_id"),
        Index("ix_invoices_event_id", "event_id"),
    )
    id: Mapped[UUID] = mapped_column(primary_key=True)
    book_id: Mapped[UUID] = mapped_column(Uuid)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(24))
    kind: Mapped[str] = mapped_column(String(16))
    cancels: Mapped[str | None] = mapped_column(String(24), nullable=True)
    booking_id: Mapped[UUID] = mapped_column(Uuid)
    event_id: Mapped[UUID] = mapped_column(Uuid)
    user_id: Mapped[UUID] = mapped_column(Uuid)
    buyer: Mapped[str] = mapped_column(String(200))  # the company, else the person
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    currency: Mapped[str] = mapped_column(String(3))
    net: Mapped[Decimal] = mapped_column(Money)
    tax: Mapped[Decimal] = mapped_column(Money)
    gross: Mapped[Decimal] = mapped_column(Money)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(BigInteger)


class ForgottenBuyerRow(Base):
    """An erased buyer whose invoice details are forgotten, their invoices past retention."""

    __tablename__ = "invoice_buyers_forgotten"
    person_id: Mapped[UUID] = mapped_column(primary_key=True)
    forgotten_at: Mapped[datetime] = mapped_column(UTCDateTime)
    position: Mapped[int] = mapped_column(BigInteger)


def fold(b: Batch, e: Any, position: int) -> None:
    """One domain event of a book (or an erased buyer's details forgotten) into the batch's
    rows."""
    if isinstance(e, INVOICE_DETAILS_FORGOTTEN):
        forgotten(b, e, position)
        return
    book_id = e.originator_id
    if isinstance(e, InvoiceBook.Opened):
        b["invoice_sellers"].insert({"book_id": book_id, "organizer_id": UUID(e.organizer_id),
                                     **_seller(e.seller), "changed_at": e.opened_at})
    elif isinstance(e, InvoiceBook.SellerChanged):
        b["invoice_sellers"].set((book_id,), {**_seller(e.seller), "changed_at": e.changed_at})
    elif isinstance(e, InvoiceBook.InvoiceRequested):
        b["invoice_requests"].insert({
            "booking_id": e.booking_id, "book_id": book_id, "event_id": e.event_id,
            "user_id": UUID(e.user_id), "status": REQUESTED, "requested_at": e.requested_at,
            "position": position})
    elif isinstance(e, InvoiceBook.InvoiceIssued):
        buyer = buyer_of(e.buyer)
        document = document_of(e) | {"buyer": plain(buyer)}
        b["invoices"].insert({
            "id": invoice_id(book_id, e.seq), "book_id": book_id, "seq": e.seq,
            "number": e.number, "kind": e.kind,
            "cancels": (e.cancels or {}).get("number"), "booking_id": e.booking_id,
            "event_id": e.event_id, "user_id": UUID(e.user_id),
            "buyer": buyer.get("company") or buyer["name"], "issued_at": e.issued_at,
            "currency": e.currency, **{k: Decimal(e.totals[k]) for k in ("net", "tax", "gross")},
            "document": document, "position": position})
        b["invoice_requests"].set((e.booking_id,), {
            "status": CANCELLED if e.kind == CANCELLATION else ISSUED})


def forgotten(b: Batch, e: Any, position: int) -> None:
    """The person's invoices name them no more; they are listed as forgotten."""
    person = person_of(e)
    if person is None:  # not an account's id: no invoice names them
        return
    b["invoice_buyers_forgotten"].insert({"person_id": person, "forgotten_at": e.forgotten_at,
                                          "position": position})
    forget_buyer(b, person, "invoices")


def _seller(seller: dict[str, Any]) -> dict[str, Any]:
    return {key: seller.get(key) for key in ("name", "address", "country", "vat_id", "email",
                                             "prefix")}


def document_of(e: Any) -> dict[str, Any]:
    """An issued invoice as its document says it (`workers.invoices.document`), in JSON."""
    fields = ("seq", "number", "kind", "booking_id", "event_id", "cancels", "issued_at",
              "currency", "seller", "buyer", "order", "lines", "taxes", "totals", "paid")
    found: dict[str, Any] = plain({name: getattr(e, name) for name in fields})
    found["id"] = str(invoice_id(e.originator_id, e.seq))
    return found


MODEL = ReadModel(
    "invoices",
    (table_of(SellerRow), table_of(RequestRow), table_of(InvoiceRow),
     table_of(ForgottenBuyerRow)), fold,
    frozenset({InvoiceBook.Opened, InvoiceBook.SellerChanged, InvoiceBook.InvoiceRequested,
               InvoiceBook.InvoiceIssued, INVOICE_DETAILS_FORGOTTEN}))
