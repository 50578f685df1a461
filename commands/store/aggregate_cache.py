"""Warm aggregates: each event's aggregate kept from its last command, fast-forwarded on use.

A command takes its event's aggregate out (`take_fresh`, `take_all`), under the event's lock,
brought up to date with the rows it lacks (a cold one is loaded from its counts' snapshot and
the rows after it: `AggregateStore.load_counts`; a group's cold ones together, their snapshots
and every stream's rows read once for the group), and puts it back (`keep`) once it is exact
again. The cache (`core.lru`) is bounded by count; a kept aggregate holds counts, not booking
records (`keep`), so its memory is bounded too.
"""

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol, cast
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, StoredEvent

from commands.domain.errors import DomainError
from commands.domain.event import Event
from commands.store.busy import busy_if_unreachable
from commands.store.snapshot_seal import Start
from core.event_store.stream_rows import UNBOUNDED, rows_from_each
from core.lru import Lru
from core.metrics import AGGREGATE_LOADS

log = logging.getLogger(__name__)
# Rows a warm copy is brought forward by at most: one further behind (another process sold
# meanwhile) is loaded again, from its counts' snapshot and the rows after it, rather than
# decode every booking it missed.
FAST_FORWARD_AT_MOST = 1000
WARM, COLD = AGGREGATE_LOADS.labels("warm"), AGGREGATE_LOADS.labels("cold")


class ColdLoads(Protocol):
    """Loads of aggregates not kept, several at once (`AggregateStore`): where each starts, and
    each from its start and its rows."""

    def count_starts(self, event_ids: Sequence[UUID]) -> dict[UUID, Start]: ...

    def counts_from(self, event_id: UUID, start: Start | None,
                    rows: Sequence[StoredEvent]) -> Event: ...


class WarmAggregates:
    """Aggregates by event id in LRU order, at most `count`; each holds counts only
    (`Event.forget_bookings`), so a sold-out arena's costs what a small event's does."""

    def __init__(self, *, count: int, recorder: ApplicationRecorder,
                 to_domain: Callable[[StoredEvent], Any], load: Callable[[UUID], Event],
                 cold: ColdLoads | None = None) -> None:
        self.count = count
        self._kept: Lru[UUID, Event] = Lru(count)
        self._recorder, self._to_domain, self._load = recorder, to_domain, load
        self._cold = cold

    def __iter__(self) -> Iterator[UUID]:
        """The event ids kept, least recently used first."""
        return iter(self._kept.keys())

    def peek(self, event_id: UUID) -> Event | None:
        """The aggregate kept for `event_id`, left in place (tests, diagnostics)."""
        return self._kept.peek(event_id)

    def take(self, event_id: UUID) -> Event | None:
        """Take the event's aggregate out (the caller holds its lock); None when cold."""
        return self._kept.pop(event_id)

    def take_fresh(self, event_id: UUID) -> Event:
        """The event's aggregate (the caller holds its lock), fast-forwarded from its stream;
        loaded whole when cold or when the store lacks its last row."""
        event = self.take(event_id)
        if event is None or not fast_forward(event, self._rows_from, self._to_domain):
            COLD.inc()
            return self._load(event_id)
        WARM.inc()
        return event

    def take_all(self, event_ids: Sequence[UUID]) -> dict[UUID, Event | DomainError]:
        """`take_fresh` of several (their locks held): the cold ones' latest snapshots in one
        read per snapshot store, then every one's rows in one read (the warm ones' new rows,
        the cold ones' from their snapshots).

        Each maps to its aggregate, or to the refusal that is its requests' answer (no such
        event); a store that cannot be reached fails them all (STORE_UNAVAILABLE).
        """
        taken = {event_id: self.take(event_id) for event_id in event_ids}
        warm = {i: e for i, e in taken.items() if e is not None}
        cold = [i for i, e in taken.items() if e is None] if self._cold is not None else []
        try:
            with busy_if_unreachable():
                # The cold ones' snapshots first, then every stream's rows in one read: the
                # warm ones' from their versions, the cold ones' from their snapshots'.
                starts = self._cold.count_starts(cold) if self._cold and cold else {}
                versions = {i: e.version for i, e in warm.items()} | {
                    i: starts[i].row.originator_version if i in starts else 1 for i in cold}
                rows = rows_from_each(self._recorder, versions, limit=FAST_FORWARD_AT_MOST + 1,
                                      limits=dict.fromkeys(cold, UNBOUNDED))
        except BaseException:
            for event in warm.values():  # unchanged: still exact at their versions
                self.keep(event)
            raise
        found: dict[UUID, Event | DomainError] = {}
        for event_id, kept in taken.items():
            rows_of = rows.get(event_id, [])
            if kept is not None and fast_forward(kept, lambda *_, r=rows_of: r, self._to_domain):
                found[event_id] = kept
                WARM.inc()
                continue
            COLD.inc()
            try:
                if kept is None and self._cold is not None:
                    found[event_id] = self._cold.counts_from(event_id, starts.get(event_id),
                                                             rows_of)
                else:
                    found[event_id] = self._load(event_id)
            except DomainError as exc:
                found[event_id] = exc
        return found

    def _rows_from(self, event_id: UUID, version: int) -> Sequence[StoredEvent]:
        return self._recorder.select_events(event_id, gt=version - 1,
                                            limit=FAST_FORWARD_AT_MOST + 1)

    def keep(self, event: Event) -> None:
        """Keep `event` warm, without its booking records; past `count` the least recently
        used goes."""
        # Not there: `take` took it out (under the event's lock).
        event.forget_bookings()  # counts only: its memory does not grow with its sales
        self._kept.put(event.id, event)

    @contextmanager
    def cooling(self, event: Event) -> Iterator[None]:
        """Forget the aggregate when a command fails after changing it (never saved)."""
        version = event.version
        try:
            yield
        except BaseException:
            if event.version == version:
                self.keep(event)  # refused before any change: still exact
            raise


def fast_forward(event: Event, rows_from: Callable[[UUID, int], Sequence[StoredEvent]],
                 to_domain: Callable[[StoredEvent], Any]) -> bool:
    """Apply the stored events after `event`'s version; False if the store lacks its own, or
    holds FAST_FORWARD_AT_MOST rows or more after it (`rows_from` reads no more than one more).

    From its own last version on: if that row is not there (a commit the database lost, e.g.
    an asynchronous replica promoted), the warm copy is ahead of the truth. Rows, not events:
    the one already applied is only checked, never decoded.
    """
    with busy_if_unreachable():
        stored = rows_from(event.id, event.version)
    if not stored or stored[0].originator_version != event.version:
        log.warning("warm aggregate %s is ahead of the store; reloading", event.id)
        return False
    if len(stored) > FAST_FORWARD_AT_MOST:
        log.info("warm aggregate %s is more than %d rows behind; reloading", event.id,
                 FAST_FORWARD_AT_MOST)
        return False
    for row in stored[1:]:  # the aggregate's own events
        cast(Any, to_domain(row)).mutate(event)
    return True
