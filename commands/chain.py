"""Tamper evidence: every domain event carries a hash chained to the previous one of its stream.

chain(v) = sha256(chain(v - 1) || canonical JSON of event v), with chain(0) = GENESIS, where
the canonical JSON holds the stream id, version, type, recorded time and payload (sorted keys,
compact, UTF-8). An event seals itself the first time it is applied to its aggregate, i.e.
when a command triggers it; loaded from the store it already carries its `chain` and only
hands it on. Pure computation: `tools/verify_export.py` redoes it with the standard library.
"""

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

GENESIS = "0" * 64
ENVELOPE = frozenset({"originator_id", "originator_version", "timestamp", "chain"})


def plain(value: Any) -> Any:
    """A JSON value in the API's formats: decimals as strings, ISO times, UUID strings."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date | UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def iso(moment: datetime) -> str:
    """ISO 8601 with its zone, UTC written `Z` as the rest of the API does."""
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def payload(event: Any) -> dict[str, Any]:
    """The event's own fields (not its stream, version, time or hash) as plain JSON values."""
    return {k: plain(v) for k, v in vars(event).items() if k not in ENVELOPE}


def document(event: Any) -> dict[str, Any]:
    """What an event's hash covers."""
    return {
        "stream": str(event.originator_id),
        "version": event.originator_version,
        "type": type(event).__name__,
        "recorded_at": iso(event.timestamp),
        "payload": payload(event),
    }


def canonical(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def link(previous: str, doc: dict[str, Any]) -> str:
    """The hash of `doc` chained to the hash before it."""
    return hashlib.sha256(previous.encode() + canonical(doc)).hexdigest()


def stored_chain(event: Any) -> str | None:
    """The hash an event carries (None for one recorded before chaining existed)."""
    found = vars(event).get("chain")
    return found if isinstance(found, str) else None


def _seal(event: Any, aggregate: Any, previous: str) -> None:
    if stored_chain(event) is None:
        object.__setattr__(event, "chain", link(previous, document(event)))  # frozen dataclass
    aggregate.chain_head = event.chain


class ChainedEvent(Aggregate.Event):
    """Base of every domain event after the first: chained to the stream's previous hash."""

    def apply(self, aggregate: Any) -> None:
        super().apply(aggregate)
        _seal(self, aggregate, getattr(aggregate, "chain_head", GENESIS))


class ChainedCreated(Aggregate.Created):
    """Base of every stream's first event: chained to GENESIS."""

    def apply(self, aggregate: Any) -> None:
        super().apply(aggregate)
        _seal(self, aggregate, GENESIS)
