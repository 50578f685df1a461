"""An event's vouchers as its organizers read them: each one's terms and what it sold, newest
first, a page at a time or every one as CSV (`projections/revenue.py`'s `vouchers` table)."""

from collections.abc import Iterator
from typing import Any
from uuid import UUID

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from projections.availability import VoucherReserveRow
from projections.revenue import VoucherRow
from query_api.reads.pagination import decode_texts, split_page
from query_api.reads.revenue import FORMULA_STARTS

CSV_HEADER = ("code", "discount", "value", "max_uses", "redeemed", "bookings", "revenue",
              "discounts", "valid_from", "valid_until", "categories", "label", "disabled",
              "created_at")
EXPORT_BATCH = 1000


def _view(row: VoucherRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name in CSV_HEADER}


def voucher_page(session: Session, event_id: UUID, *, limit: int,
                 cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """A page of the event's vouchers, the last made first (a batch by code)."""
    query = select(VoucherRow).where(VoucherRow.event_id == event_id).order_by(
        VoucherRow.position.desc(), VoucherRow.code)
    if cursor is not None:
        position, code = decode_texts(cursor, 2)
        at = int(position) if position.isdigit() else -1
        query = query.where(or_(VoucherRow.position < at,
                                and_(VoucherRow.position == at, VoucherRow.code > code)))
    rows = list(session.scalars(query.limit(limit + 1)))
    page, next_cursor = split_page(rows, limit, lambda row: (str(row.position), row.code))
    reserving = set(session.scalars(select(VoucherReserveRow.code).where(
        VoucherReserveRow.event_id == event_id,
        VoucherReserveRow.code.in_([row.code for row in page]))))
    return [_view(row) | {"reserve": row.code in reserving} for row in page], next_cursor


def csv_lines(session: Session, event_id: UUID,
              batch: int | None = None) -> Iterator[list[str]]:
    """The header, then every voucher of the event (or of the batch made at position `batch`)
    as text cells, safe to open in a spreadsheet (a label that would start a formula is kept
    as text)."""
    yield list(CSV_HEADER)
    query = select(VoucherRow).where(VoucherRow.event_id == event_id).order_by(
        VoucherRow.position, VoucherRow.code)
    if batch is not None:
        query = query.where(VoucherRow.position == batch)
    for row in session.scalars(query.execution_options(yield_per=EXPORT_BATCH)):
        v = _view(row)
        yield [v["code"], v["discount"], f"{v['value']:.2f}", str(v["max_uses"]),
               str(v["redeemed"]), str(v["bookings"]), f"{v['revenue']:.2f}",
               f"{v['discounts']:.2f}", _time(v["valid_from"]), _time(v["valid_until"]),
               _text("; ".join(v["categories"] or ())), _text(v["label"] or ""),
               "yes" if v["disabled"] else "no", _time(v["created_at"])]


def _text(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _time(at: Any) -> str:
    return "" if at is None else at.isoformat()
