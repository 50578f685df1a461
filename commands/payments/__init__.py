"""The payment provider as the write side reaches it: Stripe's official client, and money in
the provider's units."""
