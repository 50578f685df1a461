"""Invoices as their readers read them (`projections/invoices.py`): a booking's, for its buyer
and its event's organizers; an event's or an organizer's, a page at a time or as the
accountant's CSV; one invoice's document, whose PDF is drawn from it."""

from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from projections.invoices import InvoiceRow, RequestRow, SellerRow
from query_api.reads.pagination import decode_texts, split_page
from query_api.reads.revenue import FORMULA_STARTS

CSV_HEADER = ("number", "kind", "cancels", "issued_at", "booking", "event", "buyer",
              "buyer_vat_id", "buyer_country", "currency", "net", "tax", "gross", "taxes")
EXPORT_BATCH = 1000


def view(row: InvoiceRow) -> dict[str, Any]:
    return {"id": row.id, "number": row.number, "kind": row.kind, "cancels": row.cancels,
            "booking_id": row.booking_id, "event_id": row.event_id,
            "event_name": row.document["order"]["event_name"], "buyer": row.buyer,
            "issued_at": row.issued_at, "currency": row.currency, "net": row.net,
            "tax": row.tax, "gross": row.gross, "pdf": f"/api/invoices/{row.id}/pdf"}


def of_booking(session: Session, booking_id: UUID) -> list[dict[str, Any]]:
    """The booking's invoices and cancellations, in the order issued."""
    query = select(InvoiceRow).where(InvoiceRow.booking_id == booking_id).order_by(
        InvoiceRow.issued_at, InvoiceRow.seq)
    return [view(row) for row in session.scalars(query)]


def asked_for(session: Session, booking_id: UUID) -> bool:
    return session.get(RequestRow, booking_id) is not None


def seller(session: Session, organizer_id: UUID) -> SellerRow | None:
    return session.scalars(select(SellerRow).where(
        SellerRow.organizer_id == organizer_id)).one_or_none()


def found(session: Session, invoice_id: UUID) -> InvoiceRow | None:
    return session.get(InvoiceRow, invoice_id)


def _of(book_id: UUID | None, event_id: UUID | None) -> Select[tuple[InvoiceRow]]:
    query = select(InvoiceRow)
    if book_id is not None:
        query = query.where(InvoiceRow.book_id == book_id)
    if event_id is not None:
        query = query.where(InvoiceRow.event_id == event_id)
    return query


def page(session: Session, *, book_id: UUID | None = None, event_id: UUID | None = None,
         limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """A page of a book's (or an event's) invoices, the last issued first."""
    query = _of(book_id, event_id).order_by(InvoiceRow.position.desc(), InvoiceRow.id)
    if cursor is not None:
        position, last = decode_texts(cursor, 2)
        at = int(position) if position.isdigit() else -1
        query = query.where(or_(InvoiceRow.position < at,
                                and_(InvoiceRow.position == at, InvoiceRow.id > UUID(last))))
    rows = list(session.scalars(query.limit(limit + 1)))
    items, next_cursor = split_page(rows, limit, lambda row: (str(row.position), str(row.id)))
    return [view(row) for row in items], next_cursor


def csv_lines(session: Session, *, book_id: UUID | None = None,
              event_id: UUID | None = None) -> Iterator[list[str]]:
    """The header, then each invoice and cancellation in the order issued, with its taxes per
    rate; a cancellation's amounts negative, so that a column's sum is what stands. Safe to
    open in a spreadsheet (a name that would start a formula is kept as text)."""
    yield list(CSV_HEADER)
    query = _of(book_id, event_id).order_by(InvoiceRow.position, InvoiceRow.seq)
    for row in session.scalars(query.execution_options(yield_per=EXPORT_BATCH)):
        sign = Decimal(-1) if row.kind == "cancellation" else Decimal(1)
        document = row.document
        buyer = document["buyer"]
        taxes = "; ".join(f"{t['name'] or 'no tax'} {t['rate']}%: {sign * Decimal(t['tax'])}"
                          for t in document["taxes"])
        yield [row.number, row.kind, row.cancels or "", row.issued_at.isoformat(),
               document["order"]["reference"], _text(document["order"]["event_name"]),
               _text(row.buyer), buyer.get("vat_id") or "", buyer["country"], row.currency,
               str(sign * row.net), str(sign * row.tax), str(sign * row.gross), _text(taxes)]


def _text(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell
