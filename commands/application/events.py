"""An event's own commands: create it (a draft, or on sale at once), publish a draft, change
its details and categories, cancel it (every booking with it), complete it (asked, or once it
is over)."""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from commands.application.payments import PaymentCommands
from commands.application.runner import CommandRunner
from commands.application.views import Outcome, event_view
from commands.domain import organizers
from commands.domain.actor import Actor
from commands.domain.booking import Booking
from commands.domain.creation import create_event
from commands.domain.errors import DomainError
from commands.domain.event import Event
from commands.domain.payment import EVENT_CANCELLED
from commands.payments.provider import PaymentMethods
from core.metrics import COMMANDS


class EventCommands:
    """Create, publish, change, cancel and complete events."""

    def __init__(self, runner: CommandRunner, confirmed: Callable[[UUID], list[Booking]],
                 payments: PaymentCommands, methods: Callable[[], PaymentMethods]) -> None:
        self.runner = runner
        self.confirmed = confirmed  # an event's confirmed bookings, from the store
        self.payments = payments  # its paid bookings are refunded
        self.methods = methods  # the payment methods set up: those an event may accept

    def create(self, *, publish_at: datetime | None = None,
               payment_methods: list[str] | None = None,
               taxes: list[dict[str, Any]] | None = None,
               translations: dict[str, dict[str, str]] | None = None,
               **fields: Any) -> Outcome:
        """Start a new event's stream; a draft with `publish_at` is set to go on sale then,
        the payment methods chosen (None: every one set up, now and later), its tax rules
        set and its name and description given per language, in the same append."""
        try:
            now = self.runner.clock()
            event = create_event(event_id=uuid4(), now=now, **fields)
            if translations:  # as a change of its details, as a later one is recorded
                event.update_details({"translations": translations}, now=now)
            if payment_methods is not None:
                event.choose_payment_methods(payment_methods, registered=list(self.methods()))
            if taxes is not None:
                event.set_taxes(taxes, by=None)
            if publish_at is not None:
                event.schedule_publication(publish_at, now=now)
        except DomainError as exc:
            COMMANDS.labels("create_event", exc.code).inc()
            raise
        outcome = Outcome(event_view(event), self.runner.store.append(event))
        COMMANDS.labels("create_event", "ok").inc()
        self.runner.wake(outcome.position)
        return outcome

    def update(self, event_id: UUID, changes: dict[str, Any],  # noqa: PLR0913 - as asked
               categories: list[dict[str, Any]], actor: Actor | None = None,
               payment_methods: list[str] | None = None,
               taxes: list[dict[str, Any]] | None = None) -> Outcome:
        """Change details, set categories' prices and capacities, choose its payment methods
        and set its tax rules (None: as they are) in one append (its organizer, a
        co-organizer, an admin)."""
        registered = list(self.methods())

        def decide(event: Event) -> None:
            event.update_details(changes, now=self.runner.clock())
            for c in categories:
                event.set_category(c["name"], Decimal(c["price"]), int(c["capacity"]),
                                   hidden=bool(c.get("hidden", False)))
            if payment_methods is not None:
                event.choose_payment_methods(payment_methods, registered=registered)
            if taxes is not None:
                event.set_taxes(taxes, by=actor)

        return self.runner.change("update_event", event_id, decide, actor)

    def cancel(self, event_id: UUID, actor: Actor | None = None,
               reason: str | None = None) -> Outcome:
        """Cancel the event and every confirmed booking on it, each on its own stream too (its
        organizer until it starts, an admin; with `reason` when given, needed once started)."""

        def decide(event: Event) -> list[Any]:
            organizers.require_owner(event, actor)  # before its bookings are read
            bookings = self.confirmed(event.id)
            event.cancel(now=self.runner.clock(), bookings=bookings, by=actor, reason=reason)
            # Each paid booking's refund asked for in the same append, once; the refunds'
            # process manager gives them back (`workers.refunds`), resuming where it stopped.
            return [*bookings, *self.payments.asked_refunds(bookings, event.currency,
                                                            reason=EVENT_CANCELLED)]

        return self.runner.change("cancel_event", event_id, decide)

    def complete(self, event_id: UUID, actor: Actor | None = None) -> Outcome:
        """Close a started event (its organizer, an admin)."""

        def decide(event: Event) -> None:
            organizers.require_owner(event, actor)
            event.complete(now=self.runner.clock())

        return self.runner.change("complete_event", event_id, decide)

    def publish(self, event_id: UUID, actor: Actor | None = None) -> Outcome:
        """Put a draft on sale (its organizers, an admin); one published already is answered
        as it is, nothing appended (position None)."""

        def decide(event: Event) -> None:
            event.publish(now=self.runner.clock(), by=actor)

        return self.runner.change("publish_event", event_id, decide, actor)

    def schedule_publication(self, event_id: UUID, at: datetime | None,
                             actor: Actor | None = None) -> Outcome:
        """Set a draft to go on sale by itself at `at`, or withdraw its schedule (None); its
        organizers, an admin."""

        def decide(event: Event) -> None:
            event.schedule_publication(at, now=self.runner.clock(), by=actor)

        return self.runner.change("schedule_publication", event_id, decide, actor)

    def publish_when_due(self, event_id: UUID) -> Outcome:
        """The scheduler's publication of a draft found due, under the event's lock (of two
        schedulers, one appends `EventPublished`); nothing appended when it is not due."""
        runner = self.runner

        def attempt() -> Outcome:
            event = runner.aggregate(event_id)
            with runner.cache.cooling(event):
                done = event.publish_when_due(now=runner.clock())
                position = runner.store.append(event) if done else None
            runner.cache.keep(event)
            return Outcome(event_view(event), position)

        return runner.run("publish_when_due", event_id, attempt)

    def complete_when_over(self, event_id: UUID) -> Outcome:
        """The scheduler's completion of an event found due: under the event's lock, on its
        state brought up to date, so of two schedulers finding it due one appends
        `EventCompleted` and the other finds it completed. Nothing appended (position None)
        when it is closed already or not over yet."""
        runner = self.runner

        def attempt() -> Outcome:
            event = runner.aggregate(event_id)
            with runner.cache.cooling(event):
                done = event.complete_when_over(now=runner.clock())
                position = runner.store.append(event) if done else None
            runner.cache.keep(event)
            return Outcome(event_view(event), position)

        return runner.run("complete_when_over", event_id, attempt)
