"""Commands on the write side, then the projections: the read rows say what happened."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import uuid4

from sqlalchemy import select

from bench.scenario import book, new_event
from commands.domain.booking import Booking
from commands.domain.claim import Claim
from commands.domain.event import Event
from commands.ledger import Ledger
from core.db import session_scope
from projections import catch_up, registry, tracking
from projections.availability import EventCategoryRow, EventRow
from projections.bookings import BookingRow, TicketRow
from projections.holds import HoldRow
from projections.revenue import EventStatsRow, SalesDailyRow
from projections.status import status
from projections.unit_of_work import Batch

CATEGORIES = [
    {"name": "General", "price": Decimal("10.00"), "capacity": 5},
    {"name": "VIP", "price": Decimal("50.00"), "capacity": 2},
]


def _rows(model: type, **where: object) -> list[Any]:
    with session_scope() as session:
        return list(session.scalars(select(model).filter_by(**where)).all())


def test_bookings_cancellations_and_check_ins_show_in_every_read_model(ledger: Ledger) -> None:
    event_id = new_event(ledger, categories=CATEGORIES)
    b1, b2, b3 = (book(ledger, event_id, 2, "General"),
                  book(ledger, event_id, 1, "VIP"), book(ledger, event_id, 3, "General"))
    cancelled = ledger.cancel_booking(b1["id"])
    checked = ledger.check_in(event_id, b2["tickets"][0]["code"], b2["id"])
    ledger.update_event(event_id, {"venue": "Arena"}, [
        {"name": "General", "price": "10.00", "capacity": 8},
        {"name": "Balcony", "price": "5.00", "capacity": 4},
    ])
    catch_up.advance_all(ledger.eventlog)

    (event,) = _rows(EventRow, id=event_id)
    assert (event.venue, event.status, event.total_seats, event.available_seats) == (
        "Arena", "active", 14, 10)
    assert event.version == ledger.event(event_id).version
    assert event.position == ledger.eventlog.last()  # the update was the last command
    cats = {c.name: (c.ordinal, c.price, c.capacity, c.sold) for c in _rows(EventCategoryRow)}
    assert cats == {"General": (0, Decimal("10.00"), 8, 3), "VIP": (1, Decimal("50.00"), 2, 1),
                    "Balcony": (2, Decimal("5.00"), 4, 0)}

    bookings = {b.id: b for b in _rows(BookingRow, event_id=event_id)}
    assert [bookings[b["id"]].status for b in (b1, b2, b3)] == ["cancelled", "confirmed",
                                                                "confirmed"]
    assert bookings[b1["id"]].cancelled_at is not None
    # A command answers the last position it wrote: the booking's own event, saved right after
    # the event's, which is what the read rows were folded from.
    assert cancelled.position is not None and checked.position is not None
    assert bookings[b1["id"]].position == cancelled.position - 1
    assert bookings[b2["id"]].position == checked.position - 1
    assert bookings[b3["id"]].total_amount == Decimal("30.00")
    tickets = {t.code: t for t in _rows(TicketRow, event_id=event_id)}
    assert len(tickets) == 6
    assert {tickets[t["code"]].status for t in b1["tickets"]} == {"cancelled"}
    assert tickets[b2["tickets"][0]["code"]].status == "used"
    assert tickets[b2["tickets"][0]["code"]].used_at is not None
    assert {tickets[t["code"]].status for t in b3["tickets"]} == {"active"}

    (stats,) = _rows(EventStatsRow, event_id=event_id)
    assert (stats.bookings_confirmed, stats.bookings_cancelled, stats.tickets_sold) == (2, 1, 4)
    assert (stats.revenue, stats.refunds) == (Decimal("100.00"), Decimal("20.00"))
    (day,) = _rows(SalesDailyRow, event_id=event_id)
    assert day.day == datetime.now(UTC).date()
    assert (day.bookings, day.tickets, day.revenue, day.refunds) == (
        3, 6, Decimal("100.00"), Decimal("20.00"))


def test_cancelling_the_event_cancels_and_refunds_every_booking(ledger: Ledger) -> None:
    event_id = new_event(ledger, categories=CATEGORIES)
    b1, b2 = book(ledger, event_id, 2, "General"), book(ledger, event_id, 1, "VIP")
    ledger.check_in(event_id, b2["tickets"][0]["code"], b2["id"])
    ledger.cancel_event(event_id)
    catch_up.advance_all(ledger.eventlog)

    (event,) = _rows(EventRow, id=event_id)
    assert (event.status, event.available_seats) == ("cancelled", 7)
    assert {b.status for b in _rows(BookingRow, event_id=event_id)} == {"cancelled"}
    assert {t.status for t in _rows(TicketRow, event_id=event_id)} == {"cancelled"}
    (stats,) = _rows(EventStatsRow, event_id=event_id)
    assert (stats.bookings_confirmed, stats.bookings_cancelled, stats.tickets_sold) == (0, 2, 0)
    assert (stats.revenue, stats.refunds) == (Decimal("70.00"), Decimal("70.00"))
    assert b1["total_amount"] == Decimal("20.00")


def test_tracking_moves_past_events_no_projection_uses(ledger: Ledger) -> None:
    event_id = new_event(ledger)
    book(ledger, event_id)
    top = ledger.eventlog.last()
    (last,) = ledger.recorder.select_notifications(start=top, limit=1)
    ignored = ledger.mapper.to_domain_event(last)
    assert isinstance(ignored, Booking.Registered)
    assert not any(type(ignored) in m.types for m in registry.REGISTRY.values())

    assert catch_up.advance_all(ledger.eventlog) == {name: top for name in catch_up.PROJECTIONS}
    with session_scope() as session:
        assert tracking.positions(session) == dict.fromkeys(catch_up.PROJECTIONS, top)


def test_status_reports_lag_until_the_projections_catch_up(ledger: Ledger) -> None:
    book(ledger, new_event(ledger))
    top = ledger.eventlog.last()
    assert [s["lag_events"] for s in status(ledger.eventlog)][:3] == [top] * 3
    assert tracking.wait_for(top, timeout=0.05) is False
    catch_up.advance(catch_up.PROJECTIONS[0], ledger.eventlog)
    assert tracking.wait_for(top, names=catch_up.PROJECTIONS[:1], timeout=0)
    catch_up.advance_all(ledger.eventlog)
    report = [s for s in status(ledger.eventlog) if s["name"] in catch_up.PROJECTIONS]
    assert {(s["position"], s["head"], s["lag_events"]) for s in report} == {(top, top, 0)}
    assert all(s["updated_at"] is not None and s["last_error"] is None for s in report)


def test_every_stream_event_is_folded_without_the_database(ledger: Ledger) -> None:
    event_id = new_event(ledger, categories=CATEGORIES)
    booking = book(ledger, event_id, 2, "VIP")
    ledger.check_in(event_id, booking["tickets"][0]["code"], booking["id"])
    held = ledger.hold(event_id, user_id=uuid4(), user_name="Ann", category="General",
                       quantity=1)
    ledger.confirm_hold(held.view["id"])
    ledger.update_event(event_id, {"name": "Renamed"}, [
        {"name": "VIP", "price": "60.00", "capacity": 3},
        {"name": "Extra", "price": "1.00", "capacity": 1}])
    ledger.cancel_event(event_id)
    for n in ledger.recorder.select_notifications(start=1, limit=100):
        domain_event = ledger.mapper.to_domain_event(n)
        readers = [m for m in registry.REGISTRY.values() if type(domain_event) in m.types]
        for model in readers:  # a batch with no connection: folding touches no database
            batch = Batch(model.live, model.indexed)
            model.fold(batch, domain_event, n.id)
            walk_up = isinstance(domain_event, Event.SeatsBooked) and not domain_event.hold_id
            # A booking ends a hold only when it confirms one: to `holds`, a walk-up is nothing.
            assert batch.pending or (model.name == "holds" and walk_up), (
                model.name, type(domain_event).__name__)
        # A booking's or a hold's own stream: the read side reads the same facts from its
        # event's.
        if not isinstance(domain_event, Booking.Registered | Booking.Cancelled
                          | Booking.TicketUsed | Claim.Made):
            assert readers, type(domain_event).__name__


def test_a_confirmation_recorded_as_before_leaves_the_rows_one_event_leaves_now(
    ledger: Ledger,
) -> None:
    def checkout(event_id: Any) -> tuple[Any, Any]:
        hold_id = ledger.hold(event_id, user_id=uuid4(), user_name="Ann", category="General",
                              quantity=2).view["id"]
        return hold_id, ledger.event(event_id).holds[str(hold_id)]

    now_form, before_form = new_event(ledger, categories=CATEGORIES), new_event(
        ledger, categories=CATEGORIES)
    hold_id, _ = checkout(now_form)
    confirmed = ledger.confirm_hold(hold_id).view
    old_hold_id, hold = checkout(before_form)
    event, booking_id = ledger.event(before_form), uuid4()
    # As confirmations were recorded before they were one SeatsBooked naming the hold.
    event.trigger_event(Event.HoldConfirmed, hold_id=old_hold_id, user_id=hold["user_id"],
                        category="General", quantity=2, offer_for=None, booking_id=booking_id,
                        confirmed_at=datetime.now(UTC))
    event.trigger_event(Event.SeatsBooked, booking_id=booking_id, user_id=hold["user_id"],
                        user_name="Ann", category="General", quantity=2,
                        unit_price=hold["unit_price"], ticket_codes=["a1", "a2"],
                        booked_at=datetime.now(UTC))
    ledger.store.append(event)
    catch_up.advance_all(ledger.eventlog)

    for event_id, held, booked in ((now_form, hold_id, confirmed["id"]),
                                   (before_form, old_hold_id, booking_id)):
        (row,) = _rows(EventRow, id=event_id)
        general = {c.name: c for c in _rows(EventCategoryRow, event_id=event_id)}["General"]
        assert (row.available_seats, general.sold, general.held) == (5, 2, 0)
        (hold_row,) = _rows(HoldRow, id=held)
        assert (hold_row.status, hold_row.booking_id) == ("confirmed", booked)
        assert hold_row.ended_at is not None
        assert len(_rows(BookingRow, event_id=event_id)) == 1
