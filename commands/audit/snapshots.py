"""Verify the snapshots, full and counts': each one against its stream's events replayed to its
version.

Loading checks a snapshot's seal and chain (`commands.store.snapshot_seal`), which proves who wrote
it and which events it claims to summarise, not that its state is what they add up to. This
replays every stream that has snapshots, one stream at a time (one aggregate in memory), and
compares each snapshot's state with the replayed aggregate's, as the snapshot's state dict.
"""

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.domain import Snapshot
from eventsourcing.persistence import EventStore, StoredEvent
from eventsourcing.utils import get_topic
from sqlalchemy import text

from commands.domain.chain import stored_chain
from commands.domain.snapshot import EventSnapshot
from commands.ledger import Ledger
from commands.store.snapshot_seal import SNAPSHOT_TOPIC, SnapshotSeal, unsealed
from commands.store.snapshots import COUNTS, RECORDS
from core.db import get_engine

# Snapshots as this library writes them unsealed (taken before sealing), still compared.
READABLE = frozenset({SNAPSHOT_TOPIC, get_topic(Snapshot)})


def verify_snapshots(ledger: Ledger) -> dict[str, Any]:
    """`{ok, checked, unsealed, bad: [{event_id, version, problem}]}` over every snapshot, the
    full ones and the counts' (whose problems say so)."""
    checked, sealed, bad = 0, 0, []
    for stream, versions in _snapshot_versions(ledger):
        for version, kind, problem, is_sealed in _check_stream(ledger, stream, versions):
            checked += 1
            sealed += is_sealed
            if problem:
                bad.append({"event_id": str(stream), "version": version,
                            "problem": f"{KINDS[kind].label}{problem}"})
    return {"ok": not bad, "checked": checked, "unsealed": checked - sealed, "bad": bad}


class Kind(NamedTuple):
    """A kind of snapshot: its store, how it is taken of an aggregate, how its problems start."""

    store: Callable[[Ledger], EventStore[UUID] | None]
    take: Callable[[Any], Any]
    label: str


KINDS = {
    RECORDS: Kind(lambda ledger: ledger.snapshots, Snapshot.take, ""),
    COUNTS: Kind(lambda ledger: ledger.store.counts, EventSnapshot.take_counts,
                 "counts' snapshot: "),
}


def _snapshot_versions(ledger: Ledger) -> Iterator[tuple[UUID, dict[int, list[str]]]]:
    """Each stream that has snapshots, and the kinds at each version."""
    streams: dict[UUID, dict[int, list[str]]] = {}
    for kind, of in KINDS.items():
        store = of.store(ledger)
        if store is None:
            continue
        table = str(getattr(store.recorder, "events_table_name", "snapshots"))
        query = text(f"SELECT originator_id, originator_version FROM {table} "  # noqa: S608 - the store's own name
                     "ORDER BY originator_id, originator_version")
        with get_engine().execution_options(read_only=True).connect() as conn:
            rows = conn.execute(query).all()
        for stream, version in rows:
            key = stream if isinstance(stream, UUID) else UUID(str(stream))
            streams.setdefault(key, {}).setdefault(int(version), []).append(kind)
    yield from streams.items()


def _check_stream(
    ledger: Ledger, stream: UUID, versions: dict[int, list[str]]
) -> Iterator[tuple[int, str, str | None, bool]]:
    """(version, kind, problem or None, sealed) for each snapshot of one stream, while
    replaying it once."""
    wanted = dict(versions)
    aggregate: Any = None
    for row in ledger.recorder.select_events(stream, lte=max(versions)):
        event: Any = ledger.mapper.to_domain_event(row)
        aggregate = event.mutate(aggregate)
        version = row.originator_version
        for kind in wanted.pop(version, []):
            yield version, kind, *_compare(ledger, kind, stream, version, aggregate,
                                           stored_chain(event))
    for version in sorted(wanted):
        for kind in wanted[version]:
            yield version, kind, *_compare(ledger, kind, stream, version, None, None)


def _compare(  # noqa: PLR0913 - the snapshot, and what it is compared with
    ledger: Ledger, kind: str, stream: UUID, version: int, replayed: Any, chain: str | None
) -> tuple[str | None, bool]:
    """What is wrong with the snapshot at `version` (None: nothing), and whether it is sealed."""
    store = KINDS[kind].store(ledger)
    assert store is not None  # noqa: S101 - only called when its snapshots exist
    [stored] = store.recorder.select_events(stream, gt=version - 1, lte=version)
    seal = store.mapper.cipher
    is_sealed = isinstance(seal, SnapshotSeal) and seal.sealed(stored.state)
    return _problem(ledger, stored, replayed, chain, KINDS[kind].take), is_sealed


def _problem(ledger: Ledger, stored: StoredEvent, replayed: Any, chain: str | None,
             take: Callable[[Any], Any]) -> str | None:
    snapshot = _decoded(ledger, stored)
    if isinstance(snapshot, str):
        return snapshot
    if replayed is None:
        return "no stored event at its version"
    expected = _state(ledger, replayed, take)
    if snapshot.topic != expected["topic"]:
        return f"a snapshot of a {snapshot.topic}, but the stream is a {expected['topic']}"
    recorded = getattr(snapshot, "chain", None) or snapshot.state.get("chain_head")
    if recorded != chain:
        return "its chain hash is not the stored event's at its version"
    found = _state(ledger, snapshot.mutate(None), take)
    differ = sorted(k for k in found.keys() | expected.keys() if found.get(k) != expected.get(k))
    return f"state differs from its events replayed: {', '.join(differ)}" if differ else None


def _decoded(ledger: Ledger, stored: StoredEvent) -> Any:
    """The snapshot, seal or not (a problem as a string when it cannot be read)."""
    if stored.topic not in READABLE:  # checked before decoding: a topic names a class to build
        return f"not a snapshot: topic {stored.topic!r}"
    try:
        return ledger.mapper.to_domain_event(StoredEvent(
            stored.originator_id, stored.originator_version, stored.topic,
            unsealed(stored.state)[0]))
    except Exception as exc:  # an unreadable row is evidence, not a crash
        return f"unreadable: {exc}"


def _state(ledger: Ledger, aggregate: Any, take: Callable[[Any], Any]) -> dict[str, Any]:
    """The aggregate as a snapshot's state, through the transcoder (as stored, then read)."""
    taken = take(aggregate)
    state: dict[str, Any] = ledger.mapper.transcoder.decode(
        ledger.mapper.transcoder.encode(taken.state))
    return state | {"topic": taken.topic}
