"""Read model "holds": every checkout hold (offers to a waitlist's places included) and every
place on a waitlist, with what became of each.

Read by `query_api/reads/holds.py` (a user's holds and places, an event's line) and by the
schedulers: `workers/holds.py` finds the holds due to expire through its
(status, expires_at) index. A hold ends confirmed (with its booking), released, expired, or
closed with its event; a place ends offered (then served when its offer is confirmed, passed
when not), left, or closed with its event.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import BigInteger, Boolean, Index, Integer, String, update
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import Uuid

from commands.domain.event import Event
from commands.domain.events import (
    EVENT_STARTED,
    HOLD_ACTIVE,
    HOLD_CONFIRMED,
    HOLD_EXPIRED,
    HOLD_RELEASED,
)
from core.models import Base, Money, OrderLines, UTCDateTime
from projections.erasure import PERSON_ERASED, forget
from projections.model import ReadModel, table_of
from projections.personal import name_of
from projections.unit_of_work import Batch

CLOSED = "closed"  # a hold or place its event's start, cancellation or completion ended
WAITING, OFFERED, SERVED, PASSED, LEFT = "waiting", "offered", "served", "passed", "left"


class HoldRow(Base):
    __tablename__ = "holds"
    __table_args__ = (
        Index("ix_holds_status_expires_at", "status", "expires_at"),  # the expiry's due list
        Index("ix_holds_user_id_created_at", "user_id", "created_at"),
        Index("ix_holds_event_id", "event_id"),
    )
    id: Mapped[UUID] = mapped_column(primary_key=True)
    event_id: Mapped[UUID] = mapped_column(Uuid)
    user_id: Mapped[UUID] = mapped_column(Uuid)
    user_name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(100))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Money)
    status: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    offer: Mapped[bool] = mapped_column(Boolean, default=False)  # made to a place in line
    place_id: Mapped[UUID | None] = mapped_column(Uuid, nullable=True)
    booking_id: Mapped[UUID | None] = mapped_column(Uuid, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    position: Mapped[int] = mapped_column(BigInteger)
    # Across categories, its `SeatsHeld`'s lines (`commands.domain.lines`): `category` and
    # `unit_price` are then the first line's, `quantity` all lines'. Null for one category.
    lines: Mapped[list[dict[str, Any]] | None] = mapped_column(OrderLines, nullable=True)
    voucher: Mapped[str | None] = mapped_column(String(40), nullable=True)  # held with it


class PlaceRow(Base):
    """A place in a category's waiting line; the line's order is the log's (`position`)."""

    __tablename__ = "waitlist_places"
    __table_args__ = (
        Index("ix_waitlist_places_event_id_category_position", "event_id", "category",
              "position"),
        Index("ix_waitlist_places_user_id_joined_at", "user_id", "joined_at"),
    )
    id: Mapped[UUID] = mapped_column(primary_key=True)
    event_id: Mapped[UUID] = mapped_column(Uuid)
    user_id: Mapped[UUID] = mapped_column(Uuid)
    user_name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(100))
    quantity: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    hold_id: Mapped[UUID | None] = mapped_column(Uuid, nullable=True)  # the offer made to it
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    position: Mapped[int] = mapped_column(BigInteger)


# How a hold ends; a confirmation is a SeatsBooked naming its hold (HoldConfirmed: as
# recorded before).
_ENDS = {Event.HoldConfirmed: HOLD_CONFIRMED, Event.HoldReleased: HOLD_RELEASED,
         Event.HoldExpired: HOLD_EXPIRED}
_CLOSES = (Event.EventCancelled, Event.EventCompleted)


def fold(b: Batch, e: Any, position: int) -> None:
    """One domain event into the batch's `holds` and `waitlist_places` changes."""
    holds, places = b["holds"], b["waitlist_places"]
    kind = type(e)
    if kind is Event.SeatsHeld:
        holds.insert({
            "id": e.hold_id, "event_id": e.originator_id, "user_id": UUID(e.user_id),
            "user_name": name_of(e.user_name), "category": e.category, "quantity": e.quantity,
            "unit_price": e.unit_price, "status": HOLD_ACTIVE, "expires_at": e.expires_at,
            "offer": e.offer_for is not None, "place_id": e.offer_for, "booking_id": None,
            "created_at": e.held_at, "ended_at": None, "position": position,
            "lines": e.lines, "voucher": e.voucher})
        if e.offer_for is not None:
            places.set((e.offer_for,), {"status": OFFERED, "hold_id": e.hold_id})
    elif kind is Event.SeatsBooked:
        if e.hold_id is not None:  # a checkout's confirmation
            _ended(b, e, HOLD_CONFIRMED, booking_id=e.booking_id)
    elif kind in _ENDS:
        _ended(b, e, _ENDS[kind], booking_id=getattr(e, "booking_id", None))
    elif kind is Event.HoldKeptForPayment:
        holds.set((e.hold_id,), {"expires_at": e.expires_at})
    elif kind is Event.WaitlistJoined:
        places.insert({
            "id": e.entry_id, "event_id": e.originator_id, "user_id": UUID(e.user_id),
            "user_name": name_of(e.user_name), "category": e.category, "quantity": e.quantity,
            "status": WAITING, "hold_id": None, "joined_at": e.joined_at, "ended_at": None,
            "position": position})
    elif kind is Event.WaitlistLeft:  # left, passed over the limit, or closed by the start
        status = CLOSED if e.left_by == EVENT_STARTED else LEFT
        places.set((e.entry_id,), {"status": status, "ended_at": e.left_at})
    elif kind in _CLOSES:
        _close(b, e)
    elif kind is PERSON_ERASED:
        forget(b, e, "holds", "waitlist_places")


def _ended(b: Batch, e: Any, status: str, booking_id: UUID | None) -> None:
    """The hold `e` names ended so; the place it was offered to, if any, served or passed."""
    ended: dict[str, Any] = {"status": status, "ended_at": e.timestamp}
    if booking_id is not None:
        ended["booking_id"] = booking_id
    b["holds"].set((e.hold_id,), ended)
    if e.offer_for is not None:  # the offer taken, or passed to the next in line
        b["waitlist_places"].set((e.offer_for,), {
            "status": SERVED if status == HOLD_CONFIRMED else PASSED, "ended_at": e.timestamp})


def _close(b: Batch, e: Any) -> None:
    """The event closed: its active holds and waiting places end with it (as its aggregate's
    do), after every change folded before, and before any after."""
    holds, places = b.tables["holds"], b.tables["waitlist_places"]
    b.seal()
    b.run([update(holds).where((holds.c.event_id == e.originator_id)
                               & holds.c.status.in_([HOLD_ACTIVE]))
           .values(status=CLOSED, ended_at=e.timestamp),
           update(places).where((places.c.event_id == e.originator_id)
                                & places.c.status.in_([WAITING]))
           .values(status=CLOSED, ended_at=e.timestamp)])
    b.seal()


MODEL = ReadModel(
    "holds", (table_of(HoldRow), table_of(PlaceRow)), fold,
    frozenset({Event.SeatsHeld, Event.SeatsBooked, *_ENDS, Event.HoldKeptForPayment,
               Event.WaitlistJoined,
               Event.WaitlistLeft, *_CLOSES, PERSON_ERASED}), by_event=True)
