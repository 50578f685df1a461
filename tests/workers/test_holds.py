"""Holds expire on their own, once, however many schedulers find them due; the lines' process
manager offers each seat that comes back once, also when it runs again after dying mid-offer
or runs twice at once."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, cast
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select

from bench.scenario import book, new_event
from commands.application.seat_requests import SeatFields
from commands.application.views import Outcome
from commands.ledger import Ledger
from core.db import read_scope
from core.settings import Settings
from projections.holds import PlaceRow
from projections.tracking import WAITLIST_OFFERS, tracking
from workers import holds, tasks

LATER = datetime.now(UTC) + timedelta(hours=1)  # every hold made now has expired by then


def one_seat_event(ledger: Ledger, seats: int = 1) -> UUID:
    return new_event(ledger, categories=[
        {"name": "General", "price": Decimal("20.00"), "capacity": seats}])


def buyer() -> SeatFields:
    return {"user_id": uuid4(), "user_name": "Ann", "category": None, "quantity": 1}


def stored(ledger: Ledger, event_id: UUID, kind: str) -> int:
    return sum(row.topic.endswith(f".{kind}") for row in ledger.recorder.select_events(event_id))


def test_two_schedulers_finding_holds_due_at_once_expire_each_once(
    ledgers: Callable[..., Ledger],
) -> None:
    shop = ledgers()
    event_id = one_seat_event(shop, seats=5)
    for _ in range(3):
        shop.hold(event_id, **buyer())
    schedulers = [ledgers(clock=lambda: LATER) for _ in range(2)]
    both_found_them = threading.Barrier(2)

    def tick(ledger: Ledger) -> list[int]:
        assert holds.events_with_holds_due(ledger.clock()) == [event_id]
        both_found_them.wait(timeout=10)
        return holds.expire_due(ledger)

    with ThreadPoolExecutor(2) as pool:
        appended = list(pool.map(tick, schedulers))

    assert sorted(len(a) for a in appended) == [0, 1]  # one append of three HoldExpired
    assert stored(shop, event_id, "HoldExpired") == 3
    assert schedulers[1].event(event_id).available("General") == 5
    assert holds.events_with_holds_due(LATER) == []  # the read table says so too


def test_places_in_line_end_when_their_event_starts(ledgers: Callable[..., Ledger]) -> None:
    shop = ledgers()
    event_id = new_event(shop, starts_at=datetime.now(UTC) + timedelta(minutes=30),
                         categories=[{"name": "General", "price": Decimal("20.00"),
                                      "capacity": 1}])
    book(shop, event_id)
    place = shop.join_waitlist(event_id, **buyer()).view["id"]
    assert holds.expire_due(shop) == []  # not started: the place waits

    started = ledgers(clock=lambda: LATER)
    assert holds.events_with_holds_due(LATER) == [event_id]
    assert holds.expire_due(started) != []

    assert stored(shop, event_id, "WaitlistLeft") == 1
    assert started.event(event_id).waitlist == {}
    with read_scope() as session:
        status = session.scalar(select(PlaceRow.status).where(PlaceRow.id == place))
    assert status == "closed"
    assert holds.events_with_holds_due(LATER) == []


def test_a_hold_not_yet_due_is_left_and_a_confirmed_one_is_not_expired(
    ledgers: Callable[..., Ledger],
) -> None:
    shop = ledgers()
    event_id = one_seat_event(shop, seats=3)
    kept = shop.hold(event_id, **buyer()).view["id"]
    shop.confirm_hold(kept)
    shop.hold(event_id, **buyer())
    assert holds.expire_due(shop) == []  # not due now
    assert holds.expire_due(ledgers(clock=lambda: LATER)) != []
    assert stored(shop, event_id, "HoldExpired") == 1


def test_the_process_manager_offers_a_released_seat_once_even_run_again_or_twice(
    ledgers: Callable[..., Ledger],
) -> None:
    shop = ledgers()
    event_id = one_seat_event(shop)
    sold = book(shop, event_id)
    places = [shop.join_waitlist(event_id, **buyer()).view["id"] for _ in range(2)]
    shop.cancel_booking(sold["id"])
    managers = [ledgers() for _ in range(2)]
    both_ready = threading.Barrier(2)

    def run(ledger: Ledger) -> list[int]:
        both_ready.wait(timeout=10)
        return holds.offer_released_seats(ledger, ledger.eventlog)

    with ThreadPoolExecutor(2) as pool:
        offered = list(pool.map(run, managers))

    assert sorted(len(o) for o in offered) == [0, 1]
    assert stored(shop, event_id, "SeatsHeld") == 1
    [offer] = shop.event(event_id).holds.values()
    assert offer["offer_for"] == str(places[0])  # the first in line
    assert holds.offer_released_seats(shop, shop.eventlog) == []  # nothing new since


def test_a_manager_killed_after_its_offer_but_before_moving_on_offers_nothing_twice(
    ledgers: Callable[..., Ledger],
) -> None:
    shop = ledgers()
    event_id = one_seat_event(shop)
    sold = book(shop, event_id)
    shop.join_waitlist(event_id, **buyer())
    shop.join_waitlist(event_id, **buyer())
    shop.cancel_booking(sold["id"])
    with read_scope() as session:
        before = session.scalar(select(tracking.c.position)
                                .where(tracking.c.name == WAITLIST_OFFERS)) or 0
    shop.offer_to_waitlist(event_id)  # the offer made, then the worker died: position not moved

    assert holds.offer_released_seats(ledgers(), shop.eventlog) == []  # the rerun

    assert stored(shop, event_id, "SeatsHeld") == 1
    with read_scope() as session:
        after = session.scalar(select(tracking.c.position)
                               .where(tracking.c.name == WAITLIST_OFFERS))
    assert after is not None and after > before


def test_an_expired_offer_passes_to_the_next_in_line(ledgers: Callable[..., Ledger]) -> None:
    shop = ledgers()
    event_id = one_seat_event(shop)
    sold = book(shop, event_id)
    first, second = (shop.join_waitlist(event_id, **buyer()).view["id"] for _ in range(2))
    shop.cancel_booking(sold["id"])
    holds.offer_released_seats(shop, shop.eventlog)
    later = ledgers(clock=lambda: LATER)

    holds.expire_due(later)
    holds.offer_released_seats(later, later.eventlog)

    [offer] = later.event(event_id).holds.values()
    assert offer["offer_for"] == str(second) != str(first)


class Asked:
    """A ledger that notes which events the process manager asks to offer to their lines."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.events: list[UUID] = []

    def clock(self) -> datetime:
        return self.ledger.clock()

    def offer_to_waitlist(self, event_id: UUID) -> Outcome:
        self.events.append(event_id)
        return self.ledger.offer_to_waitlist(event_id)


def test_only_events_with_a_place_waiting_are_asked_to_offer(
    ledgers: Callable[..., Ledger],
) -> None:
    shop = ledgers()
    lined, plain = one_seat_event(shop), one_seat_event(shop)
    sold = [book(shop, lined), book(shop, plain)]
    place = shop.join_waitlist(lined, **buyer()).view["id"]
    for booking in sold:
        shop.cancel_booking(booking["id"])
    manager = Asked(shop)

    holds.offer_released_seats(cast(Ledger, manager), shop.eventlog)

    assert manager.events == [lined]  # the plain event was neither locked nor loaded
    [offer] = shop.event(lined).holds.values()
    assert offer["offer_for"] == str(place)
    assert shop.event(plain).available("General") == 1  # back on sale to anyone


def test_the_manager_reads_no_further_than_the_lines_table_has_projected(
    any_settings: Settings, ledgers: Callable[..., Ledger],
) -> None:
    shop = ledgers()
    event_id = one_seat_event(shop)
    sold = book(shop, event_id)
    unprojected = Ledger(any_settings)  # its commits wake no projection
    try:
        place = unprojected.join_waitlist(event_id, **buyer()).view["id"]
        unprojected.cancel_booking(sold["id"])

        assert holds.offer_released_seats(shop, shop.eventlog) == []  # the place not yet seen
        assert shop.event(event_id).holds == {}
        tasks.wake(shop.eventlog.head())  # the read tables catch up
        assert len(holds.offer_released_seats(shop, shop.eventlog)) == 1
    finally:
        unprojected.close()
    [offer] = shop.event(event_id).holds.values()
    assert offer["offer_for"] == str(place)


def test_the_manager_reads_only_what_frees_seats_and_moves_past_the_rest(
    ledgers: Callable[..., Ledger], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Bookings alone free nothing: none of their entries is read, and the manager's position
    still moves to the head, so the next run starts there."""
    shop = ledgers()
    event_id = one_seat_event(shop, seats=10)
    for _ in range(3):
        book(shop, event_id)
    read: list[str] = []
    read_log = shop.eventlog.read

    def reading(*args: Any, **kwargs: Any) -> Any:
        found = read_log(*args, **kwargs)
        read.extend(entry.topic for entry in found)
        return found

    monkeypatch.setattr(shop.eventlog, "read", reading)
    assert holds.offer_released_seats(shop, shop.eventlog) == []
    assert read == []
    with read_scope() as session:
        position = session.scalar(select(tracking.c.position)
                                  .where(tracking.c.name == WAITLIST_OFFERS))
    assert position == shop.eventlog.head()

    sold = book(shop, event_id)
    shop.cancel_booking(sold["id"])  # frees a seat: the one entry read
    assert holds.offer_released_seats(shop, shop.eventlog) == []  # no one in line
    assert [topic.rsplit(".", 1)[-1] for topic in read] == ["BookingCancelled"]
