"""The spine of every command on one event: lock, load, decide, save; retried on conflict.

A command takes its event's lock, brings the event's warm aggregate up to date
(`commands.store.aggregate_cache`), lets it decide, and appends the new domain events. A
concurrent writer on the same stream makes the store raise IntegrityError; the command is then
decided again on fresh state with jittered backoff, up to a bound. Once committed, and outside
the lock, the projections are woken.
"""

import logging
import random
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from commands.application.views import Outcome, event_view
from commands.domain import organizers
from commands.domain.actor import Actor
from commands.domain.booking import Booking
from commands.domain.errors import DomainError
from commands.domain.event import Event
from commands.store.aggregate_cache import WarmAggregates
from commands.store.aggregate_store import AggregateStore
from commands.store.busy import write_conflicts
from commands.store.locks import EventLocks
from core.metrics import COMMAND_LATENCY, COMMANDS

log = logging.getLogger(__name__)
T = TypeVar("T")
Decide = Callable[[Event], Sequence[Booking] | None]
# A decision's answer, and the streams besides the event's it changed (saved with it).
Decided = tuple[dict[str, Any], Sequence[Any]]


class CommandRunner:
    """Runs commands on events: the lock, the aggregate, the save, the retries, the wake-up."""

    def __init__(self, store: AggregateStore, locks: EventLocks, cache: WarmAggregates, *,
                 clock: Callable[[], datetime], on_commit: Callable[[int], None] | None) -> None:
        self.store = store
        self.locks = locks
        self.cache = cache
        self.clock = clock
        self.on_commit = on_commit  # the projections' wake-up (None: silent)

    # ----- load ----------------------------------------------------------------------------

    def aggregate(self, event_id: UUID) -> Event:
        """The event's aggregate, kept from the last command and fast-forwarded from the store
        (taken out of the cache: the caller holds the event's lock, and keeps it after)."""
        return self.cache.take_fresh(event_id)

    def read(self, event_id: UUID, look: Callable[[Event], T]) -> T:
        """What `look` reads of the warm aggregate brought up to date, under this process's
        lock of the event (the warm cache's rule: a reader never waits on other processes'
        writers), and kept warm after: a read that took it out for good would leave the next
        command to load the whole stream."""
        with self.locks.hold_here(event_id):
            event = self.aggregate(event_id)
            try:
                return look(event)
            finally:
                self.cache.keep(event)

    # ----- load, decide, save --------------------------------------------------------------

    def change(self, command: str, event_id: UUID, decide: Decide,
               actor: Actor | None = None) -> Outcome:
        """`decide` on the event's aggregate; saved with the bookings' refs it changed. With an
        `actor`, only one who runs the event (`organizers.require_manager`); `decide` checks
        more. Answers the event."""

        def decide_managed(event: Event) -> Decided:
            organizers.require_manager(event, actor)  # on the state decided on: rights move
            changed = decide(event) or ()
            return event_view(event), changed

        return self.decide(command, event_id, decide_managed)

    def decide(self, command: str, event_id: UUID,
               decide: Callable[[Event], "Decided | Outcome"], *, wake: bool = True) -> Outcome:
        """Load, decide, save: `decide` changes the event's aggregate and answers its view with
        the other streams it changed, saved with the event's in one append (nothing changed:
        nothing saved, position None), or an earlier outcome to replay as it is. Without
        `wake`, the caller wakes the projections itself, once for all it appends."""

        def attempt() -> Outcome:
            event = self.aggregate(event_id)
            with self.cache.cooling(event):
                decided = decide(event)
                if isinstance(decided, Outcome):
                    outcome = decided
                else:
                    view, changed = decided
                    position = (self.store.append(event, *changed)
                                if event.pending_events or changed else None)
                    outcome = Outcome(view, position)
            self.cache.keep(event)
            return outcome

        return self.run(command, event_id, attempt, wake=wake)

    def run(self, command: str, event_id: UUID, attempt: Callable[[], Outcome], *,
            wake: bool = True) -> Outcome:
        """`attempt` under the event's lock, retried on conflict; counted, timed, then the
        projections woken (unless not `wake`)."""
        started = time.perf_counter()
        try:
            with self.locks.hold(event_id):
                outcome = self.retry_on_conflict(lambda _: attempt())
        except DomainError as exc:
            COMMANDS.labels(command, exc.code).inc()
            raise
        COMMANDS.labels(command, "replayed" if outcome.replayed else "ok").inc()
        COMMAND_LATENCY.labels(command).observe(time.perf_counter() - started)
        if wake:
            self.wake(outcome.position)
        return outcome

    def retry_on_conflict(self, attempt: Callable[[int], T], *, tried: int = 0) -> T:
        """`attempt(n)` until no concurrent write conflicts with it (jittered backoff, bounded);
        `tried`: attempts that already conflicted (a group's save), counted here."""
        max_attempts = self.store.settings.command_max_attempts
        for _ in range(tried):
            self.store.conflicted()
        for n in range(tried, max_attempts):
            try:
                return attempt(n)
            except IntegrityError:
                self.store.conflicted()
                time.sleep(random.uniform(0, min(0.25, 0.002 * 2**n)))  # noqa: S311
        raise write_conflicts(max_attempts)

    def wake(self, position: int | None) -> None:
        """Wake the projections (outside any lock); a failure here never fails the command."""
        if self.on_commit is not None and position is not None:
            try:
                self.on_commit(position)
            except Exception:  # a lost wake-up only delays projections; beat catches up
                log.exception("could not send the projection wake-up")
