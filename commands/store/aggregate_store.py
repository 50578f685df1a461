"""The write side's store: the library's Application with sealed snapshots, and saves of
many aggregates in one transaction.

How aggregates are loaded from their streams (snapshots checked, `commands.store.snapshot_seal`)
and how several events' aggregates are saved in one transaction (`append_units`: a conflict
there saves each unit alone). Warm aggregates are brought up to date by their cache
(`commands.store.aggregate_cache`), which reads only the rows they lack.
"""

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProcessingEvent,
    Repository,
)
from eventsourcing.persistence import (
    EventStore,
    IntegrityError,
    JSONTranscoder,
    Mapper,
    Recording,
    StoredEvent,
)
from eventsourcing.utils import resolve_topic

from commands.domain.booking import Booking
from commands.domain.claim import Claim
from commands.domain.erasure import Erasure
from commands.domain.errors import event_not_found
from commands.domain.event import Event
from commands.domain.invoices import InvoiceBook
from commands.domain.payment import Payment
from commands.store.busy import busy_if_unreachable
from commands.store.snapshot_seal import CheckedRepository, SnapshotSeal, Start, seal_key
from core.lru import Lru
from core.metrics import RETRIES
from core.personal_data.transcoding import PersonalAsSealed
from core.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")
# A claim never changes once made: those saved or read here are kept, so a hold's confirmation
# from the buyer who made it (a keep-alive connection comes back to the same process) finds its
# event without a query.
CLAIMS_KEPT = 4096


class AggregateStore(Application[UUID]):
    """How the ledger's aggregates are loaded and saved: the write side's one door to the store.

    Saving is owned here rather than left to `Application.save`: a group of bookings saves an
    event and one `Booking` per booking, several events' units in one transaction, and the
    library's save runs two runtime Protocol checks per aggregate under the event's lock (a
    visible share of the save's CPU). The events are put through the event store's public
    `put`; the library's aggregate cache is off (`core.db.store_env`): the warm aggregates are
    the one cache, so there is nothing else to update.
    """

    name = "Ledger"
    retries = 0  # saves that conflicted with another writer, to be decided again

    def __init__(self, settings: Settings, env: dict[str, str]) -> None:
        self.settings = settings
        self.seal = SnapshotSeal(None)  # without a snapshot store; else set by its construction
        # Per instance, since the interval is a setting.
        self.snapshotting_intervals = {Event: settings.snapshot_interval}  # type: ignore[misc]
        self.on_saved: Callable[[ProcessingEvent[UUID]], None] | None = None
        self.claims: Lru[UUID, Claim] = Lru(CLAIMS_KEPT)
        super().__init__(env=env)
        # The counts' snapshots: what a command's cold load starts from (`load_counts`).
        self.counts = self._sealed_store("count_snapshots")
        self.counts_repository = CheckedRepository(self.events, snapshot_store=self.counts,
                                                   fallback=self.snapshots)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        """The library's, and sealed personal fields (`core.personal_data.transcoding`)."""
        super().register_transcodings(transcoder)
        transcoder.register(PersonalAsSealed())

    def construct_snapshot_store(self) -> EventStore[UUID]:
        """The library's snapshot store, its bytes sealed (SNAPSHOT_KEY, else from SECRET_KEY):
        full snapshots, each booking's record with them, for time travel."""
        s = self.settings
        self.seal = SnapshotSeal(seal_key(s.snapshot_key or s.secret_key))
        return self._sealed_store("snapshots")

    def _sealed_store(self, purpose: str) -> EventStore[UUID]:
        mapper: Mapper[UUID] = Mapper(transcoder=self.mapper.transcoder, cipher=self.seal,
                                      compressor=self.mapper.compressor)
        return self.factory.event_store(
            mapper=mapper, recorder=self.factory.aggregate_recorder(purpose=purpose))

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

    # ----- loading -------------------------------------------------------------------------

    def load(self, event_id: UUID, version: int | None = None) -> Event:
        """The event from its stream (optionally as it was at `version`), every booking's
        record with it."""
        try:
            event = self._get(Event, event_id, version)
        except AggregateNotFoundError:
            raise event_not_found(event_id) from None
        return event

    def load_counts(self, event_id: UUID, version: int | None = None) -> Event:
        """The event from its stream without its booking records, as a command decides on it:
        from its latest counts' snapshot (else its full one, its records dropped at once),
        then the rows after it. A cold load's cost is that of its counts, however much it
        sold."""
        try:
            with busy_if_unreachable():
                event: object = self.counts_repository.get(event_id, version=version,
                                                           projector_func=_counts_only)
        except AggregateNotFoundError:
            raise event_not_found(event_id) from None
        if not isinstance(event, Event):
            raise event_not_found(event_id)
        return event

    def count_starts(self, event_ids: Sequence[UUID]) -> dict[UUID, Start]:
        """Where cold loads of these events start: each one's latest counts' snapshot (else its
        full one), unchecked, in one read per snapshot store (`counts_from` checks it)."""
        with busy_if_unreachable():
            return self.counts_repository.latest_snapshots(event_ids)

    def counts_from(self, event_id: UUID, start: Start | None,
                    rows: Sequence[StoredEvent]) -> Event:
        """`load_counts` of an event from its start found by `count_starts` and its stream's
        rows from there on, read with other events' rows."""
        with busy_if_unreachable():  # a snapshot refused: its events read alone
            event: object = self.counts_repository.project_from(event_id, start, rows,
                                                               _counts_only)
        if not isinstance(event, Event):
            raise event_not_found(event_id)
        return event

    def find_ref(self, booking_id: UUID, event: Event | None = None) -> Booking | None:
        """The booking's `Booking`, None if there is no such booking. One registered before
        refs held the booking's facts is completed from its event's records (`event`: the
        aggregate loaded from the store, when the caller has it)."""
        # Any id can be asked as a booking's: an event's would load its whole stream first.
        if not self._holds(booking_id, Booking.Registered):
            return None
        try:
            ref = self._get(Booking, booking_id)
        except AggregateNotFoundError:
            return None
        if not ref.complete:
            ref.completed((event or self.load(ref.event_id)).booking(booking_id))
        return ref

    def find_claim(self, claim_id: UUID) -> Claim | None:
        """The hold's or place's `Claim`, None if there is no such claim: its one stored
        event, read in one indexed query (a claim records only how it was made, and is never
        snapshotted), unless it was saved or read here before (`kept_claim`)."""
        kept = self.kept_claim(claim_id)
        if kept is not None:
            return kept
        with busy_if_unreachable():
            first = self.recorder.select_events(claim_id, limit=1)
        if not first or resolve_topic(first[0].topic) is not Claim.Made:
            return None
        made: Any = self.mapper.to_domain_event(first[0])
        claim: Claim = made.mutate(None)
        self.claims.put(claim_id, claim)
        return claim

    def find_payment(self, payment_id: UUID) -> Payment | None:
        """A hold's `Payment`, None when its payment was never started. Loaded at once, with no
        look at the stream's first event before (as `find_ref` looks): a payment's id is made
        from its hold's or booking's (`commands.domain.payment`), never one a caller names, so
        it cannot be an event's long stream."""
        try:
            return self._get(Payment, payment_id)
        except AggregateNotFoundError:
            return None

    def find_book(self, book_id: UUID) -> InvoiceBook | None:
        """An organizer's invoice book, None before its seller's details were first set (its
        id is made from the organizer's, never one a caller names)."""
        try:
            return self._get(InvoiceBook, book_id)
        except AggregateNotFoundError:
            return None

    def find_erasure(self, stream_id: UUID) -> Erasure | None:
        """A person's erasure, None while they are not erased (its id is made from the
        person's: `commands.domain.erasure.erasure_of`)."""
        try:
            return self._get(Erasure, stream_id)
        except AggregateNotFoundError:
            return None

    def kept_claim(self, claim_id: UUID) -> Claim | None:
        """The claim if it was saved or read here before (no query); else None."""
        return self.claims.get(claim_id)

    def _holds(self, stream_id: UUID, created: type) -> bool:
        """Whether the stream starts with a `created` event: its first stored event's topic, one
        indexed row, read before any aggregate is loaded."""
        with busy_if_unreachable():
            first = self.recorder.select_events(stream_id, limit=1)
        if not first:
            return False
        kind = resolve_topic(first[0].topic)
        return isinstance(kind, type) and issubclass(kind, created)

    def _get(self, kind: type[T], aggregate_id: UUID, version: int | None = None) -> T:
        with busy_if_unreachable():
            aggregate: object = self.repository.get(aggregate_id, version=version)
        if not isinstance(aggregate, kind):
            raise AggregateNotFoundError(aggregate_id)
        return aggregate

    # ----- saving --------------------------------------------------------------------------

    def append(self, *aggregates: Any) -> int | None:
        """Save the aggregates' new events in one transaction; the position of the last."""
        with busy_if_unreachable():
            recordings = self._put([(aggregates, [e for a in aggregates
                                                  for e in a.collect_events()])])
        return recordings[-1].notification.id if recordings else None

    def append_units(self, units: Sequence[Sequence[Any]]) -> list[dict[UUID, int] | None]:
        """Save several units of aggregates (an event and its bookings' refs) in one transaction.

        Each unit's positions (of each aggregate's last event). If that transaction conflicts,
        each unit is saved alone: a unit whose own streams conflict gets None (its caller
        decides it again, and counts the conflict), the others are stored once.
        """
        collected = [(unit, [e for a in unit for e in a.collect_events()]) for unit in units]
        with busy_if_unreachable():
            try:
                return [_positions(self._put(collected))] * len(collected)
            except IntegrityError:
                if len(collected) == 1:
                    return [None]
            alone: list[dict[UUID, int] | None] = []
            for unit in collected:
                try:
                    alone.append(_positions(self._put([unit])))
                except IntegrityError:
                    alone.append(None)
            return alone

    def _put(self, units: Sequence[tuple[Sequence[Any], list[Any]]]) -> list[Recording[UUID]]:
        """Record the collected events of these aggregates in one transaction, then tell
        `on_saved` (the snapshots owed)."""
        saved: ProcessingEvent[UUID] = ProcessingEvent()
        for aggregates, events in units:
            saved.events.extend(events)
            for aggregate in aggregates:
                saved.aggregates[aggregate.id] = aggregate
        recordings = self.events.put(saved.events)
        for aggregate in saved.aggregates.values():
            if isinstance(aggregate, Claim):
                self.claims.put(aggregate.id, aggregate)
        if self.on_saved is not None:
            self.on_saved(saved)
        return recordings

    def conflicted(self) -> None:
        """A save conflicted with another writer: it will be decided again."""
        self.retries += 1
        RETRIES.inc()

    # ----- snapshots -----------------------------------------------------------------------

    def snapshot_at(self, event_id: UUID, version: int) -> bool:
        """Snapshot the event as stored at `version`, its records with it; False when that
        snapshot exists."""
        if self.seal.key is None:
            log.warning("no SNAPSHOT_KEY or SECRET_KEY here: snapshot of %s not taken", event_id)
            return False
        try:
            self.take_snapshot(event_id, version=version)
        except IntegrityError:  # taken already (a task delivered twice)
            return False
        return True

    def counts_snapshot_at(self, event_id: UUID, version: int) -> bool:
        """Snapshot the event's counts as stored at `version` (from its counts' snapshot
        before, a few rows on); False when that snapshot exists or there is no key to seal."""
        if self.seal.key is None:
            log.warning("no SNAPSHOT_KEY or SECRET_KEY here: snapshot of %s not taken", event_id)
            return False
        event = self.load_counts(event_id, version)
        if event.version != version:
            return False  # asked past the stream's end: nothing stored there to summarise
        try:
            self.counts.put([Event.Snapshot.take_counts(event)])
        except IntegrityError:  # taken already (by another process, or a task delivered twice)
            return False
        return True


def _counts_only(aggregate: Any, events: Iterable[Any]) -> Any:
    """Replay without booking records: each applier skips them once the aggregate forgot
    (a full snapshot's records are dropped as soon as it is decoded)."""
    for domain_event in events:
        aggregate = domain_event.mutate(aggregate)
        if isinstance(aggregate, Event):  # not another kind's stream, named as an event's
            aggregate.forget_bookings()
    return aggregate


def _positions(recordings: list[Recording[UUID]]) -> dict[UUID, int]:
    """The position of each aggregate's last event among these recordings."""
    return {r.domain_event.originator_id: r.notification.id for r in recordings}
