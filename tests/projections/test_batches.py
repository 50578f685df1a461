"""Folds write the same rows whatever the batch size: net changes in memory equal the SQL of
one event at a time."""

from datetime import timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from bench.scenario import book, new_event
from commands.application.seat_requests import SeatFields
from commands.domain.actor import Actor
from commands.ledger import Ledger
from core.db import session_scope
from projections import catch_up, registry, tracking
from projections.availability import EventRow
from projections.model import table_of
from projections.unit_of_work import TableChanges
from tests.support.history import busy_history, vouchers_used


def every_kind_of_event(ledger: Ledger) -> None:
    """Bookings, cancellations, check-ins, capacity, detail and organizer changes, cancelled
    events."""
    busy_history(ledger, events=2, bookings=9)
    event_id = new_event(ledger)
    first = book(ledger, event_id, 2)
    ledger.update_event(event_id, {"venue": "Arena", "max_tickets_per_user": 9}, [
        {"name": "General", "price": "30.00", "capacity": 120},
        {"name": "Balcony", "price": "5.00", "capacity": 4}])
    balcony = book(ledger, event_id, 1, "Balcony")
    ledger.check_in(event_id, first["tickets"][0]["code"], first["id"])
    ledger.update_event(event_id, {}, [{"name": "Balcony", "price": "6.00", "capacity": 8}])
    ledger.cancel_booking(balcony["id"])
    book(ledger, event_id, 3, "General")
    admin, kept, dropped = Actor(str(uuid4()), admin=True), str(uuid4()), str(uuid4())
    ledger.add_co_organizer(event_id, (kept, "Kim"), admin)
    ledger.add_co_organizer(event_id, (dropped, "Dan"), admin)
    ledger.remove_co_organizer(event_id, dropped, admin)
    ledger.transfer_event(event_id, (dropped, "Dan"), admin)  # a new organizer
    invitations(ledger, Actor(dropped))
    holds_and_lines(ledger)
    vouchers_used(ledger)
    ledger.cancel_event(event_id)  # cancels a booking with a used ticket too


def invitations(ledger: Ledger, organizer: Actor) -> None:
    """An organizer's invitations to co-organize: accepted, declined, withdrawn, pending."""
    event_id = new_event(ledger, organizer_id=organizer.id, organizer_name="Dan")
    invitees = [Actor(str(uuid4())) for _ in range(4)]
    for i, who in enumerate(invitees):
        ledger.add_co_organizer(event_id, (who.id, f"Invitee {i}"), organizer)
    ledger.accept_co_organizer(event_id, invitees[0])
    ledger.decline_co_organizer(event_id, invitees[1])
    ledger.remove_co_organizer(event_id, invitees[2].id, organizer)  # withdrawn


def holds_and_lines(ledger: Ledger) -> None:
    """Holds confirmed, released, expired and closed with their event; a line joined, left,
    offered seats, its offer taken."""
    event_id = new_event(ledger, categories=[
        {"name": "General", "price": Decimal("10.00"), "capacity": 3}])
    buyers: list[SeatFields] = [
        {"user_id": uuid4(), "user_name": f"Buyer {i}", "category": None, "quantity": 1}
        for i in range(6)]
    confirmed, released, _expiring = (ledger.hold(event_id, **buyers[i]).view["id"]
                                    for i in range(3))
    ledger.confirm_hold(confirmed)
    ledger.release_hold(released)
    clock = ledger.runner.clock
    ledger.runner.clock = lambda: clock() + timedelta(hours=1)  # the hold's time is up
    try:
        ledger.expire_holds(event_id)
    finally:
        ledger.runner.clock = clock
    book(ledger, event_id, 2)
    first, leaving, waiting = (ledger.join_waitlist(event_id, **buyers[i]).view["id"]
                               for i in range(3, 6))
    ledger.leave_waitlist(leaving)
    ledger.cancel_booking(ledger.confirm_hold(confirmed).view["id"])  # a seat back on sale
    [offer] = ledger.offer_to_waitlist(event_id).view["offers"]
    ledger.confirm_hold(offer)
    assert (first, waiting) and ledger.event(event_id).rank_of(waiting) == 1
    ledger.cancel_event(event_id)  # closes the line that still waits


def snapshot(name: str) -> dict[str, list[tuple[Any, ...]]]:
    with session_scope() as session:
        return registry.snapshot_tables(session, name)


@pytest.mark.parametrize("name", catch_up.PROJECTIONS)
def test_folds_write_the_same_rows_whatever_the_batch_size(any_ledger: Ledger, name: str) -> None:
    every_kind_of_event(any_ledger)
    model = registry.REGISTRY[name]
    # One event per batch: every change after the first reaches rows of earlier batches, in
    # SQL; larger batches net changes out in memory first.
    catch_up.advance(name, any_ledger.eventlog, batch_size=1)
    expected = snapshot(name)
    assert all(expected.values())
    for size in (2, 7, 5_000):
        with session_scope() as session:
            for table in model.tables:
                session.execute(table.delete())
            tracking.set_tracking(session, name, position=0)
        log = any_ledger.eventlog
        assert catch_up.advance(name, log, batch_size=size) == log.last()
        assert snapshot(name) == expected, f"batch size {size}"


def test_changes_to_one_row_net_out_in_event_order() -> None:
    changes, key = TableChanges(table_of(EventRow)), ("id",)
    changes.add(key, {"available_seats": -2})
    changes.set(key, {"available_seats": 10, "status": "active"})  # a set overrides earlier adds
    changes.add(key, {"available_seats": -3, "total_seats": 1})
    assert changes.sets[key] == {"available_seats": 7, "status": "active"}
    assert changes.adds[key] == {"total_seats": 1}
    changes.insert({"id": "new", "available_seats": 5, "total_seats": 5})
    changes.add(("new",), {"available_seats": -1})
    changes.set(("new",), {"status": "cancelled"})
    assert changes.inserts[("new",)] == {"id": "new", "available_seats": 4, "total_seats": 5,
                                         "status": "cancelled"}
    assert ("new",) not in changes.sets and ("new",) not in changes.adds


def test_upserts_add_up_and_indexed_updates_reach_rows_of_the_same_batch() -> None:
    tickets = registry.get("bookings").tables[1]
    changes = TableChanges(tickets, ["booking_id"])
    changes.insert({"code": "a", "booking_id": 1, "status": "active"})
    changes.insert({"code": "b", "booking_id": 1, "status": "active"})
    changes.set_where("booking_id", 1, {"status": "cancelled"})
    changes.set_where("booking_id", 2, {"status": "cancelled"})  # rows from earlier batches
    assert {r["status"] for r in changes.inserts.values()} == {"cancelled"}
    assert not changes.pending_where("booking_id", 1)
    assert changes.pending_where("booking_id", 2)
    daily = registry.get("revenue").tables[1]
    sums = TableChanges(daily)
    sums.upsert_add(("e", "d"), {"bookings": 1, "revenue": Decimal("2.50")})
    sums.upsert_add(("e", "d"), {"bookings": 1, "refunds": Decimal(1)})
    assert sums.upserts[("e", "d")] == {"bookings": 2, "revenue": Decimal("2.50"),
                                        "refunds": Decimal(1)}
