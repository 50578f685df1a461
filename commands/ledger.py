"""The Ledger application: load -> decide -> save, with bounded optimistic retries.

Every command takes its event's lock, brings the event's warm aggregate up to date
(`commands.store.aggregate_cache`), lets it decide, and appends the new domain events.
Bookings are committed in groups (`commands.application.book`); snapshots are scheduled by
`commands.store.snapshots`. A
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

from eventsourcing.application import ProcessingEvent
from eventsourcing.persistence import IntegrityError

from commands.application.answers import Outcome, event_view
from commands.application.book import BookFields, BookingCommitter, book_request
from commands.application.bookings import BookingCommands
from commands.application.organizers import Actor, OwnershipCommands
from commands.domain.booking import BookingRef
from commands.domain.errors import Busy, DomainError
from commands.domain.event import Event, create_event
from commands.store.aggregate_cache import WarmAggregates, fast_forward
from commands.store.aggregate_store import StoredLedger
from commands.store.locks import EventLocks
from commands.store.snapshots import SnapshotSchedule
from commands.store.wakeups import CoalescingWaker
from core.db import get_lock_engine, store_env
from core.eventlog import EventLog
from core.metrics import COMMAND_LATENCY, COMMANDS
from core.settings import Settings, get_settings

log = logging.getLogger(__name__)
T = TypeVar("T")
Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


class Ledger(BookingCommands, OwnershipCommands, StoredLedger):
    """The event-sourced write side of the booking ledger (its storage: `StoredLedger`)."""

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
        super().__init__(env=store_env(self.settings, create_tables=create_tables))
        s = self.settings
        self.eventlog = EventLog(s, self.recorder, self.mapper)  # the global log, as read
        engine = get_lock_engine() if s.is_postgres else None
        self.locks = EventLocks(engine, s.lock_timeout_seconds, s.event_queue_wait_seconds)
        # Each touched only under its event's lock.
        self.warm = WarmAggregates(count=s.aggregate_cache_size)
        # Snapshots are encoded and stored by a thread of their own once the commits pause:
        # off the event's lock and the answers' path (see `commands.store.snapshots`). With workers,
        # a snapshot owed is asked of them (`snapshot_at` there, rebuilt from the store):
        # encoding thousands of bookings is what made an API process's RSS grow.
        self.schedule = SnapshotSchedule(
            self.snapshots, interval=s.snapshot_interval, sealed=self._seal.key is not None,
            rebuild_at=self.snapshot_at, elsewhere=snapshot_elsewhere)
        # A commit holds a pooled connection (two on PostgreSQL: lock and store); more
        # shards than the pool would only open and close overflow connections.
        self._bookings = BookingCommitter(self, wait=s.event_queue_wait_seconds,
                                          threads=min(s.commit_shards, s.db_pool_size))

    def close(self) -> None:
        self._bookings.close()
        self.schedule.owed.close()  # the snapshots owed by saved commits are stored
        super().close()

    def after_save(self, processing_event: ProcessingEvent[UUID]) -> None:
        self.schedule.after_save(processing_event)

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
        self, event_id: UUID, changes: dict[str, Any], categories: list[dict[str, Any]],
        actor: Actor | None = None,
    ) -> Outcome:
        """Change details and set categories' prices and capacities in one append (its
        organizer, a co-organizer, an admin)."""

        def decide(event: Event) -> None:
            event.update_details(changes, now=self.clock())
            for c in categories:
                event.set_category(c["name"], Decimal(c["price"]), int(c["capacity"]))

        return self._change("update_event", event_id, decide, actor)

    def cancel_event(self, event_id: UUID, actor: Actor | None = None) -> Outcome:
        """Cancel the event and every confirmed booking on it, each on its own stream too (its
        organizer, an admin)."""

        def decide(event: Event) -> list[BookingRef]:
            event.require_owner(actor)  # before its bookings are read
            confirmed = self._confirmed(event.id)
            event.cancel(now=self.clock(), bookings=confirmed)
            return confirmed

        return self._change("cancel_event", event_id, decide)

    def complete_event(self, event_id: UUID, actor: Actor | None = None) -> Outcome:
        """Close a started event (its organizer, an admin)."""

        def decide(event: Event) -> None:
            event.require_owner(actor)
            event.complete(now=self.clock())

        return self._change("complete_event", event_id, decide)

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

    # ----- write-side reads ---------------------------------------------------------------

    def event(self, event_id: UUID, version: int | None = None) -> Event:
        """The event from its stream (optionally as it was at `version`)."""
        return self._load(event_id, version)

    # ----- plumbing --------------------------------------------------------------------

    def _change(
        self, command: str, event_id: UUID, decide: Callable[[Event], Sequence[BookingRef] | None],
        actor: Actor | None = None,
    ) -> Outcome:
        """`decide` on the event's aggregate; saved with the bookings' refs it changed. With an
        `actor`, only one who runs the event (`Event.require_manager`); `decide` checks more."""

        def attempt() -> Outcome:
            event = self.warm_event(event_id)
            with self.warm.cooling(event):
                event.require_manager(actor)  # on the state decided on: rights move with it
                changed = decide(event) or ()
                position = self._save(event, *changed)
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

    def on_conflict_retry(self, attempt: Callable[[int], T], *, tried: int = 0) -> T:
        """`attempt(n)` until no concurrent write conflicts with it (jittered backoff, bounded);
        `tried`: attempts that already conflicted (a group's save), counted here."""
        max_attempts = self.settings.command_max_attempts
        for _ in range(tried):
            self._conflicted()
        for n in range(tried, max_attempts):
            try:
                return attempt(n)
            except IntegrityError:
                self._conflicted()
                time.sleep(random.uniform(0, min(0.25, 0.002 * 2**n)))  # noqa: S311
        raise Busy(f"Gave up after {max_attempts} concurrent-write conflicts; try again",
                   code="WRITE_CONFLICT")

