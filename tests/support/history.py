"""Build a known history on the write side, for the projection, event log and worker tests."""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from bench.scenario import book, new_event
from commands.application.payments import payment_of_hold
from commands.application.seat_requests import SeatFields
from commands.domain.actor import Actor
from commands.domain.erasure import INVOICES_PAST_RETENTION, RETENTION
from commands.domain.payment import started
from commands.ledger import Ledger
from core.money import to_minor
from projections import registry
from projections.model import ReadModel
from projections.unit_of_work import Batch


@dataclass
class History:
    event_ids: list[UUID] = field(default_factory=list)
    bookings: list[dict[str, Any]] = field(default_factory=list)


def busy_history(ledger: Ledger, events: int = 3, bookings: int = 12) -> History:
    """Several events with bookings, cancellations, tickets refunded one by one, check-ins, a
    co-organizer, an invitation still open, holds (one released, one still active), one
    cancelled event, a sold-out event with a place in its waiting line, and orders across
    categories (`orders_across_categories`)."""
    history = History()
    organizer = str(uuid4())
    for i in range(events):
        event_id = new_event(ledger, organizer_id=organizer, organizer_name="Olga")
        history.event_ids.append(event_id)
        for j in range(bookings):
            view = book(ledger, event_id, quantity=1 + j % 3)
            history.bookings.append(view)
            if j % 4 == 1:
                ledger.cancel_booking(view["id"])
            elif j % 4 == 2:
                ledger.check_in(event_id, view["tickets"][0]["code"], view["id"])
            elif j % 4 == 3 and view["quantity"] > 1:  # one ticket given back, the rest kept
                ledger.refund_tickets(view["id"], [view["tickets"][-1]["code"]])
        buyer: SeatFields = {"user_id": uuid4(), "user_name": "Hal", "category": None,
                              "quantity": 1}
        if i == 0:
            paid_through_a_provider(ledger, event_id)
        ledger.release_hold(ledger.hold(event_id, **buyer).view["id"])
        ledger.hold(event_id, **(buyer | {"user_id": uuid4(), "user_name": "Ivy"}))
        if i == 0:  # someone else runs it too, and another is invited by its organizer
            ledger.add_co_organizer(event_id, (str(uuid4()), "Kim"), Actor(str(uuid4()), True))
            ledger.add_co_organizer(event_id, (str(uuid4()), "Lee"), Actor(organizer))
        if i == events - 1:
            ledger.cancel_event(event_id)
    small = new_event(ledger, categories=[{"name": "General", "price": "8.00", "capacity": 1}])
    book(ledger, small)
    ledger.join_waitlist(small, user_id=uuid4(), user_name="Wes", category=None, quantity=1)
    history.event_ids.append(orders_across_categories(ledger))
    history.event_ids.append(vouchers_used(ledger))
    history.event_ids.append(invoices_issued(ledger))
    return history


INVOICE_SELLER = {"name": "Jazz Nights GmbH", "address": "Torstraße 1\n10119 Berlin",
                  "country": "DE", "vat_id": "DE136695976", "prefix": "JN-"}
INVOICE_BUYER = {"name": "Jane Doe", "company": "ACME SARL", "address": "1 rue X\n75001 Paris",
                 "country": "FR", "vat_id": "FR40303265045"}


def invoices_issued(ledger: Ledger) -> UUID:
    """An organizer's invoice book: the seller's details set, then changed; a booking paid
    through a provider and invoiced, then a ticket of it refunded (its invoice cancelled, the
    rest invoiced anew); an invoice asked at checkout for a hold still being paid for; a buyer
    invoiced, then erased, then their invoice details forgotten (its retention over)."""
    organizer = str(uuid4())
    ledger.set_seller(organizer, INVOICE_SELLER)
    ledger.set_seller(organizer, {**INVOICE_SELLER, "email": "billing@jazz.example"})
    event_id = new_event(ledger, organizer_id=organizer, organizer_name="Jo")
    ledger.update_event(event_id, {}, [], taxes=[
        {"name": "VAT", "rate": "19", "inclusive": True, "categories": ["General"]}])
    buyer: SeatFields = {"user_id": uuid4(), "user_name": "Jane", "category": None,
                         "quantity": 2}
    booking = paid_through_a_provider(ledger, event_id, buyer, refund=False)
    ledger.request_invoice(booking["id"], INVOICE_BUYER, Actor(str(buyer["user_id"])))
    ledger.refund_tickets(booking["id"], [booking["tickets"][-1]["code"]])
    ledger.settle_invoices(organizer, booking["id"])
    hold = ledger.hold(event_id, **(buyer | {"user_id": uuid4(), "quantity": 1})).view
    ledger.request_invoice_for_hold(hold["id"], INVOICE_BUYER, Actor(str(hold["user_id"])))
    gone: SeatFields = buyer | {"user_id": uuid4(), "quantity": 1}
    paid = paid_through_a_provider(ledger, event_id, gone, refund=False)
    ledger.request_invoice(paid["id"], INVOICE_BUYER, Actor(str(gone["user_id"])))
    ledger.erase_person(str(gone["user_id"]), RETENTION, RETENTION)
    ledger.forget_invoices(str(gone["user_id"]), RETENTION, INVOICES_PAST_RETENTION)
    return event_id


ORDER = [("General", 2), ("VIP", 1)]


def orders_across_categories(ledger: Ledger) -> UUID:
    """An event of two categories: an order across both held, paid for through a provider and
    confirmed, then its VIP ticket given back; another released; a third still held."""
    event_id = new_event(ledger, categories=[
        {"name": "General", "price": "25.00", "capacity": 100},
        {"name": "VIP", "price": "90.00", "capacity": 10}])

    def buyer(name: str) -> SeatFields:
        return {"user_id": uuid4(), "user_name": name, "category": None, "quantity": 3,
                "lines": ORDER}

    booking = paid_through_a_provider(ledger, event_id, buyer("Max"), refund=False)
    ledger.refund_tickets(booking["id"], [booking["tickets"][-1]["code"]])  # the VIP seat
    ledger.release_hold(ledger.hold(event_id, **buyer("Nia")).view["id"])
    ledger.hold(event_id, **buyer("Oz"))
    return event_id


def vouchers_used(ledger: Ledger) -> UUID:
    """An event of two categories, VIP taxed on top and General with the tax in its price,
    with vouchers: one used in a hold released and one confirmed, in a booking outright and in
    an order across both categories (on one line), then disabled; a batch of random codes
    never used. One of the bookings is cancelled."""
    event_id = new_event(ledger, categories=[
        {"name": "General", "price": "25.00", "capacity": 100},
        {"name": "VIP", "price": "90.00", "capacity": 10}])
    ledger.update_event(event_id, {}, [], taxes=[
        {"name": "Sales tax", "rate": "8.875", "inclusive": False, "categories": ["VIP"]},
        {"name": "VAT", "rate": "20", "inclusive": True, "categories": ["General"]}])
    ledger.create_vouchers(event_id, codes=["SPRING-26"], actor=None, discount="percent",
                           value=Decimal("12.5"), max_uses=10, categories=["VIP"])
    ledger.create_vouchers(event_id, count=3, prefix="P-", actor=None, discount="set_price",
                           value=Decimal(0), max_uses=1, label="press")

    def buyer(name: str, **asked: Any) -> SeatFields:
        fields: SeatFields = {"user_id": uuid4(), "user_name": name, "category": "VIP",
                              "quantity": 1, "voucher": "spring-26"}
        return {**fields, **asked}  # type: ignore[typeddict-item]

    ledger.release_hold(ledger.hold(event_id, **buyer("Ada")).view["id"])
    ledger.confirm_hold(ledger.hold(event_id, **buyer("Bea", quantity=2)).view["id"])
    ledger.cancel_booking(ledger.book(event_id, **buyer("Cy")).view["id"])
    ledger.confirm_hold(ledger.hold(event_id, **buyer("Di", category=None, quantity=3,
                                                      lines=ORDER)).view["id"])
    ledger.disable_voucher(event_id, "SPRING-26")
    # Seats reserved for a voucher's holders: one held and released, one booked outright; a
    # second such voucher disabled with its seats still reserved.
    ledger.create_vouchers(event_id, codes=["CREW-1", "CREW-2"], actor=None, discount="percent",
                           value=Decimal(100), max_uses=2, categories=["General"], reserve=True)
    crew = buyer("Eve", category="General", voucher="crew-1")
    ledger.release_hold(ledger.hold(event_id, **crew).view["id"])
    ledger.book(event_id, **crew)
    ledger.disable_voucher(event_id, "CREW-2")
    return event_id


def paid_through_a_provider(ledger: Ledger, event_id: UUID, buyer: SeatFields | None = None,
                            *, refund: bool = True) -> dict[str, Any]:
    """A hold confirmed, its payment written as a provider's success would have recorded it,
    then (with `refund`) a part of it given back: the payments' stream without a provider to
    call. The booking's view."""
    buyer = buyer or {"user_id": uuid4(), "user_name": "Pam", "category": None, "quantity": 2}
    held = ledger.hold(event_id, **buyer).view
    booking: dict[str, Any] = ledger.confirm_hold(held["id"]).view
    event = ledger.event(event_id)
    now = datetime.now(UTC)
    total = to_minor(booking["total_amount"], event.currency)
    payment = started(payment_of_hold(held["id"]), hold=held, amount=total,
                      currency=event.currency, provider="stripe", intent_id="pi_history",
                      now=now)
    payment.succeed(captured=total, charge_id="ch_history", booking_id=booking["id"],
                    notice_id=None, now=now)
    ledger.store.append(payment)
    if refund:  # its first ticket cancelled, and its price given back as the provider would
        first = booking["tickets"][0]["code"]
        ledger.refund_tickets(booking["id"], [first])
        given = ledger.store.find_payment(payment.id)
        assert given is not None
        given.refunded_by(given.refunds[-1], "re_history", now=now)
        ledger.store.append(given)
    return booking


def break_projection(
    name: str, message: str, when: Callable[[Any], bool] = lambda _: True
) -> tuple[ReadModel, ReadModel]:
    """(the real read model, one whose fold raises `message` on the events `when` picks)."""
    real = registry.REGISTRY[name]

    def broken(batch: Batch, domain_event: Any, position: int) -> None:
        if when(domain_event):
            raise RuntimeError(message)
        real.fold(batch, domain_event, position)

    return real, replace(real, fold=broken)
