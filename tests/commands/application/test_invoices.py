"""Invoices on the ledger's own write side: the seller's details checked, a buyer's request,
an invoice issued once the booking is paid, a cancellation and a new invoice when tickets are
refunded, and numbers gapless per organizer under concurrent requests, on SQLite and
PostgreSQL. The same flows through HTTP: tests/query_api/routes/test_invoices.py."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select

from bench.scenario import new_event
from commands.application.payments import payment_of_hold
from commands.domain.actor import Actor
from commands.domain.errors import DomainError
from commands.domain.invoices import book_of
from commands.domain.payment import started
from commands.ledger import Ledger
from core.db import session_scope
from core.settings import Settings
from projections import catch_up
from projections.invoices import InvoiceRow
from workers.invoices.process import settle_invoices

SELLER = {"name": "Jazz Nights GmbH", "address": "Torstraße 1\n10119 Berlin", "country": "DE",
          "vat_id": "DE 136 695 976", "email": "billing@jazz.example", "prefix": "jazz-"}
BUYER = {"name": "Jane Doe", "company": "ACME SARL", "address": "1 rue X\n75001 Paris",
         "country": "FR", "vat_id": "FR40303265045"}
VAT = [{"name": "VAT", "rate": "19", "inclusive": True, "categories": ["General"]}]


@pytest.fixture
def ledger(any_settings: Settings) -> Iterator[Ledger]:
    made = Ledger(any_settings)
    yield made
    made.close()


def refused(code: str, call: Any, *args: Any) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(*args)
    assert caught.value.code == code, caught.value
    return caught.value


def taxed_event(ledger: Ledger, organizer_id: str, price: str = "23.80") -> UUID:
    event_id = new_event(ledger, organizer_id=organizer_id, organizer_name="Jazz",
                         categories=[{"name": "General", "price": Decimal(price),
                                      "capacity": 500}])
    ledger.update_event(event_id, {}, [], None, taxes=VAT)
    return event_id


def owed_booking(ledger: Ledger, event_id: UUID, quantity: int = 2) -> tuple[UUID, str]:
    """A booking made with no provider set up: owed until its organizer marks it paid."""
    user_id = uuid4()
    view = ledger.book(event_id, user_id=user_id, user_name="Jane", category="General",
                       quantity=quantity).view
    return UUID(str(view["id"])), str(user_id)


def test_a_sellers_vat_id_and_country_are_checked_and_named(ledger: Ledger) -> None:
    organizer = str(uuid4())
    wrong = refused("INVALID_SELLER", ledger.set_seller, organizer,
                    {**SELLER, "vat_id": "DE136695977"})
    assert wrong.where == ("vat_id",)
    assert refused("INVALID_SELLER", ledger.set_seller, organizer,
                   {**SELLER, "country": "Germany"}).where == ("country",)
    assert refused("INVALID_SELLER", ledger.set_seller, organizer,
                   {**SELLER, "name": " "}).where == ("name",)
    seller = ledger.set_seller(organizer, SELLER).view
    assert (seller["vat_id"], seller["prefix"]) == ("DE136695976", "JAZZ-")
    # A country python-stdnum has no VAT rules for keeps the ID as written.
    assert ledger.set_seller(organizer, {**SELLER, "country": "US", "vat_id": "12-3456789"}
                             ).view["vat_id"] == "123456789"


def test_an_invoice_is_asked_owed_issued_once_paid_and_asked_twice_is_the_same(
        ledger: Ledger) -> None:
    organizer = str(uuid4())
    event_id = taxed_event(ledger, organizer)
    booking_id, buyer = owed_booking(ledger, event_id)
    refused("INVOICES_NOT_OFFERED", ledger.request_invoice, booking_id, BUYER, Actor(buyer))
    ledger.set_seller(organizer, SELLER)
    refused("BOOKING_NOT_FOUND", ledger.request_invoice, booking_id, BUYER, Actor(str(uuid4())))
    assert refused("INVALID_BUYER", ledger.request_invoice, booking_id,
                   {**BUYER, "vat_id": "FR00303265045"}, Actor(buyer)).where == ("vat_id",)

    asked = ledger.request_invoice(booking_id, BUYER, Actor(buyer)).view
    assert (asked["status"], asked["invoice"]) == ("requested", None)  # owed: not yet
    ledger.mark_paid(booking_id, Actor(organizer), "cash", None)
    issued = ledger.settle_invoices(organizer, booking_id).view
    assert issued["status"] == "issued"
    assert issued["invoice"]["number"] == "JAZZ-00001"
    assert issued["invoice"]["totals"] == {"net": "40.00", "tax": "7.60", "gross": "47.60"}
    again = ledger.request_invoice(booking_id, {**BUYER, "company": "Other"}, Actor(buyer))
    assert again.view["invoice"] == issued["invoice"] and again.position is None

    book = ledger.store.find_book(book_of(organizer))
    assert book is not None
    invoice = book.invoice_in_force(booking_id)
    assert invoice is not None
    details = ledger.personal.open_json(invoice["buyer"])  # sealed with the buyer's invoice key
    assert details is not None and details["company"] == "ACME SARL" and invoice["seller"]["vat_id"]
    assert invoice["lines"] == [{
        "description": invoice["order"]["event_name"] + " · General", "category": "General",
        "quantity": 2, "unit_price": "23.80", "unit_tax": "3.80", "tax_name": "VAT",
        "tax_rate": "19", "list_price": None, "net": "40.00", "tax": "7.60", "gross": "47.60"}]
    assert invoice["paid"] == {"provider": "offline", "amount": "47.60"}


def test_a_free_booking_is_invoiced_at_once(ledger: Ledger) -> None:
    organizer = str(uuid4())
    ledger.set_seller(organizer, SELLER)
    event_id = taxed_event(ledger, organizer, price="0.00")
    booking_id, buyer = owed_booking(ledger, event_id, quantity=1)
    issued = ledger.request_invoice(booking_id, BUYER, Actor(buyer)).view
    assert issued["invoice"]["totals"] == {"net": "0.00", "tax": "0.00", "gross": "0.00"}


def test_refunded_tickets_cancel_the_invoice_and_the_rest_is_invoiced_anew(
        ledger: Ledger) -> None:
    organizer = str(uuid4())
    ledger.set_seller(organizer, SELLER)
    event_id = taxed_event(ledger, organizer)
    booking_id, buyer = owed_booking(ledger, event_id, quantity=3)
    ledger.mark_paid(booking_id, Actor(organizer), "cash", None)
    assert ledger.request_invoice(booking_id, BUYER, Actor(buyer)).view["invoice"][
        "number"] == "JAZZ-00001"
    codes = [ticket["code"] for ticket in ledger.booking(booking_id)["tickets"]]
    ledger.refund_tickets(booking_id, codes[:1], Actor(buyer))
    ledger.settle_invoices(organizer, booking_id)
    book = ledger.store.find_book(book_of(organizer))
    assert book is not None
    assert book.seq == 3  # the invoice, its cancellation, the new one
    standing = book.invoice_in_force(booking_id)
    assert standing is not None and standing["number"] == "JAZZ-00003"
    assert standing["totals"]["gross"] == "47.60" and standing["lines"][0]["quantity"] == 2
    # Settled again, nothing changes; cancelled in full, only a cancellation follows.
    assert ledger.settle_invoices(organizer, booking_id).position is None
    ledger.cancel_booking(booking_id, Actor(buyer))
    ledger.settle_invoices(organizer, booking_id)
    book = ledger.store.find_book(book_of(organizer))
    assert book is not None and book.seq == 4 and book.invoice_in_force(booking_id) is None


def test_invoice_numbers_of_200_concurrent_paid_orders_are_gapless_per_organizer(
        ledger: Ledger) -> None:
    """Two organizers' paid orders, their invoices asked for all at once, half by their buyers
    and half by the process manager's settling beside them."""
    organizers = [str(uuid4()), str(uuid4())]
    events = {}
    for number, organizer in enumerate(organizers):
        ledger.set_seller(organizer, {**SELLER, "prefix": f"ORG{number}-"})
        events[organizer] = taxed_event(ledger, organizer)
    bookings = []
    for _ in range(100):
        for organizer in organizers:
            booking_id, buyer = owed_booking(ledger, events[organizer], quantity=1)
            ledger.mark_paid(booking_id, Actor(organizer), "cash", None)
            bookings.append((organizer, booking_id, buyer))

    def ask(row: tuple[str, UUID, str]) -> str:
        organizer, booking_id, buyer = row
        asked = ledger.request_invoice(booking_id, BUYER, Actor(buyer)).view
        settled = ledger.settle_invoices(organizer, booking_id).view  # as the manager would
        assert settled["invoice"] == asked["invoice"]
        return str(asked["invoice"]["number"])

    with ThreadPoolExecutor(16) as pool:
        numbers = list(pool.map(ask, bookings))
    for index, organizer in enumerate(organizers):
        mine = sorted(n for (o, _, _), n in zip(bookings, numbers, strict=True) if o == organizer)
        assert mine == [f"ORG{index}-{seq:05d}" for seq in range(1, 101)]
        book = ledger.store.find_book(book_of(organizer))
        assert book is not None and book.seq == 100

def test_the_process_manager_issues_an_invoice_asked_at_checkout_once_paid(
        ledger: Ledger) -> None:
    organizer = str(uuid4())
    ledger.set_seller(organizer, SELLER)
    event_id = taxed_event(ledger, organizer)
    buyer = uuid4()
    hold = ledger.hold(event_id, user_id=buyer, user_name="Jane", category=None,
                       quantity=2).view
    refused("HOLD_NOT_FOUND", ledger.request_invoice_for_hold, hold["id"], BUYER,
            Actor(str(uuid4())))
    asked = ledger.request_invoice_for_hold(hold["id"], BUYER, Actor(str(buyer))).view
    assert asked["status"] == "requested"
    booking = ledger.confirm_hold(hold["id"]).view  # booked, owed: not invoiced yet
    catch_up.advance_all(ledger.eventlog)
    assert settle_invoices(ledger, ledger.eventlog) == []
    now = datetime.now(UTC)
    payment = started(payment_of_hold(hold["id"]), hold=hold, amount=4760, currency="EUR",
                      provider="stripe", intent_id="pi_1", now=now)
    payment.succeed(captured=4760, charge_id="ch_1", booking_id=booking["id"], notice_id=None,
                    now=now)
    ledger.store.append(payment)
    catch_up.advance_all(ledger.eventlog)
    assert len(settle_invoices(ledger, ledger.eventlog)) == 1
    assert settle_invoices(ledger, ledger.eventlog) == []  # once
    catch_up.advance_all(ledger.eventlog)
    with session_scope() as session:
        row = session.scalars(select(InvoiceRow).where(
            InvoiceRow.booking_id == booking["id"])).one()
    assert (row.number, row.gross, row.document["paid"]) == (
        "JAZZ-00001", Decimal("47.60"), {"provider": "stripe", "amount": "47.60"})
