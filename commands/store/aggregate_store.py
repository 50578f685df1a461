"""The ledger's storage: the library's Application with sealed snapshots, saves of many
aggregates in one transaction, and the reads the write side needs.

`Ledger` (`commands.ledger`) is the application service on top: commands, locks, retries.
Here: how aggregates are loaded (snapshots checked, `commands.store.snapshot_seal`), how several
events' aggregates are saved in one transaction (`save_units`: a conflict there saves each
unit alone), and the store's reads a group commit makes in one go (`_rows_from_each`).
"""

from collections.abc import Sequence
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProcessingEvent,
    Repository,
)
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    EventStore,
    IntegrityError,
    InterfaceError,
    Mapper,
    OperationalError,
    Recording,
    StoredEvent,
)
from eventsourcing.utils import resolve_topic

from commands.domain.booking import BookingRef
from commands.domain.errors import Busy, event_not_found
from commands.domain.event import Event
from commands.store.snapshot_seal import CheckedRepository, SnapshotSeal, seal_key
from core.metrics import RETRIES
from core.pgstore import LedgerRecorder
from core.settings import Settings

T = TypeVar("T")


class StoredLedger(Application[UUID]):
    """How the ledger's aggregates are loaded and saved."""

    name = "Ledger"
    settings: Settings
    _seal = SnapshotSeal(None)  # without a snapshot store; else set by its construction
    retries = 0  # saves that conflicted with another writer, to be decided again

    def construct_snapshot_store(self) -> EventStore[UUID]:
        """The library's snapshot store, its bytes sealed (SNAPSHOT_KEY, else from SECRET_KEY)."""
        s = self.settings
        self._seal = seal = SnapshotSeal(seal_key(s.snapshot_key or s.secret_key))
        mapper: Mapper[UUID] = Mapper(transcoder=self.mapper.transcoder, cipher=seal,
                                      compressor=self.mapper.compressor)
        return self.factory.event_store(
            mapper=mapper, recorder=self.factory.aggregate_recorder(purpose="snapshots"))

    def construct_repository(self) -> Repository[UUID]:
        """The library's repository, as configured, trusting only checked snapshots."""
        library = super().construct_repository()
        maxsize = self.env.get(self.AGGREGATE_CACHE_MAXSIZE)
        return CheckedRepository(
            self.events, snapshot_store=self.snapshots,
            cache_maxsize=int(maxsize) if maxsize else None, fastforward=library.fastforward,
            fastforward_skipping=library.fastforward_skipping,
            deepcopy_from_cache=library.deepcopy_from_cache,
        )

    def after_save(self, processing_event: ProcessingEvent[UUID]) -> None:
        """What a subclass does once a save has committed (the ledger: owe snapshots)."""

    def find_ref(self, booking_id: UUID, event: Event | None = None) -> BookingRef | None:
        """The booking's `BookingRef`, None if there is no such booking. One registered before
        refs held the booking's facts is completed from its event's records (`event`: the
        aggregate loaded from the store, when the caller has it)."""
        # Any id can be asked as a booking's: an event's would load its whole stream first.
        if not self._holds(booking_id, BookingRef.Registered):
            return None
        try:
            ref = self._get(BookingRef, booking_id)
        except AggregateNotFoundError:
            return None
        if not ref.complete:
            ref.completed((event or self._load(ref.event_id)).booking(booking_id))
        return ref

    def _holds(self, stream_id: UUID, created: type) -> bool:
        """Whether the stream starts with a `created` event: its first stored event's topic, one
        indexed row, read before any aggregate is loaded."""
        try:
            first = self.recorder.select_events(stream_id, limit=1)
        except (OperationalError, InterfaceError) as exc:
            raise Busy("The event store cannot be reached", code="STORE_UNAVAILABLE") from exc
        if not first:
            return False
        kind = resolve_topic(first[0].topic)
        return isinstance(kind, type) and issubclass(kind, created)

    def _load(self, event_id: UUID, version: int | None = None) -> Event:
        try:
            event = self._get(Event, event_id, version)
        except AggregateNotFoundError:
            raise event_not_found(event_id) from None
        return event

    def _get(self, kind: type[T], aggregate_id: UUID, version: int | None = None) -> T:
        try:
            aggregate: object = self.repository.get(aggregate_id, version=version)
        except (OperationalError, InterfaceError) as exc:
            raise Busy("The event store cannot be reached", code="STORE_UNAVAILABLE") from exc
        if not isinstance(aggregate, kind):
            raise AggregateNotFoundError(aggregate_id)
        return aggregate

    def _rows_from(self, event_id: UUID, version: int) -> Sequence[StoredEvent]:
        return self.recorder.select_events(event_id, gt=version - 1)

    def _rows_from_each(self, versions: dict[UUID, int]) -> dict[UUID, list[StoredEvent]]:
        """Each stream's rows from its version on; on PostgreSQL in one query for them all."""
        try:
            if isinstance(self.recorder, LedgerRecorder):
                found: dict[UUID, list[StoredEvent]] = self.recorder.select_streams_from(versions)
                return found
            return {i: list(self._rows_from(i, v)) for i, v in versions.items()}
        except (OperationalError, InterfaceError) as exc:
            raise Busy("The event store cannot be reached", code="STORE_UNAVAILABLE") from exc

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """The library's save, without its two runtime Protocol checks per aggregate.

        A group of bookings saves an aggregate per booking (its `BookingRef`) beside the event,
        so the checks were a visible share of the save's CPU, under the event's lock
        (bench/README.md). Plain aggregates are collected directly; anything else goes the
        library's way.
        """
        if not all(isinstance(o, Aggregate) for o in objs):
            return super().save(*objs, **kwargs)
        return self._store([(objs, [e for o in objs for e in o.collect_events()])], **kwargs)

    def _store(self, units: Sequence[tuple[Sequence[Any], list[Any]]],
               **kwargs: Any) -> list[Recording[UUID]]:
        """Record the collected events of these aggregates in one transaction (as
        `Application.save` does from there on)."""
        processing_event: ProcessingEvent[UUID] = ProcessingEvent()
        for aggregates, events in units:
            processing_event.events.extend(events)
            for aggregate in aggregates:
                processing_event.aggregates[aggregate.id] = aggregate
        processing_event.saved_kwargs.update(kwargs)
        recordings = self._record(processing_event)
        self.after_save(processing_event)
        self._notify(recordings)
        self.notify(processing_event.events)  # deprecated in the library, still called there
        return recordings

    def save_units(self, units: Sequence[Sequence[Any]]) -> list[dict[UUID, int] | None]:
        """Save several units of aggregates (an event and its bookings' refs) in one transaction.

        Each unit's positions (of each aggregate's last event). If that transaction conflicts,
        each unit is saved alone: a unit whose own streams conflict gets None (its caller
        decides it again, and counts the conflict), the others are stored once.
        """
        collected = [(unit, [e for a in unit for e in a.collect_events()]) for unit in units]
        try:
            try:
                return [_positions(self._store(collected))] * len(collected)
            except IntegrityError:
                if len(collected) == 1:
                    return [None]
            alone: list[dict[UUID, int] | None] = []
            for unit in collected:
                try:
                    alone.append(_positions(self._store([unit])))
                except IntegrityError:
                    alone.append(None)
            return alone
        except (OperationalError, InterfaceError) as exc:
            raise Busy("The event store cannot be reached", code="STORE_UNAVAILABLE") from exc

    def _save(self, *aggregates: Any) -> int | None:
        try:
            recordings = self.save(*aggregates)
        except (OperationalError, InterfaceError) as exc:
            raise Busy("The event store cannot be reached", code="STORE_UNAVAILABLE") from exc
        return recordings[-1].notification.id if recordings else None

    def _conflicted(self) -> None:
        """A save conflicted with another writer: it will be decided again."""
        self.retries += 1
        RETRIES.inc()


def _positions(recordings: list[Recording[UUID]]) -> dict[UUID, int]:
    """The position of each aggregate's last event among these recordings."""
    return {r.domain_event.originator_id: r.notification.id for r in recordings}
