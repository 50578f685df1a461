"""Read model "bookings": every booking with its tickets, the refunds of tickets cancelled one
by one, and the payments of holds (`commands.domain.payment`: how each stands, for its booking's
organizers to see a failed refund); a booking's position is that of its latest event.

Read by `query_api/reads/bookings.py` (a booking, a user's and an event's bookings), by
the ticket check-in route (a ticket's booking) and by `query_api/reads/revenue.py`.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from commands.domain.event import Event
from commands.domain.events import (
    CANCELLED,
    CONFIRMED,
    TICKET_ACTIVE,
    TICKET_CANCELLED,
    TICKET_USED,
)
from commands.domain.lines import lines_of, total_of
from commands.domain.payment import (
    FAILED,
    STARTED,
    SUCCEEDED,
    SUPERSEDED,
    Payment,
)
from commands.domain.refunds import REFUND_FAILED, REFUND_PENDING, REFUNDED
from core.models import Base, Money, OrderLines, UTCDateTime
from projections.erasure import PERSON_ERASED, forget
from projections.model import ReadModel, table_of
from projections.personal import name_of
from projections.unit_of_work import Batch


class BookingRow(Base):
    __tablename__ = "bookings"
    __table_args__ = (
        Index("ix_bookings_user_created", "user_id", "created_at"),
        Index("ix_bookings_event_created", "event_id", "created_at"),
    )
    id: Mapped[UUID] = mapped_column(primary_key=True)
    event_id: Mapped[UUID] = mapped_column()
    user_id: Mapped[UUID] = mapped_column()
    user_name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(100))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Money)
    total_amount: Mapped[Decimal] = mapped_column(Money)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by: Mapped[str | None] = mapped_column(String(16), nullable=True)
    cancellation_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    # What its cancellation gave back: the price of the seats it had left (null for rows
    # projected before tickets could be cancelled one by one: then its whole total).
    cancel_refund: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    position: Mapped[int] = mapped_column(BigInteger)
    # Across categories, its `SeatsBooked`'s lines (`commands.domain.lines`); null for one
    # category, which `category`, `quantity` and `unit_price` say. Its tickets follow them.
    lines: Mapped[list[dict[str, Any]] | None] = mapped_column(OrderLines, nullable=True)
    voucher: Mapped[str | None] = mapped_column(String(40), nullable=True)  # priced by it


class TicketRefundRow(Base):
    """Tickets of a booking cancelled while it stayed confirmed, and the price given back:
    one row per `TicketsCancelled`, at its log position."""

    __tablename__ = "ticket_refunds"
    __table_args__ = (Index("ix_ticket_refunds_event_refunded", "event_id", "refunded_at"),)
    position: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    booking_id: Mapped[UUID] = mapped_column(index=True)
    event_id: Mapped[UUID] = mapped_column()
    quantity: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Money)
    refunded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PaymentRow(Base):
    """A hold's payment as its stream tells it now; amounts in the currency's minor unit."""

    __tablename__ = "payments"
    id: Mapped[UUID] = mapped_column(primary_key=True)
    hold_id: Mapped[UUID] = mapped_column()
    event_id: Mapped[UUID] = mapped_column(index=True)
    booking_id: Mapped[UUID | None] = mapped_column(index=True, nullable=True)
    provider: Mapped[str] = mapped_column(String(32))
    intent_id: Mapped[str] = mapped_column(String(255))
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[int] = mapped_column(BigInteger)
    captured: Mapped[int] = mapped_column(BigInteger)
    refunded: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(32))
    message: Mapped[str | None] = mapped_column(String(500), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    position: Mapped[int] = mapped_column(BigInteger)


class MoneyMoveRow(Base):
    """Money a payment took or gave back, when (the provider's success, or the organizer's
    mark), in its event's currency's minor unit: one row per `PaymentSucceeded` and
    `RefundSucceeded`, at its log position. Revenue's money figures are read from these."""

    __tablename__ = "money_moves"
    __table_args__ = (Index("ix_money_moves_event_at", "event_id", "moved_at"),)
    position: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    payment_id: Mapped[UUID] = mapped_column()
    event_id: Mapped[UUID] = mapped_column()
    taken: Mapped[int] = mapped_column(BigInteger)  # captured by the payment
    given_back: Mapped[int] = mapped_column(BigInteger)  # refunded
    moved_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TicketRow(Base):
    __tablename__ = "tickets"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    booking_id: Mapped[UUID] = mapped_column(index=True)
    event_id: Mapped[UUID] = mapped_column()
    ordinal: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def fold(b: Batch, e: Any, position: int) -> None:
    """One domain event into the batch's `bookings` and `tickets` changes."""
    if isinstance(e, PAYMENT_EVENTS):
        fold_payment(b, e, position)
        return
    if isinstance(e, PERSON_ERASED):
        forget(b, e, "bookings")
        return
    bookings, tickets, refunds = b["bookings"], b["tickets"], b["ticket_refunds"]
    if isinstance(e, Event.SeatsBooked):
        bookings.insert(booking_row(e, position))
        for row in ticket_rows(e):
            tickets.insert(row)
    elif isinstance(e, Event.BookingCancelled):
        # Who and why: None for cancellations recorded before they said (the event's default).
        bookings.set((e.booking_id,), {"status": CANCELLED, "cancelled_at": e.cancelled_at,
                                       "cancelled_by": e.cancelled_by,
                                       "cancellation_reason": e.stated_reason,
                                       "cancel_refund": e.refund, "position": position})
        # Every ticket of the booking: looked up by booking_id, in memory and in SQL.
        tickets.set_where("booking_id", e.booking_id, {"status": TICKET_CANCELLED})
    elif isinstance(e, Event.TicketsCancelled):
        if tickets.pending_where("booking_id", e.booking_id):
            b.seal()  # as for a check-in below
        for code in e.ticket_codes:
            tickets.set((code,), {"status": TICKET_CANCELLED})
        refunds.insert({"position": position, "booking_id": e.booking_id,
                        "event_id": e.originator_id, "quantity": e.quantity,
                        "amount": e.refund, "refunded_at": e.cancelled_at})
        bookings.set((e.booking_id,), {"position": position})
    elif isinstance(e, Event.TicketCheckedIn):
        if tickets.pending_where("booking_id", e.booking_id):
            b.seal()  # that booking-wide update happened first: write it first
        tickets.set((e.code,), {"status": TICKET_USED, "used_at": e.checked_in_at})
        bookings.set((e.booking_id,), {"position": position})
    elif isinstance(e, Event.TicketCheckInUndone):
        if tickets.pending_where("booking_id", e.booking_id):
            b.seal()  # as for a check-in above
        tickets.set((e.code,), {"status": TICKET_ACTIVE, "used_at": None})
        bookings.set((e.booking_id,), {"position": position})


def fold_payment(b: Batch, e: Any, position: int) -> None:
    """One payment's event into the batch's `payments` changes."""
    payments, key = b["payments"], (e.originator_id,)
    stamp = {"updated_at": e.timestamp, "position": position}
    if isinstance(e, Payment.PaymentStarted):
        payments.insert({"id": e.originator_id, "hold_id": e.hold_id, "event_id": e.event_id,
                         # Named from its start when its method books the seats first.
                         "booking_id": getattr(e, "booking_id", None),
                         "provider": e.provider, "intent_id": e.intent_id,
                         "currency": e.currency, "amount": e.amount, "captured": 0,
                         "refunded": 0, "status": STARTED, "message": None} | stamp)
    elif isinstance(e, Payment.PaymentRestarted):
        payments.set(key, {"intent_id": e.intent_id, "status": STARTED, "message": None} | stamp)
    elif isinstance(e, Payment.PaymentSucceeded):
        payments.set(key, {"status": SUCCEEDED, "captured": e.captured,
                           "booking_id": e.booking_id} | stamp)
        _moved(b, e, position, taken=e.captured, given_back=0)
    elif isinstance(e, Payment.SupersededIntentSucceeded):  # its refund is asked beside it
        payments.add(key, {"captured": e.captured})
        _moved(b, e, position, taken=e.captured, given_back=0)
    elif isinstance(e, Payment.PaymentFailed):
        payments.set(key, {"status": FAILED, "message": e.message[:500]} | stamp)
    elif isinstance(e, Payment.RefundRequested):
        # An earlier attempt's money going back leaves a payment still being made as it is.
        if e.reason != SUPERSEDED:
            payments.set(key, {"status": REFUND_PENDING, "message": None} | stamp)
    elif isinstance(e, Payment.RefundSucceeded):
        # Another refund of the payment may still be owed: the status it recorded says
        # (one recorded before payments had several says nothing: one was owed at a time).
        payments.add(key, {"refunded": e.amount})
        payments.set(key, {"status": e.status or REFUNDED} | stamp)
        _moved(b, e, position, taken=0, given_back=e.amount)
    elif isinstance(e, Payment.RefundFailed):
        payments.set(key, {"status": e.status or REFUND_FAILED,
                           "message": e.message[:500]} | stamp)


def _moved(b: Batch, e: Any, position: int, *, taken: int, given_back: int) -> None:
    b["money_moves"].insert({
        "position": position, "payment_id": e.originator_id, "event_id": e.event_id,
        "taken": taken, "given_back": given_back, "moved_at": e.timestamp})


def booking_row(e: Any, position: int) -> dict[str, Any]:
    return {
        "id": e.booking_id, "event_id": e.originator_id, "user_id": UUID(e.user_id),
        "user_name": name_of(e.user_name), "category": e.category, "quantity": e.quantity,
        "unit_price": e.unit_price, "total_amount": total_of(lines_of(e)),
        "status": CONFIRMED, "created_at": e.booked_at, "cancelled_at": None,
        "cancelled_by": None, "cancellation_reason": None, "cancel_refund": None,
        "position": position, "lines": e.lines, "voucher": e.voucher,
    }


def ticket_rows(e: Any) -> list[dict[str, Any]]:
    return [{"code": code, "booking_id": e.booking_id, "event_id": e.originator_id,
             "ordinal": i, "status": TICKET_ACTIVE, "used_at": None}
            for i, code in enumerate(e.ticket_codes)]


PAYMENT_EVENTS = (Payment.PaymentStarted, Payment.PaymentRestarted, Payment.PaymentSucceeded,
                  Payment.SupersededIntentSucceeded, Payment.PaymentFailed,
                  Payment.RefundRequested, Payment.RefundSucceeded, Payment.RefundFailed)

MODEL = ReadModel(
    "bookings", (table_of(BookingRow), table_of(TicketRow), table_of(TicketRefundRow),
                 table_of(PaymentRow), table_of(MoneyMoveRow)), fold,
    frozenset({Event.SeatsBooked, Event.BookingCancelled, Event.TicketsCancelled,
               Event.TicketCheckedIn, Event.TicketCheckInUndone, *PAYMENT_EVENTS,
               PERSON_ERASED}),
    indexed={"tickets": ("booking_id",)})
