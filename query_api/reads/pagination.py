"""Opaque keyset cursors: base64 of the last row's sort key."""

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Annotated, Any, TypeVar
from uuid import UUID

from fastapi import Query
from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute, Session

from core import error_codes as codes
from query_api.service.errors import ApiError

T = TypeVar("T")
Limit = Annotated[int, Query(ge=1, le=100, description="page size")]
Cursor = Annotated[
    str | None, Query(max_length=500, description="`next_cursor` of the previous page")
]


def encode(*key: datetime | UUID | str) -> str:
    parts = [k.isoformat() if isinstance(k, datetime) else str(k) for k in key]
    return base64.urlsafe_b64encode(json.dumps(parts).encode()).decode().rstrip("=")


def split_page(rows: Sequence[T], limit: int,
               key: Callable[[T], tuple[datetime | UUID | str, ...]]) -> tuple[list[T], str | None]:
    """The page of `rows` read as `limit + 1` (the one more tells that another page follows),
    and the cursor after its last row's sort `key`: None on the last page."""
    page = list(rows[:limit])
    return page, encode(*key(page[-1])) if len(rows) > limit else None


def rows_by_time(  # noqa: PLR0913 - the query, its sort key and the page asked
    session: Session, query: Select[tuple[T]], when: InstrumentedAttribute[Any],
    key: InstrumentedAttribute[Any], *, limit: int, cursor: str | None, newest_first: bool,
) -> tuple[list[T], str | None]:
    """A page of the rows `query` selects, ordered by (`when`, `key`), newest or oldest first,
    from the one after `cursor`; and the cursor after its last row (None on the last page)."""
    query = query.order_by(*((when.desc(), key.desc()) if newest_first else (when, key)))
    if cursor is not None:
        at, last = decode_time_id(cursor)
        past = (when < at, key < last) if newest_first else (when > at, key > last)
        query = query.where(or_(past[0], and_(when == at, past[1])))
    rows = list(session.scalars(query.limit(limit + 1)))
    return split_page(rows, limit, lambda row: (getattr(row, when.key), getattr(row, key.key)))


def _parts(cursor: str, size: int) -> list[str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        parts = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad_cursor() from None
    if (
        not isinstance(parts, list)
        or len(parts) != size
        or not all(isinstance(p, str) and p.isprintable() for p in parts)
    ):
        raise bad_cursor()
    return parts


def decode_time_id(cursor: str) -> tuple[datetime, UUID]:
    """A (time, id) cursor; anything else is a 422 INVALID_CURSOR."""
    when, key = _parts(cursor, 2)
    try:
        moment, ident = datetime.fromisoformat(when), UUID(key)
    except ValueError:
        raise bad_cursor() from None
    if moment.tzinfo is None:
        raise bad_cursor()
    return moment, ident


def decode_text_id(cursor: str) -> tuple[str, UUID]:
    """A (text, id) cursor; anything else is a 422 INVALID_CURSOR."""
    text, key = _parts(cursor, 2)
    try:
        return text, UUID(key)
    except ValueError:
        raise bad_cursor() from None


def decode_text(cursor: str) -> str:
    return _parts(cursor, 1)[0]


def decode_texts(cursor: str, size: int) -> list[str]:
    """A cursor of `size` texts (a name and a code); anything else is a 422 INVALID_CURSOR."""
    return _parts(cursor, size)


def bad_cursor() -> ApiError:
    return ApiError(codes.INVALID_CURSOR, "The cursor is not one this API gave out")
