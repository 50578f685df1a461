"""Time travel: an event exactly as it was at a version or a moment, rebuilt from its stream.

A state is rebuilt from the nearest snapshot at or before it (once checked: its seal, and its
chain against the stored event) plus the events after that. A snapshot never changes, and
decoding a large one (thousands of bookings) is most of the cost, so each process keeps the
aggregates its recent snapshots decoded to, in a small LRU, and applies the later events to a
fork of the cached one (`Event.fork`: the cache stays intact).
"""

import threading
import weakref
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text

from commands.application.views import (
    event_view,
    holds_view,
    record_view,
    vouchers_view,
    waitlist_view,
)
from commands.domain.errors import NotFound, event_not_found
from commands.domain.event import Event
from commands.ledger import Ledger
from commands.store.snapshot_seal import checked_snapshot
from core import error_codes as codes
from core.db import get_engine
from core.lru import Lru

CACHE_ENTRIES = 64
SnapshotCache = Lru[tuple[UUID, int], Event]  # aggregates decoded from snapshots, by version
_caches: "weakref.WeakKeyDictionary[Ledger, SnapshotCache]" = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def snapshot_cache(ledger: Ledger) -> SnapshotCache:
    with _caches_lock:
        return _caches.setdefault(ledger, SnapshotCache(CACHE_ENTRIES))


def state_at(  # noqa: PLR0913 - the moment, and the page of bookings
    ledger: Ledger,
    event_id: UUID,
    *,
    at: datetime | None = None,
    version: int | None = None,
    bookings_offset: int = 0,
    bookings_limit: int | None = None,
) -> dict[str, Any]:
    """The event, a page of its bookings, its holds and its waitlist then; past the head
    (version or time) that is now.

    A state never changes once recorded, so an offset into its bookings (in booking order)
    is a stable cursor; only the page asked for is turned into views.
    """
    if at is not None:
        version = version_at(ledger, event_id, at)
        if version is None:
            raise NotFound(f"Event {event_id} did not exist yet at {at.isoformat()}",
                           code=codes.EVENT_NOT_YET_CREATED)
    event = event_at(ledger, event_id, version)
    view = event_view(event)
    view["recorded_at"] = event.modified_on
    keys = list(event.bookings)
    end = len(keys) if bookings_limit is None else bookings_offset + bookings_limit
    view["bookings"] = [record_view(event.id, UUID(key), event.bookings[key])
                       for key in keys[bookings_offset:end]]
    view["bookings_total"] = len(keys)
    view["bookings_confirmed"] = sum(b["status"] == "confirmed" for b in event.bookings.values())
    view["bookings_next_offset"] = end if end < len(keys) else None
    view["holds"] = holds_view(event)
    view["waitlist"] = waitlist_view(event)
    view["vouchers"] = vouchers_view(event)
    return view


def event_at(ledger: Ledger, event_id: UUID, version: int | None) -> Event:
    """The aggregate at `version` (None: the head): nearest snapshot, then the events after.

    A snapshot refused (`commands.store.snapshot_seal`) is not cached: the state is then rebuilt
    from the events alone.
    """
    aggregate: Any = None
    after = _snapshot_version(ledger, event_id, version)
    if after is not None:
        cached = _decoded_snapshot(ledger, event_id, after)
        if cached is None:
            after = None
        else:
            aggregate = cached.fork()
    domain_event: Any
    for domain_event in ledger.store.events.get(event_id, gt=after, lte=version):
        aggregate = domain_event.mutate(aggregate)
    if not isinstance(aggregate, Event):
        raise event_not_found(event_id)
    return aggregate


def _decoded_snapshot(ledger: Ledger, event_id: UUID, version: int) -> Event | None:
    """The snapshot at `version` decoded (from the cache once checked); None if refused."""
    cache = snapshot_cache(ledger)
    cached = cache.get((event_id, version))
    if cached is not None or ledger.snapshots is None:
        return cached
    [stored] = ledger.snapshots.recorder.select_events(event_id, gt=version - 1, lte=version,
                                                       limit=1)
    at = ledger.recorder.select_events(event_id, gt=version - 1, lte=version, limit=1)
    snapshot = checked_snapshot(ledger.snapshots.mapper, ledger.mapper, stored,
                                at[0] if at else None)
    if snapshot is None:
        return None
    cached = snapshot.mutate(None)
    if not isinstance(cached, Event):
        raise event_not_found(event_id)
    cache.put((event_id, version), cached)
    return cached


def _snapshot_version(ledger: Ledger, event_id: UUID, version: int | None) -> int | None:
    """The version of the stream's last snapshot at or before `version`, without its state."""
    if ledger.snapshots is None:
        return None
    recorder = ledger.snapshots.recorder
    table = str(getattr(recorder, "events_table_name", "snapshots"))
    key: UUID | str = event_id if ledger.settings.is_postgres else event_id.hex
    query = text(
        f"SELECT max(originator_version) FROM {table} "  # noqa: S608 - the store's own name
        "WHERE originator_id = :id AND originator_version <= :version"
    )
    with get_engine().execution_options(read_only=True).connect() as conn:
        found = conn.execute(query, {"id": key, "version": version or 2**62}).scalar()
    return None if found is None else int(found)


def version_at(ledger: Ledger, event_id: UUID, at: datetime) -> int | None:
    """The last version recorded at or before `at` (None if the stream began later).

    A binary search over the stream, one tiny read per step: versions are recorded in time
    order, since each is decided on the state the one before it left.
    """
    last = ledger.recorder.select_events(event_id, desc=True, limit=1)
    if not last:
        raise event_not_found(event_id)
    low, high = 0, last[0].originator_version  # invariant: time(low) <= at < time(high + 1)
    if _time(ledger, last[0]) <= at:
        return high
    high -= 1
    while low < high:
        middle = (low + high + 1) // 2
        stored = ledger.recorder.select_events(event_id, gt=middle - 1, lte=middle, limit=1)
        if stored and _time(ledger, stored[0]) <= at:
            low = middle
        else:
            high = middle - 1
    return low or None


def _time(ledger: Ledger, stored: Any) -> datetime:
    event: Any = ledger.mapper.to_domain_event(stored)
    moment: datetime = event.timestamp
    return moment
