"""Reads of the "holds" read model: a user's holds (offers included) and places on waitlists."""

from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commands.domain.events import HOLD_ACTIVE
from commands.domain.lines import lines_of, list_total_of, total_of
from commands.domain.taxes import tax_summary
from projections.holds import WAITING, HoldRow, PlaceRow
from query_api.reads import pagination

HOLD_FIELDS = ("id", "event_id", "user_id", "category", "quantity", "unit_price", "status",
               "expires_at", "offer", "place_id", "booking_id", "position")
PLACE_FIELDS = ("id", "event_id", "user_id", "category", "quantity", "status", "joined_at",
                "hold_id", "position")


def hold_page(session: Session, *, user_id: UUID, limit: int,
              cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """A user's holds, offers included, newest first, keyset on (created_at, id)."""
    rows, next_cursor = pagination.rows_by_time(
        session, select(HoldRow).where(HoldRow.user_id == user_id), HoldRow.created_at,
        HoldRow.id, limit=limit, cursor=cursor, newest_first=True)
    return [{f: getattr(r, f) for f in HOLD_FIELDS} | priced(r) for r in rows], next_cursor


def priced(hold: HoldRow) -> dict[str, Any]:
    """An active hold's lines (one unless it spans several categories) and what they cost;
    None once it ended, as the write side answers."""
    if hold.status != HOLD_ACTIVE:
        return {"lines": None, "total": None}
    lines = lines_of(hold)
    return {"lines": lines, "total": total_of(lines), "list_total": list_total_of(lines),
            "taxes": tax_summary(lines), "voucher": hold.voucher}


def place_page(session: Session, *, user_id: UUID, limit: int,
               cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """A user's places on waitlists, newest first, each waiting one with its rank."""
    rows, next_cursor = pagination.rows_by_time(
        session, select(PlaceRow).where(PlaceRow.user_id == user_id), PlaceRow.joined_at,
        PlaceRow.id, limit=limit, cursor=cursor, newest_first=True)
    return [{f: getattr(r, f) for f in PLACE_FIELDS} | {"rank": rank(session, r)}
            for r in rows], next_cursor


def rank(session: Session, place: PlaceRow) -> int | None:
    """A waiting place's rank on its waitlist: 1 + the places of that waitlist that joined before it
    and still wait (the log's order). None once it no longer waits."""
    if place.status != WAITING:
        return None
    ahead = session.scalar(
        select(func.count()).select_from(PlaceRow)
        .where(PlaceRow.event_id == place.event_id, PlaceRow.category == place.category,
               PlaceRow.status == WAITING, PlaceRow.position < place.position))
    return int(ahead or 0) + 1
