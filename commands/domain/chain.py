"""Tamper evidence: every domain event carries a hash chained to the previous one of its stream.

chain(v) = sha256(chain(v - 1) || canonical JSON of event v's document), with chain(0) =
GENESIS; canonical JSON and the link are `core.proofs.canonical`'s. An event seals itself the
first time it is applied to its aggregate, i.e. when a command triggers it; loaded from the
store it already carries its `chain` and only hands it on. Pure computation:
`tools/verify_export.py` redoes it with the standard library.

The document is {form: 2, stream, version, type, recorded_at, payload}, where each ticket code
(an event class's `secret` fields) is written as its digest, "sha256:" + hex: audit views and
exports show that digest, never the code, and still verify. Events sealed before digests
(stored without `chain_form`) are form 1: their document has no `form` key and holds the raw
codes. An event's stored form decides which document its hash must match, and a form-2 event
is never followed by a form-1 one in its stream.
"""

import hashlib
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

from core.personal import Personal
from core.proofs.canonical import GENESIS, chain_link

FORM = 2  # what the hash of a newly sealed event covers
LEGACY = 1  # raw ticket codes in the document, no `form` key
DIGEST = "sha256:"
# Fields an upcast added to an event recorded without them: not part of what its hash covered
# (nor of its payload in audit views and exports, which show what was recorded).
UPCAST = "upcast_fields"
ENVELOPE = frozenset({"originator_id", "originator_version", "timestamp", "chain", "chain_form",
                      UPCAST})


AS_IS = frozenset({str, int, float, bool, type(None)})  # JSON already: most of an event's fields


def plain(value: Any) -> Any:
    """A JSON value in the API's formats: decimals as strings, ISO times, UUID strings."""
    if type(value) in AS_IS:  # the exact type: a str or int subclass goes the long way
        return value
    if isinstance(value, datetime):  # before `date`, which it is too
        return iso(value)
    if isinstance(value, Decimal | date | UUID):
        return str(value)
    if isinstance(value, Personal):  # sealed: hashed as stored, never in the clear
        value = value.plain()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def iso(moment: datetime) -> str:
    """ISO 8601 with its zone, UTC written `Z` as the rest of the API does."""
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def digest(code: str) -> str:
    """What audit views show for a ticket code: its sha256, which cannot open the door."""
    return DIGEST + hashlib.sha256(code.encode()).hexdigest()


def _digested(value: Any) -> Any:
    if isinstance(value, str):
        return digest(value)
    return [digest(v) for v in value] if isinstance(value, list | tuple) else value


def payload(event: Any, *, codes: bool = False) -> dict[str, Any]:
    """The event's own fields as plain JSON values; its secret fields as digests unless `codes`."""
    secret = () if codes else getattr(type(event), "secret", ())
    fields = vars(event)
    added = fields.get(UPCAST, ())
    return {k: plain(_digested(v) if k in secret else v)
            for k, v in fields.items() if k not in ENVELOPE and k not in added}


def has_secrets(event: Any) -> bool:
    """Whether the event holds a ticket code (its payload differs once redacted)."""
    return any(vars(event).get(k) for k in getattr(type(event), "secret", ()))


def form(event: Any) -> int:
    """The form of the document the event's hash covers (LEGACY when it was sealed before)."""
    found = vars(event).get("chain_form")
    return found if isinstance(found, int) else LEGACY


def document(event: Any) -> dict[str, Any]:
    """What an event's hash covers, in the event's own form."""
    doc = {
        "stream": str(event.originator_id),
        "version": event.originator_version,
        "type": type(event).__name__,
        "recorded_at": iso(event.timestamp),
    }
    if form(event) == LEGACY:
        return doc | {"payload": payload(event, codes=True)}
    return doc | {"form": form(event), "payload": payload(event)}


def stored_aggregate(event: Any) -> str:
    """The aggregate a stored event names in its topic (`Event`, `BookingRef`, `ClaimRef`):
    what auditors read, whatever the class is called in the code now."""
    return get_topic(type(event)).partition(":")[2].split(".")[0]


def stored_chain(event: Any) -> str | None:
    """The hash an event carries (None for one recorded before chaining existed)."""
    found = vars(event).get("chain")
    return found if isinstance(found, str) else None


def _seal(event: Any, aggregate: Any, previous: str) -> None:
    if stored_chain(event) is None:
        object.__setattr__(event, "chain_form", FORM)  # frozen dataclass
        object.__setattr__(event, "chain", chain_link(previous, document(event)))
    aggregate.chain_head = event.chain


class ChainedEvent(Aggregate.Event):
    """Base of every domain event after the first: chained to the stream's previous hash."""

    secret: ClassVar[tuple[str, ...]] = ()  # fields holding ticket codes: hashed as digests

    def apply(self, aggregate: Any) -> None:
        super().apply(aggregate)
        _seal(self, aggregate, getattr(aggregate, "chain_head", GENESIS))


class ChainedCreated(Aggregate.Created):
    """Base of every stream's first event: chained to GENESIS."""

    secret: ClassVar[tuple[str, ...]] = ()

    def apply(self, aggregate: Any) -> None:
        super().apply(aggregate)
        _seal(self, aggregate, GENESIS)
