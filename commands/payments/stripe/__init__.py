"""Stripe, one adapter of the payment provider port (`commands.payments.provider`), through
Stripe's official client: loaded only where a provider is set up, since the client costs a
process tens of MB."""
