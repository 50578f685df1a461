"""Invoices: an organizer's seller's details set; a buyer's invoice asked for a booking (or for
the hold being paid for, at checkout); invoices issued once a booking is paid, and a booking
whose tickets were cancelled invoiced anew (its invoice cancelled, the tickets it keeps
invoiced again).

Every change of a book is load -> decide -> save on the organizer's invoice book
(`commands.domain.invoices`), under the book's lock and retried on conflict as an event's
commands are: its numbers are decided there. The booking, its payment and its event are read
as they stand; a booking paid, or whose tickets change, after its book was decided is seen
by the invoices' process manager (`workers.invoices.process`), which settles it again.
"""

from collections.abc import Callable
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from commands.application.idempotency import booking_of_hold
from commands.application.runner import CommandRunner
from commands.application.views import Outcome
from commands.domain.actor import Actor
from commands.domain.booking import Booking
from commands.domain.errors import booking_not_found, hold_not_found
from commands.domain.event import Event
from commands.domain.invoice_documents import Order, cancellation_of, invoice_of, same_lines
from commands.domain.invoices import (
    InvoiceBook,
    book_of,
    buyer_details,
    invoice_id,
    no_seller,
    open_book,
    seller_details,
)
from commands.domain.lines import lines_of
from commands.domain.payment import Payment, payment_of_booking
from commands.store.aggregate_store import AggregateStore
from core.personal import Personal


class InvoiceCommands:
    """An organizer's invoice book: the seller, the requests, the invoices issued."""

    def __init__(self, runner: CommandRunner, store: AggregateStore,
                 seal: Callable[[str, dict[str, Any]], Personal]) -> None:
        self.runner = runner
        self.store = store
        self.seal = seal  # a buyer's details as the log keeps them (`Ledger.seal_buyer`)

    # ----- the seller ----------------------------------------------------------------------

    def set_seller(self, organizer_id: str, asked: dict[str, Any]) -> Outcome:
        """The organizer's seller's details, as every invoice issued from now on names them."""
        seller = seller_details(asked)

        def attempt() -> Outcome:
            book = self.store.find_book(book_of(organizer_id))
            if book is None:
                book = open_book(organizer_id, seller, self.runner.clock())
            else:
                book.change_seller(seller, self.runner.clock())
            position = self.store.append(book) if book.pending_events else None
            return Outcome(seller_view(book), position)

        return self._on_book(organizer_id, attempt)

    def seller(self, organizer_id: str) -> dict[str, Any] | None:
        book = self.store.find_book(book_of(organizer_id))
        return None if book is None else seller_view(book)

    # ----- a buyer's request ---------------------------------------------------------------

    def request(self, booking_id: UUID, asked: dict[str, Any], actor: Actor) -> Outcome:
        """An invoice of booking `booking_id` for its buyer (or an admin), issued now when it
        is paid, else once it is. Asked again: the first request and its invoice."""
        booking = self.store.find_ref(booking_id)
        if booking is None or not _theirs(booking.user_id, actor):
            raise booking_not_found(booking_id)
        return self._requested(booking_id, booking.event_id, booking.user_id, asked)

    def request_for_hold(self, hold_id: UUID, asked: dict[str, Any], actor: Actor) -> Outcome:
        """At checkout: an invoice of the booking hold `hold_id` becomes once paid."""
        claim = self.store.find_claim(hold_id)
        if claim is None or not claim.is_hold or not _theirs(claim.user_id, actor):
            raise hold_not_found(hold_id)
        return self._requested(booking_of_hold(hold_id), claim.event_id, claim.user_id, asked)

    def _requested(self, booking_id: UUID, event_id: UUID, user_id: str,
                   asked: dict[str, Any]) -> Outcome:
        details = dict(buyer_details(asked))
        organizer_id = self.runner.read(event_id, lambda event: event.organizer_id)
        if organizer_id is None:  # an admin's event with no organizer: nobody sells
            raise no_seller()
        sealed: list[Personal] = []  # sealed once, on the first attempt that finds a seller

        def attempt() -> Outcome:
            book = self.store.find_book(book_of(organizer_id))
            if book is None:
                raise no_seller()
            # Sealed only once a seller is found: sealing makes the buyer's invoice key, and a
            # refused request must leave none (its erasure would then owe a forgetting).
            if not sealed:
                sealed.append(self.seal(user_id, details))
            book.request(booking_id, event_id, user_id, sealed[0], self.runner.clock())
            position = self._settled(book, booking_id)
            return Outcome(invoices_view(book, booking_id), position)

        return self._on_book(organizer_id, attempt)

    # ----- what the process manager asks ---------------------------------------------------

    def settle(self, organizer_id: str, booking_id: UUID) -> Outcome:
        """Bring booking `booking_id`'s invoices in line with it: issued once paid, cancelled
        and issued again for what it keeps once its tickets changed. Nothing to do: nothing
        saved."""

        def attempt() -> Outcome:
            book = self.store.find_book(book_of(organizer_id))
            if book is None or booking_id not in book.requests:
                return Outcome({}, None)
            position = self._settled(book, booking_id)
            return Outcome(invoices_view(book, booking_id), position)

        return self._on_book(organizer_id, attempt)

    def _settled(self, book: InvoiceBook, booking_id: UUID) -> int | None:
        """The book's decision on the booking saved: its position, None when nothing changed.

        Decided and saved under the booking's event's lock too, so no cancellation of its
        tickets commits between what is read of it and the invoice appended: an invoice's
        position in the log follows every change of the booking it invoices.
        """
        found = self.store.find_ref(booking_id)
        if found is None:  # asked at checkout, not booked (yet): its payment's success comes
            return self.store.append(book) if book.pending_events else None
        with self.runner.locks.hold(found.event_id):
            event = self.runner.aggregate(found.event_id)
            try:
                booking = self.store.find_ref(booking_id) or found
                self._settle(book, booking, event)
            finally:
                self.runner.cache.keep(event)
            return self.store.append(book) if book.pending_events else None

    def _settle(self, book: InvoiceBook, booking: Booking, event: Event) -> None:
        payment = self.store.find_payment(payment_of_booking(booking.id))
        paid = payment is not None and payment.captured > 0 and payment.booking_id == booking.id
        if not paid and booking.refund > 0:
            return  # owed: invoiced once paid
        booking_id = booking.id
        order = _order(event, booking, payment if paid else None)
        now = self.runner.clock()
        standing = book.invoice_in_force(booking_id)
        if standing is not None:
            if same_lines(standing, order):
                return
            book.issue(cancellation_of(standing, now))
        if order.lines:  # what it keeps: none once cancelled in full
            request = book.requests[booking_id]
            book.issue(invoice_of(order, book.seller, request["buyer"], now))

    def _on_book(self, organizer_id: str, attempt: Any) -> Outcome:
        book_id = book_of(organizer_id)
        return self.runner.run("invoices", book_id, attempt)


def _theirs(owner: str, actor: Actor) -> bool:
    return actor.admin or actor.id == owner


def _order(event: Event, booking: Booking, payment: Payment | None) -> Order:
    if booking.lines:
        lines = booking.lines_left()
    else:  # one category at one price: its single fields say it
        line = lines_of(booking)[0].copy()
        line["quantity"] = booking.seats_left
        lines = [line]
    return Order(booking_id=booking.id, event_id=booking.event_id, user_id=booking.user_id,
                 event_name=event.name, venue=event.venue,
                 # As the venue tells the time: what the buyer's ticket says.
                 event_starts_at=event.starts_at.astimezone(ZoneInfo(event.timezone)),
                 currency=event.currency, lines=lines,
                 provider=None if payment is None else payment.provider)


def seller_view(book: InvoiceBook) -> dict[str, Any]:
    return {"organizer_id": book.organizer_id, **book.seller, "invoices_issued": book.seq}


def invoices_view(book: InvoiceBook, booking_id: UUID) -> dict[str, Any]:
    """A booking's request and its invoice in force, as the write side knows them now."""
    standing = book.invoice_in_force(booking_id)
    return {"booking_id": booking_id,
            "status": "issued" if standing is not None else "requested",
            "invoice": None if standing is None else {
                "id": invoice_id(book.id, standing["seq"]), "number": standing["number"],
                "issued_at": standing["issued_at"], "totals": standing["totals"],
                "currency": standing["currency"]}}
