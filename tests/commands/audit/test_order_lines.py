"""Verify checks orders across categories from the record: each event's lines against its single
fields, a confirmation against its hold's lines, a cancellation against what its booking has
left per category, a payment against its lines' total, a booking's own stream against its
event's lines. Events forged past the aggregate's checks (still chained) are reported."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from bench.scenario import new_event
from commands.application.payments import payment_of_hold
from commands.audit.verify import verify_store
from commands.domain.event import Event
from commands.domain.payment import started
from commands.ledger import Ledger
from core.money import to_minor
from tests.support.history import orders_across_categories
from tests.support.tampering import edit_row

CATEGORIES = [{"name": "General", "price": Decimal("10.00"), "capacity": 5},
              {"name": "VIP", "price": Decimal("50.00"), "capacity": 2}]
ORDER = [("General", 2), ("VIP", 1)]


def line(category: str, quantity: int, price: str) -> dict[str, Any]:
    return {"category": category, "quantity": quantity, "unit_price": Decimal(price)}


def forge(ledger: Ledger, event_id: UUID, kind: type[Any], **fields: Any) -> None:
    """Append a domain event without the command's checks, as buggy code could."""
    event = ledger.event(event_id)
    event.trigger_event(kind, **fields)
    ledger.store.append(event)


def problems(ledger: Ledger, event_id: UUID, *ignored: str) -> list[tuple[str, str]]:
    """The event's problems (rule, message), but those of the rules `ignored`."""
    report = verify_store(ledger)
    [found] = [e for e in report["events"] if e["event_id"] == str(event_id)]
    return [(p["rule"], p["message"]) for p in found["problems"] if p["rule"] not in ignored]


def held(quantity: int, lines: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {"hold_id": uuid4(), "user_id": "eve", "user_name": "Eve", "category": "General",
            "quantity": quantity, "unit_price": Decimal("10.00"),
            "expires_at": now + timedelta(minutes=10), "held_at": now, "offer_for": None,
            "lines": lines} | fields


def order(ledger: Ledger) -> tuple[UUID, dict[str, Any]]:
    """An event of two categories and a booking across both, through the ledger."""
    event_id = new_event(ledger, categories=CATEGORIES)
    hold_id = ledger.hold(event_id, user_id=uuid4(), user_name="Ann", category=None,
                          quantity=3, lines=ORDER).view["id"]
    return event_id, ledger.confirm_hold(hold_id).view


def test_orders_made_by_the_ledger_break_no_rule(any_ledger: Ledger) -> None:
    event_id = orders_across_categories(any_ledger)
    expiring = any_ledger.event(event_id)
    expiring.expire_holds(now=datetime.now(UTC) + timedelta(hours=1))
    any_ledger.store.append(expiring)
    _, booking = order(any_ledger)
    any_ledger.cancel_booking(booking["id"])

    report = verify_store(any_ledger)

    assert report["ok"], [e["problems"] for e in report["events"]]


def test_lines_that_disagree_with_their_single_fields_or_name_a_category_twice_are_reported(
    ledger: Ledger,
) -> None:
    event_id = new_event(ledger, categories=CATEGORIES)
    forge(ledger, event_id, Event.SeatsHeld,  # 4 seats in all, lines of 3
          **held(4, [line("General", 2, "10.00"), line("VIP", 1, "50.00")]))
    forge(ledger, event_id, Event.SeatsHeld,
          **held(2, [line("General", 1, "10.00"), line("General", 1, "10.00")]))
    forge(ledger, event_id, Event.SeatsHeld,  # its single fields are the VIP line's
          **held(2, [line("General", 1, "10.00"), line("VIP", 1, "50.00")],
                 category="VIP", unit_price=Decimal("50.00")))

    found = problems(ledger, event_id)

    assert [rule for rule, _ in found] == ["lines"] * 3, found
    assert "lines of 3 seats, 4 in all" in found[0][1]
    assert "named twice" in found[1][1]
    assert "single fields other than its first line's" in found[2][1]


def test_a_confirmation_booking_other_lines_than_its_hold_is_reported(ledger: Ledger) -> None:
    event_id = new_event(ledger, categories=CATEGORIES)
    hold = held(3, [line("General", 2, "10.00"), line("VIP", 1, "50.00")])
    forge(ledger, event_id, Event.SeatsHeld, **hold)
    booking_id = uuid4()
    forge(ledger, event_id, Event.SeatsBooked, booking_id=booking_id, user_id="eve",
          user_name="Eve", category="General", quantity=3, unit_price=Decimal("10.00"),
          ticket_codes=[uuid4().hex for _ in range(3)], booked_at=datetime.now(UTC),
          hold_id=hold["hold_id"], offer_for=None,
          lines=[line("General", 1, "10.00"), line("VIP", 2, "50.00")])

    found = problems(ledger, event_id, "booking_stream")  # forged: no stream of its own

    assert found == [("hold", f"booking {booking_id} is not the seats hold "
                              f"{hold['hold_id']} held")]


def test_cancellations_beyond_what_a_booking_has_left_of_a_category_are_reported(
    ledger: Ledger,
) -> None:
    event_id, booking = order(ledger)
    general, vip = booking["tickets"][0]["code"], booking["tickets"][2]["code"]
    common = {"booking_id": booking["id"], "user_id": str(booking["user_id"]),
              "reason": "customer", "cancelled_at": datetime.now(UTC), "cancelled_by": "customer",
              "stated_reason": None}
    ledger.refund_tickets(booking["id"], [vip])  # the VIP seat: none of it left
    forge(ledger, event_id, Event.TicketsCancelled, category="VIP", quantity=1,
          ticket_codes=[general], refund=Decimal("50.00"),  # a General ticket, said VIP
          lines=[line("VIP", 1, "50.00")], **common)
    forge(ledger, event_id, Event.BookingCancelled, category="General", quantity=2,
          refund=Decimal("20.00"), **common)  # across categories, yet no lines

    found = problems(ledger, event_id, "booking_stream")

    assert found == [
        ("cancellation", f"tickets cancelled of {booking['id']} name other seats than booked, "
                         "or all it had left"),
        ("cancellation", f"tickets cancelled of {booking['id']} refund 50.00, not the price "
                         "of 1 seats"),
        ("cancellation", f"cancellation of {booking['id']} names other seats than booked")]


def test_a_cancellation_refunding_other_prices_than_booked_is_reported(ledger: Ledger) -> None:
    event_id, booking = order(ledger)
    forge(ledger, event_id, Event.BookingCancelled, booking_id=booking["id"],
          user_id=str(booking["user_id"]), category="General", quantity=3,
          refund=Decimal("150.00"), reason="customer", cancelled_at=datetime.now(UTC),
          cancelled_by="customer", stated_reason=None,
          lines=[line("General", 2, "50.00"), line("VIP", 1, "50.00")])

    found = problems(ledger, event_id, "booking_stream")

    assert found == [("cancellation", f"cancellation of {booking['id']} refunds its seats at "
                                      "other prices than booked")]


def test_a_refund_other_than_its_lines_total_is_reported(ledger: Ledger) -> None:
    event_id, booking = order(ledger)
    forge(ledger, event_id, Event.TicketsCancelled, booking_id=booking["id"],
          user_id=str(booking["user_id"]), category="VIP", quantity=1,
          ticket_codes=[booking["tickets"][2]["code"]], refund=Decimal("10.00"),
          reason="customer", cancelled_at=datetime.now(UTC), cancelled_by="customer",
          stated_reason=None, lines=[line("VIP", 1, "50.00")])

    found = problems(ledger, event_id, "booking_stream")

    assert ("lines", f"tickets cancelled of {booking['id']}: refund 10.00, its lines cost "
                     "50.00") in found


def test_a_payment_for_other_than_its_lines_total_is_reported(ledger: Ledger) -> None:
    event_id = new_event(ledger, categories=CATEGORIES)
    held_view = ledger.hold(event_id, user_id=uuid4(), user_name="Ann", category=None,
                            quantity=3, lines=ORDER).view
    booking = ledger.confirm_hold(held_view["id"]).view
    wrong = to_minor(held_view["unit_price"] * held_view["quantity"], "EUR")  # first price only
    now = datetime.now(UTC)
    payment = started(payment_of_hold(held_view["id"]), hold=held_view, amount=wrong,
                      currency="EUR", provider="stripe", intent_id="pi_lines", now=now)
    payment.succeed(captured=wrong, charge_id="ch_lines", booking_id=booking["id"],
                    notice_id=None, now=now)
    ledger.store.append(payment)

    found = problems(ledger, event_id)

    assert found == [("payment", f"payment {payment.id} captured 3000 for booking "
                                 f"{booking['id']}, whose total is 7000")]


def test_a_booking_stream_telling_other_lines_is_reported(any_ledger: Ledger) -> None:
    _, booking = order(any_ledger)
    edit_row(any_ledger, booking["id"], 1, lines=[  # the same seats, other categories' share
        {"category": "General", "quantity": 1, "unit_price": "10.00"},
        {"category": "VIP", "quantity": 2, "unit_price": "50.00"}])

    report = verify_store(any_ledger)

    assert not report["chain"]["ok"]  # an edit in place breaks the chain, as anywhere
    found = [(p["rule"], p["message"]) for e in report["events"] for p in e["problems"]]
    assert ("booking_stream", f"booking {booking['id']} differs on its own stream: seats") in found
