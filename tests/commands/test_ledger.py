"""The Ledger on a real SQLite store: idempotency, ownership, ticket codes, concurrent writers."""

import base64
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from commands.domain.actor import Actor
from commands.domain.errors import Busy, Conflict, DomainError, NotFound
from commands.ledger import Ledger, utcnow
from tests.fixtures.ledgers import LedgerFactory


@pytest.fixture
def ledger(make_ledger: LedgerFactory) -> Ledger:
    """A writer on `make_ledger`'s store file (not the migrated store of the shared `ledger`)."""
    return make_ledger()


def create(ledger: Ledger, capacity: int = 20, **overrides: Any) -> UUID:
    starts = datetime.now(UTC) + timedelta(days=30)
    fields: dict[str, Any] = {
        "name": "Gig", "description": "", "venue": "Club", "starts_at": starts,
        "ends_at": None, "currency": "EUR", "max_tickets_per_user": None,
        "categories": [{"name": "General", "price": "15.00", "capacity": capacity}],
    }
    event_id: UUID = ledger.create_event(**(fields | overrides)).view["id"]
    return event_id


def book(ledger: Ledger, event_id: UUID, user: UUID, quantity: int = 1,
         key: str | None = None, category: str | None = None) -> dict[str, Any]:
    return ledger.book(event_id, user_id=user, user_name="Someone", category=category,
                       quantity=quantity, idempotency_key=key).view


def sold(ledger: Ledger, event_id: UUID, category: str = "General") -> int:
    return ledger.event(event_id).categories[category]["sold"]


class TestIdempotencyKey:
    def test_a_retry_returns_the_first_booking_and_books_nothing_more(self, ledger: Ledger) -> None:
        event_id, user = create(ledger), uuid4()
        first = ledger.book(event_id, user_id=user, user_name="Ann", category=None,
                            quantity=2, idempotency_key="k-1")

        again = ledger.book(event_id, user_id=user, user_name="Ann", category=None,
                            quantity=2, idempotency_key="k-1")

        assert again.replayed and not first.replayed
        assert again.view == first.view
        assert sold(ledger, event_id) == 2
        assert len(ledger.event(event_id).bookings) == 1

    def test_the_same_key_with_a_different_body_is_a_conflict(self, ledger: Ledger) -> None:
        event_id, user = create(ledger), uuid4()
        book(ledger, event_id, user, 2, key="k-1")

        with pytest.raises(Conflict) as conflict:
            book(ledger, event_id, user, 3, key="k-1")

        assert conflict.value.code == "IDEMPOTENCY_KEY_REUSED"
        assert sold(ledger, event_id) == 2

    def test_the_same_key_on_another_event_is_a_conflict(self, ledger: Ledger) -> None:
        first, second, user = create(ledger), create(ledger), uuid4()
        book(ledger, first, user, key="k-1")

        with pytest.raises(Conflict):
            book(ledger, second, user, key="k-1")

        assert sold(ledger, second) == 0

    def test_keys_belong_to_their_user(self, ledger: Ledger) -> None:
        event_id = create(ledger)

        ann = book(ledger, event_id, uuid4(), key="k-1")
        bob = book(ledger, event_id, uuid4(), key="k-1")

        assert ann["id"] != bob["id"]
        assert sold(ledger, event_id) == 2

    def test_concurrent_retries_of_one_key_book_once(self, make_ledger: LedgerFactory) -> None:
        ledgers = [make_ledger(), make_ledger()]
        event_id, user = create(ledgers[0]), uuid4()

        def attempt(n: int) -> UUID:
            booking_id: UUID = book(ledgers[n % 2], event_id, user, 2, key="k-1")["id"]
            return booking_id

        with ThreadPoolExecutor(6) as pool:
            ids = set(pool.map(attempt, range(6)))

        assert len(ids) == 1
        assert sold(make_ledger(), event_id) == 2


class TestCancelBooking:
    def test_only_the_owner_may_cancel_others_get_not_found(self, ledger: Ledger) -> None:
        event_id, owner = create(ledger), uuid4()
        booking_id = book(ledger, event_id, owner, 2)["id"]

        with pytest.raises(NotFound) as refusal:
            ledger.cancel_booking(booking_id, Actor(str(uuid4())))

        assert refusal.value.code == "BOOKING_NOT_FOUND"
        assert ledger.booking(booking_id)["status"] == "confirmed"
        assert sold(ledger, event_id) == 2

    def test_the_owner_cancels_and_the_seats_are_free(self, ledger: Ledger) -> None:
        event_id, owner = create(ledger, capacity=2), uuid4()
        booking_id = book(ledger, event_id, owner, 2)["id"]

        view = ledger.cancel_booking(booking_id, Actor(str(owner))).view

        assert view["status"] == "cancelled"
        assert {t["status"] for t in view["tickets"]} == {"cancelled"}
        assert book(ledger, event_id, uuid4(), 2)["status"] == "confirmed"

    def test_an_admin_cancels_any_booking_with_a_reason(self, ledger: Ledger) -> None:
        event_id = create(ledger)
        booking_id = book(ledger, event_id, uuid4())["id"]

        admin = Actor(str(uuid4()), admin=True)
        with pytest.raises(DomainError) as refusal:
            ledger.cancel_booking(booking_id, admin)
        assert refusal.value.code == "REASON_REQUIRED"
        view = ledger.cancel_booking(booking_id, admin, "Paid twice").view
        assert (view["status"], view["cancelled_by"], view["cancellation_reason"]) == (
            "cancelled", "admin", "Paid twice")
        assert ledger.booking(booking_id)["cancellation_reason"] == "Paid twice"

    def test_an_unknown_booking_is_not_found(self, ledger: Ledger) -> None:
        with pytest.raises(NotFound) as refusal:
            ledger.cancel_booking(uuid4())
        assert refusal.value.code == "BOOKING_NOT_FOUND"

    def test_a_booking_on_an_unknown_event_is_not_found(self, ledger: Ledger) -> None:
        with pytest.raises(NotFound) as refusal:
            book(ledger, uuid4(), uuid4())
        assert refusal.value.code == "EVENT_NOT_FOUND"


class TestTicketCodes:
    def test_codes_are_unique_and_carry_128_random_bits(self, ledger: Ledger) -> None:
        event_id = create(ledger, capacity=200)
        codes = [t["code"] for _ in range(40)
                 for t in book(ledger, event_id, uuid4(), 5)["tickets"]]

        assert len(codes) == len(set(codes)) == 200
        for code in codes:
            assert len(code) == 22
            assert len(base64.urlsafe_b64decode(code + "==")) == 16

    def test_a_code_checks_in_on_its_event(self, ledger: Ledger) -> None:
        event_id, elsewhere = create(ledger), create(ledger)
        booked = book(ledger, event_id, uuid4())
        other = book(ledger, event_id, uuid4())
        [ticket] = booked["tickets"]

        ledger.check_in(event_id, ticket["code"], booked["id"])

        with pytest.raises(DomainError) as refusal:
            ledger.check_in(event_id, ticket["code"], booked["id"])
        assert refusal.value.code == "TICKET_ALREADY_USED"
        # The code is checked against the booking's own stream, and the booking's event.
        for event, booking in ((event_id, other["id"]), (elsewhere, booked["id"])):
            with pytest.raises(DomainError) as refusal:
                ledger.check_in(event, other["tickets"][0]["code"] if booking == booked["id"]
                                else ticket["code"], booking)
            assert refusal.value.code == "TICKET_NOT_FOUND"


def interfering_clock(act: Callable[[], object], times: int) -> Callable[[], datetime]:
    """A clock that lets another writer append first, the first `times` it is read."""
    remaining = [times]

    def now() -> datetime:
        if remaining[0] > 0:
            remaining[0] -= 1
            act()
        return utcnow()

    return now


class TestConcurrentWriters:
    def test_a_writer_that_lost_the_race_retries_on_fresh_state(
        self, make_ledger: LedgerFactory
    ) -> None:
        other = make_ledger()
        event_id = create(other, capacity=2)
        racer = make_ledger(clock=interfering_clock(lambda: book(other, event_id, uuid4()), 1))

        with pytest.raises(DomainError) as refusal:
            book(racer, event_id, uuid4(), 2)

        assert racer.retries == 1
        assert refusal.value.code == "NOT_ENOUGH_SEATS"
        assert sold(racer, event_id) == 1

    def test_retries_are_bounded(self, make_ledger: LedgerFactory,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
        other = make_ledger()
        event_id = create(other, capacity=50)
        racer = make_ledger(clock=interfering_clock(lambda: book(other, event_id, uuid4()), 99))
        monkeypatch.setattr(racer.settings, "command_max_attempts", 3)

        with pytest.raises(Busy) as refusal:
            book(racer, event_id, uuid4())

        assert refusal.value.code == "WRITE_CONFLICT"
        assert racer.retries == 3
        assert sold(racer, event_id) == 3

    def test_two_ledgers_in_threads_sell_exactly_the_capacity(
        self, make_ledger: LedgerFactory
    ) -> None:
        ledgers = [make_ledger(), make_ledger()]
        event_id = create(ledgers[0], capacity=20)
        start = threading.Barrier(8)

        def writer(n: int) -> list[str]:
            start.wait()
            outcomes = []
            for _ in range(4):
                try:
                    book(ledgers[n % 2], event_id, uuid4())
                    outcomes.append("booked")
                except DomainError as refusal:
                    outcomes.append(refusal.code)
            return outcomes

        with ThreadPoolExecutor(8) as pool:
            results = Counter(code for codes in pool.map(writer, range(8)) for code in codes)

        assert results == {"booked": 20, "SOLD_OUT": 12}
        event = make_ledger().event(event_id)
        assert event.categories["General"]["sold"] == 20
        assert sum(b["quantity"] for b in event.bookings.values()) == 20

    def test_a_failing_wake_up_never_fails_the_command(self, make_ledger: LedgerFactory) -> None:
        def broken(_position: int) -> None:
            raise ConnectionError("broker down")

        ledger = make_ledger(on_commit=broken)
        event_id = create(ledger)

        outcome = ledger.book(event_id, user_id=uuid4(), user_name="A", category=None, quantity=1)

        assert outcome.position is not None
        assert sold(ledger, event_id) == 1
