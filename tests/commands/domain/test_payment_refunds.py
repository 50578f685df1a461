"""A payment's refunds, decided by ticket: each names the tickets it gives back and asks their
price; a ticket is never asked back twice; a retry asks the same refund again, for what it
still owes, under the same key; several may be owed at once; refunds recorded before they were
numbered still replay."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from commands.domain.errors import Conflict
from commands.domain.payment import TICKETS_CANCELLED, Payment, started
from commands.domain.refunds import (
    REFUND_FAILED,
    REFUND_GRACE,
    REFUND_PENDING,
    REFUNDED,
)

NOW = datetime(2030, 1, 1, tzinfo=UTC)


def paid(amount: int = 3000) -> Payment:
    payment = started(uuid4(), hold={"id": uuid4(), "event_id": uuid4(), "user_id": "u"},
                      amount=amount, currency="EUR", provider="stripe", intent_id="pi_1",
                      now=NOW)
    payment.succeed(captured=amount, charge_id="ch_1", booking_id=uuid4(), notice_id=None,
                    now=NOW)
    return payment


def test_a_refund_asks_the_price_of_the_tickets_it_names_and_never_a_ticket_twice() -> None:
    payment = paid(3000)
    first = payment.request_refund(tickets={"a": 1000}, reason=TICKETS_CANCELLED, now=NOW)
    assert first is not None and (first.number, first.amount, first.tickets) == (1, 1000, ("a",))
    # The whole booking cancelled: every ticket, the one asked already left out.
    rest = payment.request_refund(tickets={"a": 1000, "b": 1000, "c": 1000},
                                  reason="booking_cancelled", now=NOW)
    assert rest is not None and (rest.number, rest.amount, rest.tickets) == (2, 2000, ("b", "c"))
    assert payment.request_refund(tickets={"a": 1000, "b": 1000}, reason="again", now=NOW) is None
    assert (payment.status, payment.refundable) == (REFUND_PENDING, 0)


def test_free_tickets_ask_nothing_and_more_than_was_captured_is_refused() -> None:
    payment = paid(3000)
    assert payment.request_refund(tickets={"child": 0}, reason=TICKETS_CANCELLED, now=NOW) is None
    with pytest.raises(Conflict) as refused:
        payment.request_refund(tickets={"a": 2000, "b": 1001}, reason="x", now=NOW)
    assert refused.value.code == "REFUND_EXCEEDS_PAYMENT"
    assert payment.refunds == []


def test_a_failed_refund_asked_again_owes_what_it_owed_under_the_same_key() -> None:
    payment = paid(4000)
    refund = payment.request_refund(tickets={"a": 2000}, reason=TICKETS_CANCELLED, now=NOW)
    assert refund is not None
    key = refund.key(payment.id)
    payment.refund_failed(refund, reason="PROVIDER_UNAVAILABLE", message="no answer", now=NOW)
    assert (payment.status, payment.refundable) == (REFUND_FAILED, 2000)  # still owed
    payment.ask_again(refund, now=NOW)
    assert (refund.status, refund.owed, refund.key(payment.id)) == (REFUND_PENDING, 2000, key)
    payment.refunded_by(refund, "re_1", now=NOW)
    assert (payment.status, payment.refunded, payment.refundable) == (REFUNDED, 2000, 2000)


def test_two_refunds_owed_at_once_are_made_and_failed_each_on_its_own() -> None:
    payment = paid(4000)
    first = payment.request_refund(tickets={"a": 2000}, reason=TICKETS_CANCELLED, now=NOW)
    second = payment.request_refund(tickets={"b": 2000}, reason="booking_cancelled", now=NOW)
    assert first is not None and second is not None
    assert first.prefix(payment.id) != second.prefix(payment.id)
    payment.refund_failed(first, reason="PROVIDER_UNAVAILABLE", message="no answer", now=NOW)
    assert payment.status == REFUND_PENDING  # the second is still being made
    payment.refunded_by(second, "re_2", now=NOW)
    assert (payment.status, payment.refunded) == (REFUND_FAILED, 2000)
    assert payment.refund_due() == NOW + timedelta(seconds=10)  # the failed one's backoff


def test_a_part_found_made_leaves_the_rest_owed_under_another_key() -> None:
    payment = paid(3000)
    refund = payment.request_refund(tickets={"a": 1500, "b": 1500}, reason="x", now=NOW)
    assert refund is not None
    key = refund.key(payment.id)
    payment.refunded_by(refund, "re_found", now=NOW, amount=1000)
    assert (refund.status, refund.owed) == (REFUND_PENDING, 2000)
    assert refund.key(payment.id) != key and refund.key(payment.id).startswith(
        refund.prefix(payment.id))
    assert payment.refund_due() == NOW + REFUND_GRACE


def test_refunds_recorded_before_they_were_numbered_replay_as_then() -> None:
    """A part, then a failure, then the old retry that asked all that was left: one refund,
    which owed what that retry asked."""
    payment = paid(3000)
    payment._refund_requested(amount=1000, reason=TICKETS_CANCELLED, requested_at=NOW)
    payment._refund_failed(reason="PROVIDER_UNAVAILABLE", message="no answer", failed_at=NOW)
    payment._refund_requested(amount=3000, reason=TICKETS_CANCELLED, requested_at=NOW)
    assert [(r.number, r.amount, r.status) for r in payment.refunds] == [(1, 3000, REFUND_PENDING)]
    payment._refund_succeeded(event_id=payment.event_id, refund_id="re_1", amount=3000,
                              refunded_at=NOW)
    assert (payment.status, payment.refunded) == (REFUNDED, 3000)
