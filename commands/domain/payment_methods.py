"""The payment methods an event accepts: pure rules over its state.

The methods themselves are the deployment's (`commands.payments.registry`); the rules are given
their names. An event that never chose accepts the deployment's default (`registry.by_default`:
a provider that takes the money first when one is set up, else money by hand), so that seats
are never booked owed unless its organizers said so; one that chose accepts those of its choice
the deployment still has.
"""

from collections.abc import Sequence

from commands.domain.errors import Conflict, DomainError
from commands.domain.lifecycle import require_open
from commands.domain.state import EventState
from core import error_codes as codes


def chosen(event: EventState, methods: Sequence[str],
           registered: Sequence[str]) -> list[str] | None:
    """The methods an open event's organizers choose, each set up, at least one, each once;
    None when its choice stays as it is."""
    require_open(event)
    unknown = [name for name in methods if name not in registered]
    if unknown:
        raise DomainError(f"No payment method {unknown[0]!r} is set up on this server",
                          code=codes.UNKNOWN_PAYMENT_METHOD)
    named = list(dict.fromkeys(methods))
    if not named:
        raise DomainError("An event accepts at least one payment method",
                          code=codes.NO_PAYMENT_METHOD)
    return None if named == event.payment_methods else named


def accepted(event: EventState, registered: Sequence[str],
             default: Sequence[str]) -> list[str]:
    """The methods its buyers may pay with now, in the deployment's order (`default`: those of
    an event that never chose)."""
    choice = default if event.payment_methods is None else event.payment_methods
    return [name for name in registered if name in choice]


def require_accepted(event: EventState, method: str, registered: Sequence[str],
                     default: Sequence[str]) -> None:
    """Refuse a method the event does not accept (PAYMENT_METHOD_NOT_ACCEPTED)."""
    if method not in accepted(event, registered, default):
        raise Conflict(f"This event does not accept payment by {method!r}",
                       code=codes.PAYMENT_METHOD_NOT_ACCEPTED)
