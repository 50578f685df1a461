"""The local Stripe refuses Stripe's documented decline cards and passed expiry dates when the
card is entered, with Stripe's card errors, as a buyer trying them would expect."""

from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
import stripe

from ops.local_stripe import card_refusal
from tests.fixtures.payments import PUBLISHABLE_KEY
from tests.support.cards import GOOD_CARD, card

pytestmark = pytest.mark.provider


def entered(base: str, number: str, month: int, year: int) -> httpx.Response:
    """A card entered in Stripe.js (localstripe's): a token, with the publishable key."""
    return httpx.post(f"{base}/v1/tokens", data={
        "card[number]": number, "card[exp_month]": str(month), "card[exp_year]": str(year),
        "card[cvc]": "123", "key": PUBLISHABLE_KEY}, timeout=10)


def test_the_generic_decline_card_and_a_passed_expiry_are_refused_as_stripe_does(
    local_stripe: str,
) -> None:
    declined = entered(local_stripe, "4000000000000002", 12, 2034)
    assert declined.status_code == 402
    assert declined.json()["error"] == {"type": "card_error", "code": "card_declined",
                                        "decline_code": "generic_decline",
                                        "message": "Your card was declined."}
    expired = entered(local_stripe, GOOD_CARD, 1, 2020)
    assert expired.status_code == 402
    assert expired.json()["error"]["code"] == "invalid_expiry_year"
    assert entered(local_stripe, GOOD_CARD, 12, 2034).status_code == 200


def test_a_payment_method_of_a_decline_card_is_refused_and_a_good_one_made(
    provider: stripe.StripeClient,
) -> None:
    with pytest.raises(stripe.CardError) as refused:
        card(provider, "4000000000009995")
    assert refused.value.code == "card_declined"
    assert card(provider).startswith("pm_")


@pytest.mark.parametrize(("fields", "code"), [
    ({"card[number]": "4000 0000 0000 0069"}, "expired_card"),
    ({"card[number]": GOOD_CARD, "card[exp_month]": "10", "card[exp_year]": "26"},
     "invalid_expiry_month"),
    ({"card[number]": GOOD_CARD, "card[exp_month]": "11", "card[exp_year]": "2026"}, None),
    ({"card[number]": GOOD_CARD, "card[exp_month]": "", "card[exp_year]": "x"}, None),
])
def test_what_is_refused_and_what_is_not(fields: dict[str, Any], code: str | None) -> None:
    refusal = card_refusal(fields, date(2026, 11, 30))
    assert (refusal or {}).get("code") == code


def test_todays_month_is_not_passed() -> None:
    today = datetime.now(UTC).date()
    assert card_refusal({"card[number]": GOOD_CARD, "card[exp_month]": str(today.month),
                         "card[exp_year]": str(today.year)}, today) is None
