"""Snapshots sealed when taken and checked when loaded: one that fails is never used.

A snapshot is a shortcut past a stream's events, so whoever can write one could make commands
decide on a state no event led to (seats sold back to 0, a booking gone). Two checks close that:
- its stored bytes carry an HMAC under a key derived from SECRET_KEY, so a row written with
  database access alone is not sealed;
- the chain hash it records (`Event.Snapshot.chain`) must be the one stored with the event at
  its version, so a sealed snapshot copied to another stream or version does not fit.
A snapshot that fails either is refused (logged, counted in `ledger_snapshots_refused_total`)
and the aggregate is rebuilt from its events alone: the events are the truth, and an earlier
snapshot beside a forged one is no safer a start. Whether a snapshot's state is faithful is
what `ledger verify` checks, by replaying (`commands.audit.snapshots`).
"""

import hashlib
import hmac
import logging
from collections.abc import Iterable, Sequence
from itertools import chain
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    ProjectorFunction,
    Repository,
    project_aggregate,
)
from eventsourcing.persistence import (
    Cipher,
    EventStore,
    Mapper,
    MapperDeserialisationError,
    StoredEvent,
)
from eventsourcing.utils import get_topic

from commands.domain.chain import stored_chain
from commands.domain.event import Event
from core.event_store.stream_rows import latest_of_each
from core.metrics import SNAPSHOTS_REFUSED

log = logging.getLogger(__name__)
SNAPSHOT_TOPIC = get_topic(Event.Snapshot)
SEAL = b"hmac-sha256:"  # then the tag in hex, then the encoded snapshot
TAG_LENGTH = 64


class SnapshotRefused(ValueError):
    """A snapshot that must not be used: `reason` (seal or chain, the metric's label) and why."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def seal_key(secret: str) -> bytes | None:
    """The snapshots' key, derived from SECRET_KEY (None without one: nothing is sealed)."""
    if not secret:
        return None
    return hmac.new(secret.encode(), b"ledger snapshot seal v1", hashlib.sha256).digest()


class SnapshotSeal(Cipher):
    """The snapshot store's "cipher": the bytes stay readable, prefixed with their HMAC."""

    def __init__(self, key: bytes | None) -> None:  # not the library's env: built by the Ledger
        self.key = key

    def tag(self, payload: bytes) -> bytes:
        if self.key is None:
            raise SnapshotRefused("seal", "no SECRET_KEY: snapshots are neither sealed nor used")
        return hmac.new(self.key, payload, hashlib.sha256).hexdigest().encode()

    def encrypt(self, plaintext: bytes) -> bytes:
        return SEAL + self.tag(plaintext) + plaintext

    def decrypt(self, ciphertext: bytes) -> bytes:
        payload, tag = unsealed(ciphertext)
        if tag is None or not hmac.compare_digest(tag, self.tag(payload)):
            raise SnapshotRefused("seal", "not sealed with this SECRET_KEY")
        return payload

    def sealed(self, data: bytes) -> bool:
        try:
            self.decrypt(data)
        except SnapshotRefused:
            return False
        return True


def unsealed(data: bytes) -> tuple[bytes, bytes | None]:
    """The encoded snapshot and the tag it carries (None: it carries none)."""
    data = bytes(data)
    if not data.startswith(SEAL):
        return data, None
    start = len(SEAL) + TAG_LENGTH
    return data[start:], data[len(SEAL):start]


def checked_snapshot(
    snapshots: Mapper[UUID], events: Mapper[UUID], stored: StoredEvent, at: StoredEvent | None
) -> Any | None:
    """The snapshot `stored`, if it is sealed and `at` (its version's event) has its chain."""
    try:
        return _check(snapshots, events, stored, at)
    except SnapshotRefused as refused:
        log.warning("snapshot of %s at version %s refused (%s): rebuilt from its events instead",
                    stored.originator_id, stored.originator_version, refused)
        SNAPSHOTS_REFUSED.labels(refused.reason).inc()
    return None


def _check(
    snapshots: Mapper[UUID], events: Mapper[UUID], stored: StoredEvent, at: StoredEvent | None
) -> Any:
    # Before decoding anything: a topic names a class to import and build.
    if stored.topic != SNAPSHOT_TOPIC:
        raise SnapshotRefused("seal", f"not sealed: a {stored.topic!r} (taken before snapshots "
                                      "were sealed, or forged)")
    if not isinstance(snapshots.cipher, SnapshotSeal):
        raise SnapshotRefused("seal", "the snapshot store does not seal")
    try:
        snapshot: Any = snapshots.to_domain_event(stored)  # the seal is checked first
    except MapperDeserialisationError as exc:
        if isinstance(exc.__cause__, SnapshotRefused):
            raise exc.__cause__ from None
        raise SnapshotRefused("unreadable", str(exc)) from None
    if at is None or at.originator_version != stored.originator_version:
        raise SnapshotRefused("chain", "no stored event at its version")
    found = stored_chain(events.to_domain_event(at))
    recorded = getattr(snapshot, "chain", None)
    if recorded is None or recorded != found or snapshot.state.get("chain_head") != found:
        raise SnapshotRefused("chain", "its chain hash is not the stored event's at its version")
    return snapshot


class CheckedRepository(Repository[UUID]):
    """The library's repository, starting from a snapshot only once it is checked.

    The event at the snapshot's version is read with the events after it, in the same query:
    a snapshot costs one more row, not one more read. `fallback`: a second snapshot store, read
    when the first holds none for the stream (the counts' repository falls back on the full
    snapshots: `commands.store.aggregate_store`).
    """

    def __init__(self, *args: Any, fallback: EventStore[UUID] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fallback = fallback

    def _reconstruct_aggregate(
        self, aggregate_id: UUID, version: int | None, projector_func: ProjectorFunction[Any, Any]
    ) -> Any:
        start, events = self._start(aggregate_id, version)
        if projector_func is project_aggregate:
            projector_func = _project
        aggregate = projector_func(None, chain(start, events))
        if aggregate is None:
            raise AggregateNotFoundError(f"Aggregate {aggregate_id!r} version {version!r} "
                                         "not found.")
        return aggregate

    def _start(self, aggregate_id: UUID, version: int | None) -> tuple[list[Any], Iterable[Any]]:
        """A checked snapshot (or nothing) and the events to apply after it."""
        for store in (self.snapshot_store, self.fallback):
            found = [] if store is None else store.recorder.select_events(
                aggregate_id, desc=True, limit=1, lte=version)
            if store is None or not found:
                continue
            at = found[0].originator_version
            rows = self.event_store.recorder.select_events(aggregate_id, gt=at - 1, lte=version)
            snapshot = checked_snapshot(store.mapper, self.event_store.mapper, found[0],
                                        rows[0] if rows else None)
            if snapshot is not None:
                mapper = self.event_store.mapper
                return [snapshot], (mapper.to_domain_event(r) for r in rows[1:])
            break  # refused: the events alone, not an older shortcut beside a forged one
        return [], self.event_store.get(aggregate_id, lte=version)


    def latest_snapshots(self, ids: Sequence[UUID]) -> dict[UUID, "Start"]:
        """Each stream's latest snapshot, unchecked, of the first store holding one for it: one
        read per store for all of them (`_start` reads one stream's)."""
        found: dict[UUID, Start] = {}
        for store in (self.snapshot_store, self.fallback):
            rest = [i for i in ids if i not in found]
            if store is None or not rest:
                continue
            for i, row in latest_of_each(store.recorder, rest).items():
                found[i] = Start(row, store.mapper)
        return found

    def project_from(
        self, aggregate_id: UUID, start: "Start | None", rows: Sequence[StoredEvent],
        projector_func: ProjectorFunction[Any, Any],
    ) -> Any | None:
        """The aggregate from `start` (None: its stream's first event) and `rows`, its stream's
        rows from the snapshot's version on (all of them without one); None when there is no
        such stream. A snapshot refused is not used: the stream's events alone, as `get`."""
        mapper = self.event_store.mapper
        if start is None:
            return projector_func(None, (mapper.to_domain_event(r) for r in rows))
        snapshot = checked_snapshot(start.mapper, mapper, start.row, rows[0] if rows else None)
        if snapshot is None:
            return projector_func(None, self.event_store.get(aggregate_id))
        return projector_func(None, chain([snapshot], (mapper.to_domain_event(r)
                                                       for r in rows[1:])))


class Start(NamedTuple):
    """A stream's latest snapshot as stored, and the mapper of its store."""

    row: StoredEvent
    mapper: Mapper[UUID]


def _project(aggregate: Any, events: Iterable[Any]) -> Any:
    """The library's `project_aggregate` without its runtime Protocol check per event (a large
    part of a load's time; bench/README.md)."""
    for domain_event in events:
        aggregate = domain_event.mutate(aggregate)
    return aggregate
