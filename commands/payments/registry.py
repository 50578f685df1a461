"""The payment provider a deployment is set up with, made at first use: Stripe when its secret
key is set (`STRIPE_API_KEY`), none otherwise. Each adapter is imported only when chosen, so a
deployment without one never loads a provider's client."""

from commands.payments.provider import PaymentProvider
from core.settings import Settings


def provider_for(settings: Settings) -> PaymentProvider | None:
    if settings.stripe_api_key:
        from commands.payments.stripe.adapter import StripeProvider  # noqa: PLC0415

        return StripeProvider(settings)
    return None
