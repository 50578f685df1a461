"""Payment methods behind the one port: money taken by hand (`commands/payments/offline/`) beside
a provider that takes the money first (in memory, as Stripe is), chosen per event. On the ledger's
own write side, no server: the quick tier. The same flow through HTTP is in
tests/query_api/routes/test_offline_checkout.py."""

from collections.abc import Iterator
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from bench.scenario import new_event
from commands.audit.verify import verify_store
from commands.domain import payment_methods
from commands.domain.errors import DomainError
from commands.ledger import Ledger
from commands.payments import registry
from commands.payments.in_memory import PAYS, InMemoryProvider
from commands.payments.offline.adapter import OfflineProvider, transfer_reference
from commands.payments.provider import PaymentProvider
from commands.payments.registry import methods_for
from core.settings import Settings
from tests.commands.given import new_event as new_event_state

OFFLINE = "offline"


@pytest.fixture
def ledger(sqlite_settings: Settings) -> Iterator[Ledger]:
    """A write side with a card provider in memory, and money by hand beside it."""
    made = Ledger(sqlite_settings, provider=InMemoryProvider())
    yield made
    made.close()


def paid_event(ledger: Ledger, price: str = "20.00") -> UUID:
    """A paid event whose organizers accept a card and a bank transfer."""
    event_id = new_event(ledger, categories=[
        {"name": "General", "price": Decimal(price), "capacity": 10}])
    ledger.update_event(event_id, {}, [], None, payment_methods=["memory", OFFLINE])
    return event_id


def held(ledger: Ledger, event_id: UUID, quantity: int = 2) -> UUID:
    hold = ledger.hold(event_id, user_id=uuid4(), user_name="Ann", category="General",
                       quantity=quantity).view
    return UUID(str(hold["id"]))


def problems(ledger: Ledger) -> list[str]:
    return [p["message"] for e in verify_store(ledger)["events"] for p in e["problems"]]


class _Refused:
    """`with _Refused(code):` the block raises a DomainError with `code`."""

    def __init__(self, code: str) -> None:
        self.code = code

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: object, tb: object) -> bool:
        assert isinstance(error, DomainError), f"expected {self.code}, got {error!r}"
        assert error.code == self.code
        return True


def test_the_registry_always_has_money_by_hand_and_a_card_only_when_set_up(
    sqlite_settings: Settings,
) -> None:
    methods = methods_for(sqlite_settings)
    assert list(methods) == [OFFLINE]
    assert methods[OFFLINE].books_seats_first
    assert not InMemoryProvider().books_seats_first


def test_the_reference_is_the_holds_own_and_the_same_when_asked_again() -> None:
    hold_id = uuid4()
    assert transfer_reference(hold_id) == transfer_reference(hold_id)
    assert transfer_reference(hold_id) != transfer_reference(uuid4())
    intent = OfflineProvider().start(hold_id=hold_id, attempt=1, amount=100, currency="EUR",
                                     payment_method="", description="")
    assert (intent.status, intent.reference) == ("awaiting_payment",
                                                 transfer_reference(hold_id))


def test_by_transfer_the_hold_is_booked_at_once_owed_then_marked_received(
    ledger: Ledger,
) -> None:
    event_id = paid_event(ledger)
    hold_id = held(ledger, event_id)
    payment = ledger.pay_hold(hold_id, None, None, OFFLINE).view
    assert payment["status"] == "awaiting_payment"
    assert payment["reference"] == transfer_reference(hold_id)
    assert (payment["amount"], payment["provider"]) == (Decimal("40.00"), OFFLINE)
    booking = ledger.booking(payment["booking_id"])
    assert booking["status"] == "confirmed" and len(booking["tickets"]) == 2

    again = ledger.pay_hold(hold_id, None, None, OFFLINE)
    assert again.replayed and again.view["booking_id"] == payment["booking_id"]
    with _Refused("OTHER_METHOD_STARTED"):  # begun by transfer: not paid a second way
        ledger.pay_hold(hold_id, None, PAYS)
    assert ledger.payment(hold_id)["reference"] == payment["reference"]
    assert problems(ledger) == []

    marked = ledger.mark_paid(payment["booking_id"], None, "bank_transfer", "BANK-42").view
    assert (marked["status"], marked["amount"], marked["method"]) == (
        "succeeded", Decimal("40.00"), "bank_transfer")
    with _Refused("ALREADY_PAID"):
        ledger.mark_paid(payment["booking_id"], None, "door", None)
    assert problems(ledger) == []


def test_a_transfer_refund_waits_for_its_organizer_to_give_it_back(ledger: Ledger) -> None:
    event_id = paid_event(ledger, "15.00")
    payment = ledger.pay_hold(held(ledger, event_id, 1), None, None, OFFLINE).view
    ledger.mark_paid(payment["booking_id"], None, "bank_transfer", None)
    ledger.cancel_booking(payment["booking_id"])
    assert ledger.settle_stale_payment(payment["payment_id"]) is None
    given = ledger.mark_refunded(payment["booking_id"], None, "Back by transfer").view
    assert (given["status"], given["refunded"]) == ("refunded", Decimal("15.00"))
    assert problems(ledger) == []


def test_a_booking_cancelled_while_its_transfer_is_awaited_owes_nothing_back(
    ledger: Ledger,
) -> None:
    payment = ledger.pay_hold(held(ledger, paid_event(ledger)), None, None, OFFLINE).view
    ledger.cancel_booking(payment["booking_id"])
    with _Refused("ALREADY_CANCELLED"):
        ledger.mark_paid(payment["booking_id"], None, "bank_transfer", None)
    with _Refused("NO_REFUND_OWED"):
        ledger.mark_refunded(payment["booking_id"], None, None)
    assert problems(ledger) == []


def test_an_event_that_refuses_a_method_refuses_it_and_books_nothing(ledger: Ledger) -> None:
    event_id = paid_event(ledger)
    ledger.update_event(event_id, {}, [], None, payment_methods=["memory"])
    hold_id = held(ledger, event_id)
    with _Refused("PAYMENT_METHOD_NOT_ACCEPTED"):
        ledger.pay_hold(hold_id, None, None, OFFLINE)
    assert ledger.hold_now(hold_id)["status"] == "active"
    assert ledger.pay_hold(hold_id, None, PAYS, "memory").view["status"] == "succeeded"
    with _Refused("UNKNOWN_PAYMENT_METHOD"):
        ledger.pay_hold(held(ledger, event_id), None, None, "cheque")
    with _Refused("PAYMENT_METHOD_NEEDED"):  # a card takes the buyer's payment method
        ledger.pay_hold(held(ledger, event_id), None, None, "memory")


def test_an_events_choice_names_methods_set_up_at_least_one(ledger: Ledger) -> None:
    event_id = paid_event(ledger)
    with _Refused("UNKNOWN_PAYMENT_METHOD"):
        ledger.update_event(event_id, {}, [], None, payment_methods=["cheque"])
    with _Refused("NO_PAYMENT_METHOD"):
        ledger.update_event(event_id, {}, [], None, payment_methods=[])
    chosen = ledger.update_event(event_id, {}, [], None, payment_methods=[OFFLINE, OFFLINE])
    assert chosen.view["payment_methods"] == [OFFLINE]
    assert ledger.update_event(event_id, {}, [], None, payment_methods=[OFFLINE]).position \
        is None  # the same choice: nothing recorded


def test_an_event_that_never_chose_accepts_the_default_then_its_choice_set_up() -> None:
    event = new_event_state()
    assert payment_methods.accepted(event, ["stripe", OFFLINE], ["stripe"]) == ["stripe"]
    event.choose_payment_methods([OFFLINE], registered=["stripe", OFFLINE])
    assert payment_methods.accepted(event, ["stripe", OFFLINE], ["stripe"]) == [OFFLINE]
    assert payment_methods.accepted(event, ["stripe"], ["stripe"]) == []  # no longer set up


def test_by_default_a_card_when_one_is_set_up_else_money_by_hand() -> None:
    with_card: dict[str, PaymentProvider] = {"memory": InMemoryProvider(),
                                             OFFLINE: OfflineProvider()}
    assert registry.by_default(with_card) == ["memory"]  # no seats booked owed unasked
    assert registry.by_default({OFFLINE: OfflineProvider()}) == [OFFLINE]


def test_an_event_that_never_chose_refuses_a_transfer_beside_a_card(ledger: Ledger) -> None:
    event_id = new_event(ledger, categories=[
        {"name": "General", "price": Decimal("20.00"), "capacity": 10}])
    hold_id = held(ledger, event_id)
    with _Refused("PAYMENT_METHOD_NOT_ACCEPTED"):
        ledger.pay_hold(hold_id, None, None, OFFLINE)
    assert ledger.pay_hold(hold_id, None, PAYS).view["status"] == "succeeded"
