"""A payment given back in parts: each part asked for is at most what it may still give back,
one at a time, and each try at one part is named apart from the others at the provider."""

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from commands.domain.errors import Conflict
from commands.domain.payment import (
    REFUND_FAILED,
    REFUND_PENDING,
    REFUNDED,
    TICKETS_CANCELLED,
    Payment,
    started,
)

NOW = datetime(2030, 1, 1, tzinfo=UTC)


def paid(amount: int = 3000) -> Payment:
    payment = started(uuid4(), hold={"id": uuid4(), "event_id": uuid4(), "user_id": "u"},
                      amount=amount, currency="EUR", provider="stripe", intent_id="pi_1",
                      now=NOW)
    payment.succeed(captured=amount, charge_id="ch_1", booking_id=uuid4(), notice_id=None,
                    now=NOW)
    return payment


def test_a_refund_larger_than_what_the_payment_may_still_give_back_is_refused() -> None:
    payment = paid(3000)
    with pytest.raises(Conflict) as refused:
        payment.request_refund(reason=TICKETS_CANCELLED, now=NOW, amount=3001)
    assert refused.value.code == "REFUND_EXCEEDS_PAYMENT"

    payment.request_refund(reason=TICKETS_CANCELLED, now=NOW, amount=1000)
    with pytest.raises(Conflict) as busy:  # one part at a time
        payment.request_refund(reason=TICKETS_CANCELLED, now=NOW, amount=1000)
    assert busy.value.code == "REFUND_IN_PROGRESS"
    payment.refunded_by("re_1", now=NOW)
    assert (payment.status, payment.refunded, payment.refundable) == (REFUNDED, 1000, 2000)

    with pytest.raises(Conflict) as again:
        payment.request_refund(reason=TICKETS_CANCELLED, now=NOW, amount=2001)
    assert again.value.code == "REFUND_EXCEEDS_PAYMENT"
    payment.request_refund(reason="booking_cancelled", now=NOW)  # all that is left
    payment.refunded_by("re_2", now=NOW)
    assert (payment.refunded, payment.refundable) == (3000, 0)


def test_each_part_is_named_apart_and_its_retries_share_its_prefix() -> None:
    payment = paid(3000)
    payment.request_refund(reason=TICKETS_CANCELLED, now=NOW, amount=1000)
    first_prefix, first_key = payment.refund_prefix, payment.refund_key
    payment.refund_failed(reason="PROVIDER_UNAVAILABLE", message="no answer", now=NOW)
    assert payment.status == REFUND_FAILED
    payment.request_refund(reason=TICKETS_CANCELLED, now=NOW)  # retried: what is owed, again
    assert payment.refund_asked == 3000  # after a failure, all that may go back is asked
    assert payment.refund_prefix == first_prefix and payment.refund_key != first_key
    # An earlier try went through for its part (its answer lost): recorded, the rest still owed.
    payment.refunded_by("re_found", now=NOW, amount=1000)
    assert (payment.status, payment.refund_asked) == (REFUND_PENDING, 2000)
    assert payment.refund_prefix != first_prefix  # the rest is the next refund
    payment.refunded_by("re_rest", now=NOW)
    assert (payment.status, payment.refunded) == (REFUNDED, 3000)
