"""Replay the whole store through the aggregates, as a load test of history itself."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from commands.audit.store import notifications
from commands.ledger import Ledger


@dataclass
class Replayed:
    events: int = 0
    streams: int = 0
    failed: dict[UUID | str, str] = field(default_factory=dict)


def replay_store(ledger: Ledger, progress: Callable[[int], None] | None = None) -> Replayed:
    """Rebuild every aggregate from its stored events; a stream that does not replay is noted."""
    aggregates: dict[UUID | str, Any] = {}
    result = Replayed()
    for batch in notifications(ledger):
        for n in batch:
            result.events += 1
            if n.originator_id in result.failed:
                continue
            try:
                event: Any = ledger.mapper.to_domain_event(n)
                aggregates[n.originator_id] = event.mutate(aggregates.get(n.originator_id))
            except Exception as exc:  # note the stream, keep replaying the others
                result.failed[n.originator_id] = f"version {n.originator_version}: {exc}"
        if progress is not None:
            progress(batch[-1].id)
    result.streams = len(aggregates.keys() | result.failed.keys())
    return result
