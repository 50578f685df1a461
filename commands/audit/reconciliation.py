"""The ledger's money held against the payment provider's own records, one to one.

For a period, every PaymentIntent and refund the provider lists (its official client, every
page) is matched by its id with what the payments' streams recorded in that period: an intent
that took money on one side only, a refund on one side only, either with another amount, or a
refund for other tickets than the ledger's refund named (their count and digest, in the
refund's metadata), is a problem naming both sides. Intents that took no money on either side
(declined, cancelled, waiting for the buyer) are not problems. The ledger's side is read from
the log, never from a read model; the provider's side from its adapter
(`PaymentProvider.settled_between`).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from commands.audit.store import notifications
from commands.domain.payment import OFFLINE, STORED_AS
from commands.ledger import Ledger
from commands.payments.provider import Moved, PaymentProvider, tickets_named

PAYMENT_TOPICS = STORED_AS + "."
DEFAULT_PERIOD = timedelta(days=30)  # the period when none is given: the last 30 days


@dataclass(frozen=True)
class Money:
    """One intent's or refund's money as one side tells it (minor unit)."""

    id: str
    amount: int
    currency: str
    payment_id: str | None = None  # the ledger's payment stream
    intent_id: str | None = None  # a refund's intent
    tickets: str | None = None  # a refund's tickets as named at the provider; None: unnamed


@dataclass
class Sides:
    """What took money, and what gave it back, as one side tells it."""

    taken: dict[str, Money] = field(default_factory=dict)  # by intent id
    given_back: dict[str, Money] = field(default_factory=dict)  # by refund id


def ledger_side(ledger: Ledger, since: datetime, until: datetime) -> Sides:
    """The intents whose success, and the refunds whose success, the ledger recorded within
    [since, until): those through the provider (money taken at the door or by transfer never
    reached it)."""
    sides = Sides()
    currencies: dict[str, tuple[str, str]] = {}  # payment -> (currency, its current intent)
    tickets: dict[tuple[str, int], str] = {}  # (payment, refund) -> its tickets as named
    for e in _payment_events(ledger):
        key, name = str(e.originator_id), type(e).__name__
        if name == "PaymentStarted" and e.provider != OFFLINE:
            currencies[key] = (e.currency, e.intent_id)
        elif name == "PaymentRestarted" and key in currencies:
            currencies[key] = (currencies[key][0], e.intent_id)
        elif name == "RefundRequested" and e.number is not None and e.tickets is not None:
            tickets[(key, e.number)] = tickets_named(e.tickets)
        if not since <= e.timestamp < until or key not in currencies:
            continue
        currency, intent = currencies[key]
        if name in ("PaymentSucceeded", "SupersededIntentSucceeded"):
            sides.taken[e.intent_id] = Money(e.intent_id, int(e.captured), currency, key)
        elif name == "RefundSucceeded":
            sides.given_back[e.refund_id] = Money(
                e.refund_id, int(e.amount), currency, key, intent,
                tickets.get((key, e.number)) if e.number is not None else None)
    return sides


def _payment_events(ledger: Ledger) -> Iterator[Any]:
    for batch in notifications(ledger):
        for n in batch:
            if n.topic.startswith(PAYMENT_TOPICS):
                yield ledger.mapper.to_domain_event(n)


def provider_side(provider: PaymentProvider, since: datetime, until: datetime) -> Sides:
    """The payments and refunds that succeeded, created within [since, until), as the
    provider lists them."""
    taken, given_back = provider.settled_between(since, until)
    return Sides({m.id: _money(m) for m in taken}, {m.id: _money(m) for m in given_back})


def _money(moved: Moved) -> Money:
    return Money(moved.id, moved.amount, moved.currency, intent_id=moved.intent_id,
                 tickets=moved.tickets)


@dataclass(frozen=True)
class Reconciliation:
    """A period's two sides, how many of their intents and refunds agree, and every
    disagreement."""

    since: datetime
    until: datetime
    ledger: Sides
    provider: Sides
    matched: int
    problems: list[dict[str, Any]]


def reconcile_period(ledger: Ledger, provider: PaymentProvider, since: datetime,
                     until: datetime) -> Reconciliation:
    """The ledger's side and the provider's for [since, until), matched one to one: what
    `ledger reconcile` prints and a reconciliation run records."""
    ours = ledger_side(ledger, since, until)
    theirs = provider_side(provider, since, until)
    matched, problems = match(ours, theirs)
    return Reconciliation(since, until, ours, theirs, matched, problems)


def match(ledger: Sides, provider: Sides) -> tuple[int, list[dict[str, Any]]]:
    """How many intents and refunds both sides tell alike, and each disagreement: `kind`, the
    provider's `id`, the ledger's payment, the refund's intent, both amounts, a sentence."""
    matched, problems = 0, []
    for what, ours, theirs in (("payment", ledger.taken, provider.taken),
                               ("refund", ledger.given_back, provider.given_back)):
        for key in sorted(ours.keys() | theirs.keys()):
            mine, other = ours.get(key), theirs.get(key)
            told = mine or other
            if told is None:  # never: a key of one side or the other
                continue
            if mine is not None and other is not None and (mine.amount, mine.currency) == (
                    other.amount, other.currency) and _same_tickets(mine, other):
                matched += 1
                continue
            if mine is not None and other is not None and not _same_tickets(mine, other):
                kind, message = f"{what}_tickets_differ", (
                    f"{what} {key}: for tickets {mine.tickets} in the ledger, "
                    f"{other.tickets or 'none named'} at the provider")
            elif other is None:
                kind, message = f"{what}_only_in_ledger", (
                    f"the ledger recorded {what} {key}; the provider has no such success")
            elif mine is None:
                kind, message = f"{what}_only_at_provider", (
                    f"the provider has {what} {key}; the ledger recorded no such success")
            else:
                kind, message = f"{what}_amount_differs", (
                    f"{what} {key}: {mine.amount} {mine.currency} in the ledger, "
                    f"{other.amount} {other.currency} at the provider")
            problems.append({
                "kind": kind, "id": key, "message": message,
                "payment_id": mine.payment_id if mine else None,
                "intent_id": (mine and mine.intent_id) or (other and other.intent_id),
                "ledger_amount": mine.amount if mine else None,
                "provider_amount": other.amount if other else None,
                "currency": told.currency,
            })
    return matched, problems


def _same_tickets(mine: Money, other: Money) -> bool:
    """Whether a refund gives back the same tickets on both sides: the ledger's refund names
    them (one recorded before refunds named tickets does not, nor a payment's own)."""
    return not mine.tickets or mine.tickets == other.tickets
