"""The payment methods a deployment has, each an adapter behind the port, made at first use:
money taken by hand (`offline/`) always, Stripe when its secret key is set (`STRIPE_API_KEY`).
Each adapter is imported only when registered, so a deployment without Stripe never loads its
client. A new provider is one adapter package and one line here."""

from commands.payments.offline.adapter import OfflineProvider
from commands.payments.provider import PaymentMethods, PaymentProvider
from core.settings import Settings


def methods_for(settings: Settings) -> PaymentMethods:
    """Every method set up, by name, in the order a buyer is offered them."""
    methods: dict[str, PaymentProvider] = {}
    if settings.stripe_api_key:
        from commands.payments.stripe.adapter import StripeProvider  # noqa: PLC0415

        methods[StripeProvider.name] = StripeProvider(settings)
    methods[OfflineProvider.name] = OfflineProvider()
    return methods


def with_offline(provider: PaymentProvider | None) -> PaymentMethods:
    """The methods of a ledger given its provider (a test's own): it, and money by hand."""
    methods: dict[str, PaymentProvider] = {} if provider is None else {provider.name: provider}
    methods[OfflineProvider.name] = OfflineProvider()
    return methods


def by_default(methods: PaymentMethods) -> list[str]:
    """What an event that never chose accepts: the providers that take the money first when
    one is set up (seats are booked owed only where the organizers chose it), else money by
    hand, as before there were methods to choose."""
    first = [name for name, method in methods.items() if not method.books_seats_first]
    return first or list(methods)


def money_first(methods: PaymentMethods) -> PaymentProvider | None:
    """The provider that takes the money itself, before booking (a card), if one is set up."""
    return next((m for m in methods.values() if not m.books_seats_first), None)
