"""The payment rules, on the ledger's own write side with a payment provider in memory behind
the same port as Stripe (`commands/payments/in_memory.py`): no server, so they run in the quick
tier. The same flows through HTTP against localstripe are in tests/query_api/routes/."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from bench.scenario import new_event
from commands.application.payments import payment_of_hold
from commands.audit.verify import verify_store
from commands.domain.errors import Busy, DomainError
from commands.ledger import Ledger
from commands.payments.in_memory import DECLINES, NEEDS_THE_BUYER, PAYS, InMemoryProvider
from core.settings import Settings
from workers.refunds import resume_refunds


@pytest.fixture
def provider() -> InMemoryProvider:
    return InMemoryProvider()


@pytest.fixture
def paying(sqlite_settings: Settings, provider: InMemoryProvider) -> Iterator[Ledger]:
    """A write side that sells paid seats only against a payment, through `provider`."""
    ledger = Ledger(sqlite_settings, provider=provider)
    yield ledger
    ledger.close()


def event(ledger: Ledger, **prices: str) -> UUID:
    return new_event(ledger, categories=[
        {"name": name, "price": Decimal(price), "capacity": 20} for name, price in prices.items()])


def paid(ledger: Ledger, event_id: UUID, lines: list[tuple[str, int]],
         method: str = PAYS) -> tuple[dict[str, Any], dict[str, Any]]:
    """A hold of `lines`, paid: its payment's view and its booking's."""
    held = ledger.hold(event_id, user_id=uuid4(), user_name="Ann", category=None,
                       quantity=sum(n for _, n in lines), lines=lines).view
    payment = ledger.pay_hold(held["id"], None, method).view
    booking = ledger.booking(payment["booking_id"]) if payment.get("booking_id") else {}
    return payment, booking


def codes(booking: dict[str, Any]) -> list[str]:
    return [t["code"] for t in booking["tickets"]]


def money_ok(ledger: Ledger) -> list[str]:
    report = verify_store(ledger)
    return [p["message"] for e in report["events"] for p in e["problems"]]


def test_a_paid_hold_is_booked_once_and_its_notice_later_changes_nothing(
    paying: Ledger, provider: InMemoryProvider,
) -> None:
    payment, booking = paid(paying, event(paying, General="25.00"), [("General", 2)])
    assert (payment["status"], payment["amount"]) == ("succeeded", Decimal("50.00"))
    assert booking["status"] == "confirmed" and len(booking["tickets"]) == 2
    body, signature = provider.notice_of(payment["intent_id"])
    told = paying.payment_notice("memory", body, {"Memory-Signature": signature})
    assert told == {"received": True, "changed": False}
    with pytest.raises(DomainError) as forged:
        paying.payment_notice("memory", body, {"Memory-Signature": "0" * 64})
    assert forged.value.code == "INVALID_SIGNATURE"
    with pytest.raises(DomainError) as other:
        paying.payment_notice("stripe", body, {"Memory-Signature": signature})
    assert other.value.code == "PROVIDER_NOT_FOUND"
    assert money_ok(paying) == []


def test_a_declined_method_books_nothing_and_another_then_pays_with_one_charge(
    paying: Ledger, provider: InMemoryProvider,
) -> None:
    event_id = event(paying, General="10.00")
    held = paying.hold(event_id, user_id=uuid4(), user_name="Ann", category="General",
                       quantity=1).view
    with pytest.raises(DomainError) as declined:
        paying.pay_hold(held["id"], None, DECLINES)
    assert declined.value.code == "PAYMENT_DECLINED"
    again = paying.pay_hold(held["id"], None, PAYS).view
    assert again["status"] == "succeeded" and again["booking_id"]
    succeeded = [i for i, a in provider.attempts.items() if a.state.succeeded]
    assert succeeded == [again["intent_id"]]
    assert provider.attempts[next(iter(provider.attempts))].state.status == "canceled"


def test_an_earlier_attempt_paid_in_the_browser_is_the_payment(
    paying: Ledger, provider: InMemoryProvider,
) -> None:
    event_id = event(paying, General="10.00")
    held = paying.hold(event_id, user_id=uuid4(), user_name="Ann", category="General",
                       quantity=1).view
    with pytest.raises(DomainError):
        paying.pay_hold(held["id"], None, DECLINES)
    first = paying.payment(held["id"])["intent_id"]
    provider.pay_in_browser(first)
    again = paying.pay_hold(held["id"], None, PAYS).view
    assert (again["status"], again["intent_id"]) == ("succeeded", first)
    assert len(provider.attempts) == 1


def test_a_replaced_attempt_that_takes_money_is_given_back_in_full(
    paying: Ledger, provider: InMemoryProvider,
) -> None:
    event_id = event(paying, General="10.00")
    held = paying.hold(event_id, user_id=uuid4(), user_name="Ann", category="General",
                       quantity=1).view
    waiting = paying.pay_hold(held["id"], None, NEEDS_THE_BUYER).view
    payment = paying.store.find_payment(payment_of_hold(held["id"]))
    assert payment is not None
    payment.fail(reason="card_declined", message="declined", notice_id=None,
                 now=datetime.now(UTC))
    payment.restart("pi_later", now=datetime.now(UTC))  # the later attempt, recorded first
    paying.store.append(payment)
    provider.complete_action(waiting["intent_id"])  # then the earlier one pays
    body, signature = provider.notice_of(waiting["intent_id"])
    told = paying.payment_notice("memory", body, {"Memory-Signature": signature})
    assert told["changed"]
    [refund] = provider.refunds
    assert (refund.intent_id, refund.amount) == (waiting["intent_id"], 1000)
    assert money_ok(paying) == []


def test_refunds_by_ticket_whatever_the_first_line_costs(
    paying: Ledger, provider: InMemoryProvider,
) -> None:
    event_id = event(paying, Child="0.00", Adult="30.00")
    _, booking = paid(paying, event_id, [("Child", 1), ("Adult", 2)])
    child, adult, _ = codes(booking)
    assert paying.refund_tickets(booking["id"], [child]).view["status"] == "nothing_owed"
    assert paying.refund_tickets(booking["id"], [adult]).view["status"] == "refunded"
    paying.cancel_booking(booking["id"])
    assert sorted(r.amount for r in provider.refunds) == [3000, 3000]
    assert {r.tickets.split(":")[0] for r in provider.refunds} == {"1"}  # the free one: none
    assert money_ok(paying) == []


def test_a_failed_refund_asked_again_gives_back_what_it_owed_under_its_key(
    paying: Ledger, provider: InMemoryProvider,
) -> None:
    _, booking = paid(paying, event(paying, General="20.00"), [("General", 2)])
    first, _ = codes(booking)
    provider.down = True
    assert paying.refund_tickets(booking["id"], [first]).view["status"] == "refund_failed"
    provider.down = False
    retried = paying.retry_refund(booking["id"], None).view
    assert (retried["status"], retried["refunded"]) == ("refunded", Decimal("20.00"))
    assert [r.amount for r in provider.refunds] == [2000]
    assert paying.booking(booking["id"])["status"] == "confirmed"
    assert money_ok(paying) == []


def test_a_cancellation_while_a_ticket_refund_is_owed_asks_the_rest_and_both_are_made(
    paying: Ledger, provider: InMemoryProvider,
) -> None:
    _, booking = paid(paying, event(paying, General="20.00"), [("General", 3)])
    provider.down = True
    paying.refund_tickets(booking["id"], codes(booking)[:1])
    paying.cancel_booking(booking["id"])  # its refund fails too, while the first is owed
    provider.down = False
    later = datetime.now(UTC) + timedelta(hours=1)
    resume_refunds(paying, paying.eventlog, now=later)
    assert sorted(r.amount for r in provider.refunds) == [2000, 4000]
    assert money_ok(paying) == []


def test_an_event_cancelled_refunds_each_order_by_its_tickets(
    paying: Ledger, provider: InMemoryProvider,
) -> None:
    event_id = event(paying, Child="0.00", Adult="30.00")
    paid(paying, event_id, [("Child", 1), ("Adult", 1)])
    paid(paying, event_id, [("Adult", 1), ("Child", 1)])
    paying.cancel_event(event_id)
    resume_refunds(paying, paying.eventlog, now=datetime.now(UTC))
    assert sorted(r.amount for r in provider.refunds) == [3000, 3000]
    assert money_ok(paying) == []


def test_the_provider_away_leaves_a_refund_owed_not_lost(
    paying: Ledger, provider: InMemoryProvider,
) -> None:
    payment, booking = paid(paying, event(paying, General="20.00"), [("General", 1)])
    provider.down = True
    with pytest.raises(Busy):
        provider.look_up(payment["intent_id"])
    paying.cancel_booking(booking["id"])
    shown = paying.payment(payment["hold_id"])
    assert shown["status"] == "refund_failed"
    provider.down = False
    for minutes in (1, 2, 4):
        resume_refunds(paying, paying.eventlog,
                       now=datetime.now(UTC) + timedelta(minutes=minutes))
    assert [r.amount for r in provider.refunds] == [2000]
