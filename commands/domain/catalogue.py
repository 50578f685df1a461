"""Every domain event the ledger records, found on its aggregates, with what it declares
(`commands.domain.declared`): the one place the lists the rest of the system keeps are derived
from (webhook types, the buyers' messages' triggers, the waitlists' triggers, the auditors' labels
and filter, personal fields)."""

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from eventsourcing.utils import get_topic

from commands.domain.booking import Booking
from commands.domain.chain import ChainedCreated, ChainedEvent
from commands.domain.claim import Claim
from commands.domain.declared import Declared, Seats
from commands.domain.erasure import Erasure
from commands.domain.event import Event
from commands.domain.invoices import InvoiceBook
from commands.domain.payment import Payment

# Each aggregate, by what its stream is to an auditor.
STREAMS = {"event": Event, "booking": Booking, "claim": Claim, "payment": Payment,
           "invoice_book": InvoiceBook, "erasure": Erasure}


@dataclass(frozen=True)
class Kind:
    """One kind of domain event: its class's name, its stream, its stored topic, what it
    declares."""

    name: str
    stream: str
    topic: str
    declared: Declared


@cache
def kinds() -> tuple[Kind, ...]:
    """Every kind, in the order its aggregate nests them."""
    return tuple(_found())


def _found() -> Iterator[Kind]:
    for stream, aggregate in STREAMS.items():
        for name, value in vars(aggregate).items():
            if isinstance(value, type) and issubclass(value, ChainedEvent | ChainedCreated):
                declared = getattr(value, "declared", None)
                if not isinstance(declared, Declared):
                    raise TypeError(f"{stream} event {name} declares nothing "
                                    "(commands.domain.declared)")
                yield Kind(name, stream, get_topic(value), declared)


def of_stream(stream: str) -> tuple[Kind, ...]:
    return tuple(kind for kind in kinds() if kind.stream == stream)


def webhook_types() -> dict[str, str]:
    """Each event sent to webhooks, by its class's name: its public type."""
    return {k.name: k.declared.public for k in kinds() if k.declared.public is not None}


def mail_topics() -> frozenset[str]:
    """The stored topics of the events that may make a buyer's message."""
    return frozenset(k.topic for k in kinds() if k.declared.mail)


def mail_makers() -> frozenset[str]:
    """The names of the events that may make a buyer's message."""
    return frozenset(k.name for k in kinds() if k.declared.mail)


def seat_topics(*effects: Seats) -> frozenset[str]:
    """The stored topics of the events that do one of `effects` to seats or lines."""
    return frozenset(k.topic for k in kinds() if k.declared.seats in effects)
