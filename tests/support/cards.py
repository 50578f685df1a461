"""Cards and payments as Stripe.js and Stripe's dashboard make them, against localstripe
(`tests/fixtures/payments.py`): what happens outside the ledger in the payment tests."""

from typing import Any

import stripe

GOOD_CARD, DECLINED_CARD = "4242424242424242", "4000000000000341"
THREE_D_SECURE_CARD = "4000002500003155"  # asks for 3-D Secure


def card(provider: stripe.StripeClient, number: str = GOOD_CARD) -> str:
    """A card's PaymentMethod id, as Stripe.js makes it in the browser."""
    params: Any = {"type": "card", "card": {"number": number, "exp_month": 12,
                                            "exp_year": 2034, "cvc": "123"}}
    return str(provider.v1.payment_methods.create(params=params).id)


def charged_elsewhere(provider: stripe.StripeClient, hold_id: str, amount: int) -> str:
    """An intent for the hold made and paid at the provider without the ledger's knowledge."""
    params: Any = {"amount": amount, "currency": "eur", "payment_method": card(provider),
                   "metadata": {"hold_id": hold_id}, "confirm": True}
    return str(provider.v1.payment_intents.create(params=params).id)
