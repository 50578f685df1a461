"""The Ledger application: load -> decide -> save, with bounded optimistic retries.

Every command loads the event's aggregate, lets it decide, and appends the new domain
events. A concurrent writer on the same stream makes the store raise IntegrityError; the
command is then retried on fresh state with jittered backoff, up to a bound.
"""

import logging
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, InterfaceError, OperationalError

from commands.aggregate import Event, create_event
from commands.booking_ref import BookingRef, fingerprint, idempotent_booking_id
from commands.errors import Busy, Conflict, DomainError, booking_not_found, event_not_found
from commands.locks import EventLocks
from commands.views import booking_view, event_view
from core.db import get_engine, store_env
from core.metrics import COMMAND_LATENCY, COMMANDS, RETRIES
from core.settings import Settings, get_settings

log = logging.getLogger(__name__)
T = TypeVar("T")
Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_ticket_code() -> str:
    """128 random bits from `secrets`, URL-safe, unguessable."""
    return secrets.token_urlsafe(16)


@dataclass(frozen=True)
class Outcome:
    """What a command answers: a view of what it changed and the store position reached."""

    view: dict[str, Any]
    position: int | None
    replayed: bool = False


class Ledger(Application[UUID]):
    """The event-sourced write side of the booking ledger."""

    name = "Ledger"

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        clock: Clock = utcnow,
        on_commit: Callable[[int], None] | None = None,
        create_tables: bool = False,
    ) -> None:
        self.settings = settings or get_settings()
        # Per instance, since the interval is a setting.
        self.snapshotting_intervals = {Event: self.settings.snapshot_interval}  # type: ignore[misc]
        self.clock = clock
        self.on_commit = on_commit
        self.retries = 0
        super().__init__(env=store_env(self.settings, create_tables=create_tables))
        engine = get_engine() if self.settings.is_postgres else None
        self.locks = EventLocks(
            engine, self.settings.lock_timeout_seconds, self.settings.event_queue_wait_seconds
        )

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

    def book(  # noqa: PLR0913 - a booking request's fields
        self,
        event_id: UUID,
        *,
        user_id: UUID,
        user_name: str,
        category: str | None,
        quantity: int,
        idempotency_key: str | None = None,
    ) -> Outcome:
        """Book seats; with an idempotency key a retry answers the first booking."""
        user = str(user_id)
        booking_id = idempotent_booking_id(user, idempotency_key) if idempotency_key else uuid4()
        digest = fingerprint({"event_id": event_id, "category": category, "quantity": quantity})

        def attempt() -> Outcome:
            if idempotency_key:
                earlier = self._replay(booking_id, digest)
                if earlier is not None:
                    return earlier
            event = self._load(event_id)
            event.book(
                booking_id=booking_id,
                user_id=user,
                user_name=user_name,
                category=category,
                quantity=quantity,
                ticket_codes=[new_ticket_code() for _ in range(max(quantity, 0))],
                now=self.clock(),
            )
            ref = BookingRef(id=booking_id, event_id=event_id, user_id=user, fingerprint=digest)
            position = self._save(event, ref)
            return Outcome(booking_view(event, booking_id), position)

        return self._retrying("book", event_id, attempt)

    def cancel_booking(self, booking_id: UUID, *, actor_id: UUID | None = None) -> Outcome:
        """Cancel a booking; `actor_id` set means only its owner may (else: not found)."""
        ref = self._ref(booking_id)
        if actor_id is not None and ref.user_id != str(actor_id):
            raise booking_not_found(booking_id)

        def attempt() -> Outcome:
            event = self._load(ref.event_id)
            event.cancel_booking(booking_id, now=self.clock())
            position = self._save(event)
            return Outcome(booking_view(event, booking_id), position)

        return self._retrying("cancel_booking", ref.event_id, attempt)

    # ----- write-side reads ---------------------------------------------------------------

    def event(self, event_id: UUID, version: int | None = None) -> Event:
        """The event from its stream (optionally as it was at `version`)."""
        return self._load(event_id, version)

    def booking(self, booking_id: UUID) -> dict[str, Any]:
        """One booking straight from its event's stream, whatever the projection lag."""
        ref = self._ref(booking_id)
        return booking_view(self._load(ref.event_id), booking_id)

    def booking_owner(self, booking_id: UUID) -> str:
        return self._ref(booking_id).user_id

    # ----- plumbing --------------------------------------------------------------------

    def _change(
        self, command: str, event_id: UUID, decide: Callable[[Event], None]
    ) -> Outcome:
        def attempt() -> Outcome:
            event = self._load(event_id)
            decide(event)
            return Outcome(event_view(event), self._save(event))

        return self._retrying(command, event_id, attempt)

    def _replay(self, booking_id: UUID, digest: str) -> Outcome | None:
        try:
            ref = self._get(BookingRef, booking_id)
        except AggregateNotFoundError:
            return None
        if ref.fingerprint != digest:
            raise Conflict(
                "This Idempotency-Key was used for a different request",
                code="IDEMPOTENCY_KEY_REUSED",
            )
        return Outcome(booking_view(self._load(ref.event_id), booking_id), None, replayed=True)

    def _ref(self, booking_id: UUID) -> BookingRef:
        try:
            return self._get(BookingRef, booking_id)
        except AggregateNotFoundError:
            raise booking_not_found(booking_id) from None

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

    def _save(self, *aggregates: Any) -> int | None:
        try:
            recordings = self.save(*aggregates)
        except (OperationalError, InterfaceError) as exc:
            raise Busy("The event store cannot be reached", code="STORE_UNAVAILABLE") from exc
        return recordings[-1].notification.id if recordings else None

    def _committed(self, outcome: Outcome) -> Outcome:
        """Wake the projections (outside any lock); a failure here never fails the command."""
        if self.on_commit is not None and outcome.position is not None:
            try:
                self.on_commit(outcome.position)
            except Exception:  # a lost wake-up only delays projections; beat catches up
                log.exception("could not send the projection wake-up")
        return outcome

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
        max_attempts = self.settings.command_max_attempts
        with self.locks.hold(event_id):
            for n in range(max_attempts):
                try:
                    outcome = attempt()
                    break
                except IntegrityError:
                    self.retries += 1
                    RETRIES.inc()
                    time.sleep(random.uniform(0, min(0.25, 0.002 * 2**n)))  # noqa: S311
            else:
                raise Busy(
                    f"Gave up after {max_attempts} concurrent-write conflicts; try again",
                    code="WRITE_CONFLICT",
                )
        return outcome
