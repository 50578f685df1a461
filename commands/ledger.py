"""The Ledger application: load -> decide -> save, with bounded optimistic retries.

Every command takes its event's lock, brings the event's warm aggregate up to date
(`commands.warm`), lets it decide, and appends the new domain events. Bookings are committed
in groups (`commands.booking_group`); snapshots are scheduled by `commands.snapshots`. A
concurrent writer on the same stream makes the store raise IntegrityError; the command (or
group) is then retried on fresh state with jittered backoff, up to a bound.
"""

import logging
import random
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar, Unpack
from uuid import UUID, uuid4

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

from commands.aggregate import Event, create_event
from commands.booking_group import BookFields, BookingCommitter, book_request
from commands.booking_ref import BookingRef
from commands.errors import Busy, DomainError, booking_not_found, event_not_found
from commands.locks import EventLocks
from commands.snapshot_trust import CheckedRepository, SnapshotSeal, seal_key
from commands.snapshots import SnapshotSchedule
from commands.views import Outcome, booking_view, event_view
from commands.wake import CoalescingWaker
from commands.warm import WarmAggregates, fast_forward
from core.db import get_lock_engine, store_env
from core.metrics import COMMAND_LATENCY, COMMANDS, RETRIES
from core.pgstore import LedgerRecorder
from core.settings import Settings, get_settings

log = logging.getLogger(__name__)
T = TypeVar("T")
Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


class Ledger(Application[UUID]):
    """The event-sourced write side of the booking ledger."""

    name = "Ledger"
    _seal = SnapshotSeal(None)  # without a snapshot store; else set by its construction

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        clock: Clock = utcnow,
        on_commit: Callable[[int], None] | None = None,
        snapshot_elsewhere: Callable[[UUID, int], None] | None = None,
        create_tables: bool = False,
    ) -> None:
        self.settings = settings or get_settings()
        # Per instance, since the interval is a setting.
        self.snapshotting_intervals = {Event: self.settings.snapshot_interval}  # type: ignore[misc]
        self.clock = clock
        # Off the request path when a broker carries them; in-process (eager) it stays in line.
        self.on_commit = on_commit
        if on_commit is not None and not self.settings.is_eager:
            self.on_commit = CoalescingWaker(on_commit, self.settings.projection_wake_gap_seconds)
        self.retries = 0
        super().__init__(env=store_env(self.settings, create_tables=create_tables))
        s = self.settings
        engine = get_lock_engine() if s.is_postgres else None
        self.locks = EventLocks(engine, s.lock_timeout_seconds, s.event_queue_wait_seconds)
        # Each touched only under its event's lock.
        self.warm = WarmAggregates(count=s.aggregate_cache_size,
                                   bookings=s.aggregate_cache_bookings)
        # Snapshots are encoded and stored by a thread of their own once the commits pause:
        # off the event's lock and the answers' path (see `commands.snapshots`). With workers,
        # a snapshot owed is asked of them (`snapshot_at` there, rebuilt from the store):
        # encoding thousands of bookings is what made an API process's RSS grow.
        self.schedule = SnapshotSchedule(
            self.snapshots, interval=s.snapshot_interval, sealed=self._seal.key is not None,
            rebuild_at=self.snapshot_at, elsewhere=snapshot_elsewhere)
        # A commit holds a pooled connection (two on PostgreSQL: lock and store); more
        # shards than the pool would only open and close overflow connections.
        self._bookings = BookingCommitter(self, wait=s.event_queue_wait_seconds,
                                          threads=min(s.commit_shards, s.db_pool_size))

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

    def close(self) -> None:
        self._bookings.close()
        self.schedule.owed.close()  # the snapshots owed by saved commits are stored
        super().close()

    def snapshots_written(self) -> None:
        """Store the snapshots owed by every commit so far now (or log their failure)."""
        self.schedule.owed.flush()

    # ----- event commands --------------------------------------------------------------

    def create_event(self, **fields: Any) -> Outcome:
        """Start a new event's stream."""
        try:
            event = create_event(event_id=uuid4(), now=self.clock(), **fields)
        except DomainError as exc:
            COMMANDS.labels("create_event", exc.code).inc()
            raise
        outcome = Outcome(event_view(event), self._save(event))
        COMMANDS.labels("create_event", "ok").inc()
        return self._committed(outcome)

    def update_event(
        self, event_id: UUID, changes: dict[str, Any], categories: list[dict[str, Any]]
    ) -> Outcome:
        """Change details and set categories' prices and capacities in one append."""

        def decide(event: Event) -> None:
            event.update_details(changes, now=self.clock())
            for c in categories:
                event.set_category(c["name"], Decimal(c["price"]), int(c["capacity"]))

        return self._change("update_event", event_id, decide)

    def cancel_event(self, event_id: UUID) -> Outcome:
        return self._change("cancel_event", event_id, lambda e: e.cancel(now=self.clock()))

    def complete_event(self, event_id: UUID) -> Outcome:
        return self._change(
            "complete_event", event_id, lambda e: e.complete(now=self.clock())
        )

    def check_in(self, event_id: UUID, code: str) -> Outcome:
        return self._change("check_in", event_id, lambda e: e.check_in(code, now=self.clock()))

    # ----- booking commands --------------------------------------------------------------

    def book(self, event_id: UUID, **request: Unpack["BookFields"]) -> Outcome:
        """Book seats; with an idempotency key a retry answers the first booking."""
        started = time.perf_counter()
        try:
            outcome = self._bookings.submit(book_request(event_id, **request))
        except DomainError as exc:
            COMMANDS.labels("book", exc.code).inc()
            raise
        return self._booked(outcome, started)

    async def book_async(self, event_id: UUID, **request: Unpack["BookFields"]) -> Outcome:
        """`book` for an async route: its task awaits the group commit without a thread."""
        started = time.perf_counter()
        try:
            outcome = await self._bookings.submit_async(book_request(event_id, **request))
        except DomainError as exc:
            COMMANDS.labels("book", exc.code).inc()
            raise
        return self._booked(outcome, started)

    @staticmethod
    def _booked(outcome: Outcome, started: float) -> Outcome:
        COMMANDS.labels("book", "replayed" if outcome.replayed else "ok").inc()
        COMMAND_LATENCY.labels("book").observe(time.perf_counter() - started)
        return outcome

    def cancel_booking(self, booking_id: UUID, *, actor_id: UUID | None = None) -> Outcome:
        """Cancel a booking; `actor_id` set means only its owner may (else: not found)."""
        ref = self._ref(booking_id)
        if actor_id is not None and ref.user_id != str(actor_id):
            raise booking_not_found(booking_id)

        def attempt() -> Outcome:
            event = self.warm_event(ref.event_id)
            with self.warm.cooling(event):
                event.cancel_booking(booking_id, now=self.clock())
                position = self._save(event)
            self.warm.keep(event)
            return Outcome(booking_view(event, booking_id), position)

        return self._retrying("cancel_booking", ref.event_id, attempt)

    # ----- write-side reads ---------------------------------------------------------------

    def event(self, event_id: UUID, version: int | None = None) -> Event:
        """The event from its stream (optionally as it was at `version`)."""
        return self._load(event_id, version)

    def booking(self, booking_id: UUID) -> dict[str, Any]:
        """One booking straight from its event's stream, whatever the projection lag.

        From the warm aggregate, fast-forwarded, under this process's lock of the event only
        (a read needs no database lock): a booking read back during a sale costs a few rows,
        not a load of the whole event (about 0.1 s at 10,000 bookings).
        """
        ref = self._ref(booking_id)
        with self.locks.hold_here(ref.event_id):
            event = self.warm_event(ref.event_id)
            self.warm.keep(event)
            return booking_view(event, booking_id)

    def booking_owner(self, booking_id: UUID) -> str:
        return self._ref(booking_id).user_id

    # ----- plumbing --------------------------------------------------------------------

    def _change(
        self, command: str, event_id: UUID, decide: Callable[[Event], None]
    ) -> Outcome:
        def attempt() -> Outcome:
            event = self.warm_event(event_id)
            with self.warm.cooling(event):
                decide(event)
                position = self._save(event)
            self.warm.keep(event)
            return Outcome(event_view(event), position)

        return self._retrying(command, event_id, attempt)

    def warm_event(self, event_id: UUID) -> Event:
        """The event's aggregate, kept from the last command and fast-forwarded from the store."""
        event = self.warm.take(event_id)
        if event is None or not fast_forward(event, self._rows_from, self.mapper.to_domain_event):
            return self._load(event_id)
        return event

    def warm_events(self, event_ids: Sequence[UUID]) -> dict[UUID, Event | DomainError]:
        """`warm_event` of several (their locks held): the warm ones' new rows in one read.

        Each maps to its aggregate, or to the refusal that is its requests' answer (no such
        event); a store that cannot be reached fails them all (STORE_UNAVAILABLE).
        """
        return self.warm.take_all(event_ids, self._rows_from_each, self.mapper.to_domain_event,
                                  self._load)

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

    def snapshot_at(self, event_id: UUID, version: int) -> bool:
        """Snapshot the event as stored at `version`; False when that snapshot exists."""
        if self._seal.key is None:
            log.warning("no SNAPSHOT_KEY or SECRET_KEY here: snapshot of %s not taken", event_id)
            return False
        try:
            self.take_snapshot(event_id, version=version)
        except IntegrityError:  # taken already (a task delivered twice)
            return False
        return True

    def _ref(self, booking_id: UUID) -> BookingRef:
        ref = self.find_ref(booking_id)
        if ref is None:
            raise booking_not_found(booking_id)
        return ref

    def find_ref(self, booking_id: UUID) -> BookingRef | None:
        """The booking's `BookingRef` (its event and owner), None if there is no such booking."""
        try:
            return self._get(BookingRef, booking_id)
        except AggregateNotFoundError:
            return None

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

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """The library's save, without its two runtime Protocol checks per aggregate.

        On Python 3.11 each costs about 35 µs, and a group of 20 bookings saves 21 aggregates
        (the event and a `BookingRef` each): a sixth of the save's CPU, under the event's lock.
        Plain aggregates are collected directly; anything else goes the library's way.
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
        self.schedule.after_save(processing_event)
        self._notify(recordings)
        self.notify(processing_event.events)  # deprecated in the library, still called there
        return recordings

    def save_units(self, units: Sequence[Sequence[Any]]) -> list[dict[UUID, int] | None]:
        """Save several units of aggregates (an event and its bookings' refs) in one transaction.

        Each unit's positions (of each aggregate's last event). If that transaction conflicts,
        each unit is saved alone: a unit whose own streams conflict gets None, the others are
        stored once.
        """
        collected = [(unit, [e for a in unit for e in a.collect_events()]) for unit in units]
        try:
            try:
                together = self._store(collected)
            except IntegrityError:
                if len(collected) == 1:
                    self._conflicted()
                    return [None]
            else:
                return [_positions(together)] * len(collected)
            alone: list[dict[UUID, int] | None] = []
            for unit in collected:
                try:
                    alone.append(_positions(self._store([unit])))
                except IntegrityError:
                    self._conflicted()
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

    def save_positions(self, *aggregates: Any) -> dict[UUID, int]:
        """Save in one transaction; the position of each aggregate's last event."""
        try:
            recordings = self.save(*aggregates)
        except (OperationalError, InterfaceError) as exc:
            raise Busy("The event store cannot be reached", code="STORE_UNAVAILABLE") from exc
        return _positions(recordings)

    def _committed(self, outcome: Outcome) -> Outcome:
        self.wake(outcome.position)
        return outcome

    def wake(self, position: int | None) -> None:
        """Wake the projections (outside any lock); a failure here never fails the command."""
        if self.on_commit is not None and position is not None:
            try:
                self.on_commit(position)
            except Exception:  # a lost wake-up only delays projections; beat catches up
                log.exception("could not send the projection wake-up")

    def _retrying(
        self, command: str, event_id: UUID, attempt: Callable[[], Outcome]
    ) -> Outcome:
        started = time.perf_counter()
        try:
            outcome = self._attempts(event_id, attempt)
        except DomainError as exc:
            COMMANDS.labels(command, exc.code).inc()
            raise
        COMMANDS.labels(command, "replayed" if outcome.replayed else "ok").inc()
        COMMAND_LATENCY.labels(command).observe(time.perf_counter() - started)
        return self._committed(outcome)

    def _attempts(self, event_id: UUID, attempt: Callable[[], Outcome]) -> Outcome:
        with self.locks.hold(event_id):
            return self.on_conflict_retry(lambda _: attempt())

    def _conflicted(self) -> None:
        """A save conflicted with another writer: it will be decided again."""
        self.retries += 1
        RETRIES.inc()

    def on_conflict_retry(self, attempt: Callable[[int], T], *, tried: int = 0) -> T:
        """`attempt(n)` until no concurrent write conflicts with it (jittered backoff, bounded);
        `tried`: attempts already made (a group's save that conflicted)."""
        max_attempts = self.settings.command_max_attempts
        for n in range(tried, max_attempts):
            try:
                return attempt(n)
            except IntegrityError:
                self._conflicted()
                time.sleep(random.uniform(0, min(0.25, 0.002 * 2**n)))  # noqa: S311
        raise Busy(f"Gave up after {max_attempts} concurrent-write conflicts; try again",
                   code="WRITE_CONFLICT")


def _positions(recordings: list[Recording[UUID]]) -> dict[UUID, int]:
    """The position of each aggregate's last event among these recordings."""
    return {r.domain_event.originator_id: r.notification.id for r in recordings}
