"""The Ledger: the write side's one entry, composed of the store and the use cases.

Each command is load -> decide -> save on one event's stream (`commands.application.runner`):
the event's lock, its warm aggregate brought up to date, the aggregate's decision, one append,
bounded retries on conflict, then the projections' wake-up. Bookings are committed in groups
(`commands.application.request_groups`), queued by `commands.store.group_commit`; snapshots are
scheduled by `commands.store.snapshots`.
"""

import asyncio
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Unpack
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, EventStore, Mapper

from commands.application.asked import book_request, hold_request
from commands.application.booking import BookingCommands
from commands.application.erasure import ErasureCommands
from commands.application.events import EventCommands
from commands.application.holds import HoldCommands
from commands.application.invoices import InvoiceCommands
from commands.application.offline_payments import OfflinePaymentCommands
from commands.application.organizers import OrganizerCommands
from commands.application.payments import PaymentCommands
from commands.application.request_groups import MAX_GROUP, RequestGroups
from commands.application.runner import CommandRunner
from commands.application.seat_requests import SeatFields, SeatRequest
from commands.application.views import Outcome
from commands.application.vouchers import VoucherCommands
from commands.application.waitlist import WaitlistCommands
from commands.domain.actor import Actor
from commands.domain.errors import DomainError, person_already_erased
from commands.domain.event import Event
from commands.payments.provider import PaymentMethods, PaymentProvider
from commands.payments.registry import by_default, methods_for, money_first, with_offline
from commands.store.aggregate_cache import WarmAggregates
from commands.store.aggregate_store import AggregateStore
from commands.store.group_commit import GroupCommitter
from commands.store.locks import EventLocks
from commands.store.snapshots import COUNTS, RECORDS, SnapshotSchedule
from commands.store.wakeups import CoalescingWaker
from core.db import get_lock_engine, store_env
from core.event_store.global_log import EventLog
from core.metrics import COMMAND_LATENCY, COMMANDS
from core.personal import INVOICE, Named, Personal
from core.personal_data.vault import Forgotten, PersonalData, personal_data
from core.settings import Settings, get_settings

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


class Ledger:
    """The event-sourced write side of the booking ledger."""

    def __init__(  # noqa: PLR0913 - the settings, and what a caller may put in their place
        self,
        settings: Settings | None = None,
        *,
        clock: Clock = utcnow,
        on_commit: Callable[[int], None] | None = None,
        wake_slot: Callable[[], float] | None = None,
        snapshot_elsewhere: Callable[[UUID, int, str], None] | None = None,
        create_tables: bool = False,
        provider: PaymentProvider | None = None,
    ) -> None:
        self.settings = s = settings or get_settings()
        self.clock = clock
        self.store = AggregateStore(s, store_env(s, create_tables=create_tables))
        self.eventlog = EventLog(s, self.store.recorder, self.store.mapper)  # the global log
        engine = get_lock_engine() if s.is_postgres else None
        self.locks = EventLocks(engine, s.lock_timeout_seconds, s.event_queue_wait_seconds)
        # Each touched only under its event's lock.
        self.warm = WarmAggregates(count=s.aggregate_cache_size, recorder=self.store.recorder,
                                   to_domain=self.store.mapper.to_domain_event,
                                   load=self.store.load_counts, cold=self.store)
        # Snapshots are encoded and stored by a thread of their own once the commits pause:
        # off the event's lock and the answers' path (see `commands.store.snapshots`). With
        # workers, a snapshot owed is asked of them (`snapshot_at` there, rebuilt from the
        # store): encoding thousands of bookings is what made an API process's RSS grow.
        self.schedule = SnapshotSchedule(
            self.store.snapshots, interval=s.snapshot_interval,
            sealed=self.store.seal.key is not None, rebuild_at=self.snapshot_at,
            elsewhere=snapshot_elsewhere)
        self.store.on_saved = self.schedule.after_save
        # Off the request path when a broker carries them; in-process (eager) it stays in line.
        # `wake_slot`: the gap shared with the other processes committing to the log.
        self.waker: CoalescingWaker | None = None
        if on_commit is not None and not s.is_eager:
            on_commit = self.waker = CoalescingWaker(on_commit, s.projection_wake_gap_seconds,
                                                     slot=wake_slot)
        self.runner = CommandRunner(self.store, self.locks, self.warm, clock=clock,
                                    on_commit=on_commit)
        # The payment methods set up (`provider` given: a test's own, beside money taken by
        # hand), made at first use.
        self._methods = None if provider is None else with_offline(provider)
        self.hold_commands = HoldCommands(self.runner, self.store,
                                          pay_first=s.payments_required or provider is not None)
        self.payment_commands = PaymentCommands(self.runner, self.store, self.hold_commands,
                                                self.payment_methods)
        self.booking_commands = BookingCommands(self.runner, self.store, self.payment_commands)
        self.offline_payments = OfflinePaymentCommands(self.runner, self.store,
                                                       self.payment_methods)
        self.event_commands = EventCommands(self.runner, self.booking_commands.confirmed,
                                            self.payment_commands, self.payment_methods)
        self.organizer_commands = OrganizerCommands(self.runner)
        self.waitlist_commands = WaitlistCommands(self.runner, self.store)
        self.voucher_commands = VoucherCommands(self.runner)
        self.invoice_commands = InvoiceCommands(self.runner, self.store, self.seal_buyer)
        self.erasure_commands = ErasureCommands(self.runner, self.store, lambda: self.personal)
        # Bookings queue per shard of events, one committer thread each. A commit holds a
        # pooled connection (two on PostgreSQL: lock and store); more shards than the pool
        # would only open and close overflow connections.
        shards = min(s.commit_shards, s.db_pool_size)
        self.booking_queues: GroupCommitter[int, SeatRequest] = GroupCommitter(
            RequestGroups(self.runner).commit, key_of=lambda r: r.event_id.int % shards,
            max_group=MAX_GROUP, wait=s.event_queue_wait_seconds, threads=shards)

    def close(self) -> None:
        self.booking_queues.close()
        if self.waker is not None:  # its thread joined: no wake-up reads a closed store
            self.waker.close()
        self.schedule.owed.close()  # the snapshots owed by saved commits are stored
        self.store.close()

    # ----- the store, as audits and operations read it --------------------------------------

    @property
    def recorder(self) -> ApplicationRecorder:
        return self.store.recorder

    @property
    def snapshots(self) -> EventStore[UUID] | None:
        return self.store.snapshots

    @property
    def mapper(self) -> Mapper[UUID]:
        return self.store.mapper

    @property
    def retries(self) -> int:
        """Saves that conflicted with another writer and were decided again."""
        return self.store.retries

    @property
    def on_commit(self) -> Callable[[int], None] | None:
        """The projections' wake-up after each commit (None: silent)."""
        return self.runner.on_commit

    @on_commit.setter
    def on_commit(self, wake: Callable[[int], None] | None) -> None:
        self.runner.on_commit = wake

    def event(self, event_id: UUID, version: int | None = None) -> Event:
        """The event from its stream (optionally as it was at `version`)."""
        return self.store.load(event_id, version)

    def snapshot_at(self, event_id: UUID, version: int, kind: str = RECORDS) -> bool:
        """Snapshot the event as stored at `version`, its counts or in full (`kind`); False
        when that snapshot exists."""
        if kind == COUNTS:
            return self.store.counts_snapshot_at(event_id, version)
        return self.store.snapshot_at(event_id, version)

    def snapshots_written(self) -> None:
        """Store the snapshots owed by every commit so far now (or log their failure)."""
        self.schedule.owed.flush()

    # ----- an event's commands ----------------------------------------------------------------

    def create_event(self, **fields: Any) -> Outcome:
        """Start a new event's stream, its organizer's name sealed with their key."""
        organizer, name = fields.get("organizer_id"), fields.get("organizer_name")
        if organizer is not None and name is not None:
            fields["organizer_name"] = self.seal_name(str(organizer), name)
        return self.event_commands.create(**fields)

    def update_event(self, event_id: UUID, changes: dict[str, Any],  # noqa: PLR0913
                     categories: list[dict[str, Any]], actor: Actor | None = None,
                     payment_methods: list[str] | None = None,
                     taxes: list[dict[str, Any]] | None = None) -> Outcome:
        return self.event_commands.update(event_id, changes, categories, actor,
                                          payment_methods, taxes)

    def cancel_event(self, event_id: UUID, actor: Actor | None = None,
                     reason: str | None = None) -> Outcome:
        return self.event_commands.cancel(event_id, actor, reason)

    def complete_event(self, event_id: UUID, actor: Actor | None = None) -> Outcome:
        return self.event_commands.complete(event_id, actor)

    def publish_event(self, event_id: UUID, actor: Actor | None = None) -> Outcome:
        return self.event_commands.publish(event_id, actor)

    def schedule_publication(self, event_id: UUID, at: datetime | None,
                             actor: Actor | None = None) -> Outcome:
        return self.event_commands.schedule_publication(event_id, at, actor)

    def publish_when_due(self, event_id: UUID) -> Outcome:
        """The scheduler's: publish the draft if its scheduled time came (else nothing)."""
        return self.event_commands.publish_when_due(event_id)

    def complete_when_over(self, event_id: UUID) -> Outcome:
        """The scheduler's: complete the event if it is over and still open (else nothing)."""
        return self.event_commands.complete_when_over(event_id)

    # ----- bookings ---------------------------------------------------------------------------

    def book(self, event_id: UUID, **request: Unpack[SeatFields]) -> Outcome:
        """Book seats; with an idempotency key a retry answers the first booking."""
        return self._grouped("book", book_request(
            event_id, pay_first=self.settings.payments_required, **self._sealed(request)))

    async def book_async(self, event_id: UUID, **request: Unpack[SeatFields]) -> Outcome:
        """`book` for an async route: its task awaits the group commit without a thread."""
        return await self._grouped_async("book", book_request(
            event_id, pay_first=self.settings.payments_required, **self._sealed(request)))

    def _sealed(self, request: SeatFields) -> SeatFields:
        """The request with the buyer's name sealed with their key, before anything records it
        (`core.personal_data`)."""
        sealed = request.copy()
        sealed["user_name"] = self.seal_name(str(request["user_id"]), request["user_name"])
        return sealed

    def seal_name(self, person: str, name: Named) -> Personal:
        """A person's name as the log keeps it: sealed with their key (PERSON_ALREADY_ERASED
        for a person forgotten)."""
        if isinstance(name, Personal):
            return name
        try:
            return self.personal.seal(person, name)
        except Forgotten:
            raise person_already_erased(person) from None

    @property
    def personal(self) -> PersonalData:
        """The persons' keys (the process's), found at first use: a ledger that seals
        nothing (a migration, a verify) needs no key."""
        found: PersonalData = personal_data()
        return found

    def _grouped(self, command: str, request: SeatRequest) -> Outcome:
        """A booking, hold or confirmation committed in its event's group."""
        started = time.perf_counter()
        try:
            outcome = self.booking_queues.submit(request)
        except DomainError as exc:
            COMMANDS.labels(command, exc.code).inc()
            raise
        return _counted(command, outcome, started)

    async def _grouped_async(self, command: str, request: SeatRequest) -> Outcome:
        started = time.perf_counter()
        try:
            outcome = await self.booking_queues.submit_async(request)
        except DomainError as exc:
            COMMANDS.labels(command, exc.code).inc()
            raise
        return _counted(command, outcome, started)

    def cancel_booking(self, booking_id: UUID, actor: Actor | None = None,
                       reason: str | None = None) -> Outcome:
        return self.booking_commands.cancel(booking_id, actor, reason)

    def refund_tickets(self, booking_id: UUID, codes: list[str], actor: Actor | None = None,
                       reason: str | None = None) -> Outcome:
        return self.booking_commands.refund_tickets(booking_id, codes, actor, reason)

    def check_in(self, event_id: UUID, code: str, booking_id: UUID,
                 actor: Actor | None = None) -> Outcome:
        return self.booking_commands.check_in(event_id, code, booking_id, actor)

    def undo_check_in(self, event_id: UUID, code: str, booking_id: UUID,
                      actor: Actor | None = None) -> Outcome:
        return self.booking_commands.undo_check_in(event_id, code, booking_id, actor)

    def booking(self, booking_id: UUID) -> dict[str, Any]:
        return self.booking_commands.view(booking_id)

    def booking_owner(self, booking_id: UUID) -> str:
        return self.booking_commands.ref(booking_id).user_id

    # ----- checkout holds ----------------------------------------------------------------------

    def hold(self, event_id: UUID, **request: Unpack[SeatFields]) -> Outcome:
        """Hold seats for the buyer; with an idempotency key a retry answers the first hold."""
        return self._grouped("hold", hold_request(event_id, **self._sealed(request)))

    async def hold_async(self, event_id: UUID, **request: Unpack[SeatFields]) -> Outcome:
        return await self._grouped_async("hold", hold_request(event_id, **self._sealed(request)))

    def confirm_hold(self, hold_id: UUID, actor: Actor | None = None) -> Outcome:
        """Book a hold's seats (its buyer, an admin): the booking; a retry answers it again."""
        return self._grouped("confirm_hold", self.hold_commands.confirm_request(hold_id, actor))

    async def confirm_hold_async(self, hold_id: UUID, actor: Actor | None = None) -> Outcome:
        request = self.hold_commands.kept_confirm_request(hold_id, actor)
        if request is None:  # a query, so a thread: the claim kept here needs neither
            request = await asyncio.to_thread(self.hold_commands.confirm_request, hold_id, actor)
        return await self._grouped_async("confirm_hold", request)

    def release_hold(self, hold_id: UUID, actor: Actor | None = None) -> Outcome:
        return self.hold_commands.release(hold_id, actor)

    def expire_holds(self, event_id: UUID) -> Outcome:
        """The scheduler's: expire the event's holds whose time is up (else nothing)."""
        return self.hold_commands.expire_due(event_id)

    def hold_now(self, hold_id: UUID, actor: Actor | None = None) -> dict[str, Any]:
        return self.hold_commands.view(hold_id, actor)

    # ----- payments ----------------------------------------------------------------------------

    def payment_methods(self) -> PaymentMethods:
        """Every payment method set up, by name, made at first use."""
        if self._methods is None:
            self._methods = methods_for(self.settings)
        return self._methods

    def payment_methods_by_default(self) -> list[str]:
        """What an event whose organizers never chose its methods accepts."""
        return by_default(self.payment_methods())

    def payment_provider(self) -> PaymentProvider | None:
        """The provider that takes the money itself (a card: it moves money, sends notices,
        is reconciled); None when none is set up."""
        return money_first(self.payment_methods())

    def pay_hold(self, hold_id: UUID, actor: Actor | None, payment_method: str | None,
                 method: str | None = None) -> Outcome:
        """Pay for a hold (its buyer, an admin) with one of its event's methods (None: the one
        taking the money first): the payment, and its booking once it succeeded, or at once
        with a method that books the seats first."""
        return self.payment_commands.pay(hold_id, actor, payment_method, method)

    def settle_stale_payment(self, payment_id: UUID) -> str | None:
        """A payment still being made long after it began, settled from the provider (an
        abandoned one failed): its status then (`workers.stale_payments`)."""
        return self.payment_commands.settle_stale(payment_id)

    def mark_paid(self, booking_id: UUID, actor: Actor | None, method: str,
                  reference: str | None = None) -> Outcome:
        """A booking paid at the door or by transfer, as its organizers mark it."""
        return self.offline_payments.mark_paid(booking_id, actor, method, reference)

    def mark_refunded(self, booking_id: UUID, actor: Actor | None,
                      reference: str | None = None) -> Outcome:
        """An offline payment's refund given back, as its organizers mark it."""
        return self.offline_payments.mark_refunded(booking_id, actor, reference)

    def retry_refund(self, booking_id: UUID, actor: Actor | None) -> Outcome:
        """A refund the provider refused, asked again now by the booking's organizers."""
        self.offline_payments.require_manager(booking_id, actor)
        return self.payment_commands.retry_refund(booking_id)

    def payment_notice(self, provider: str, payload: bytes,
                       headers: Mapping[str, str]) -> dict[str, Any]:
        """A webhook of the provider named `provider`, verified and recorded once."""
        return self.payment_commands.notice(provider, payload, headers)

    def payment(self, hold_id: UUID, actor: Actor | None = None) -> dict[str, Any]:
        return self.payment_commands.view(hold_id, actor)

    # ----- waitlists ----------------------------------------------------------------------------

    def join_waitlist(self, event_id: UUID, **request: Unpack[SeatFields]) -> Outcome:
        return self.waitlist_commands.join(event_id, **self._sealed(request))

    def leave_waitlist(self, place_id: UUID, actor: Actor | None = None) -> Outcome:
        return self.waitlist_commands.leave(place_id, actor)

    def offer_to_waitlist(self, event_id: UUID) -> Outcome:
        """The waitlist's process manager: offer the seats free now to the places first on it."""
        return self.waitlist_commands.offer(event_id)

    # ----- who runs an event --------------------------------------------------------------------

    def transfer_event(self, event_id: UUID, organizer: tuple[str, Named],
                       actor: Actor) -> Outcome:
        """Hand the event to the organizer (id, name), their name sealed with their key."""
        organizer_id, name = organizer
        return self.organizer_commands.transfer(
            event_id, (organizer_id, self.seal_name(organizer_id, name)), actor)

    def add_co_organizer(self, event_id: UUID, user: tuple[str, Named], actor: Actor) -> Outcome:
        """Add or invite a co-organizer (id, name), their name sealed with their key."""
        user_id, name = user
        return self.organizer_commands.add(event_id, (user_id, self.seal_name(user_id, name)),
                                           actor)

    def remove_co_organizer(self, event_id: UUID, user_id: str, actor: Actor) -> Outcome:
        return self.organizer_commands.remove(event_id, user_id, actor)

    def accept_co_organizer(self, event_id: UUID, actor: Actor) -> Outcome:
        return self.organizer_commands.accept(event_id, actor)

    def decline_co_organizer(self, event_id: UUID, actor: Actor) -> Outcome:
        return self.organizer_commands.decline(event_id, actor)

    def runs(self, event_id: UUID, user_id: str) -> bool:
        return self.organizer_commands.runs(event_id, user_id)

    def run_by(self, event_ids: set[UUID], user_id: str) -> set[UUID]:
        return self.organizer_commands.run_by(event_ids, user_id)

    def owners(self, event_id: UUID) -> dict[str, Any]:
        return self.organizer_commands.owners(event_id)

    # ----- an event's vouchers ------------------------------------------------------------------

    def create_vouchers(self, event_id: UUID, **request: Any) -> Outcome:
        """Voucher codes on the same terms: those given, or `count` random ones."""
        return self.voucher_commands.create(event_id, **request)

    def disable_voucher(self, event_id: UUID, code: str, actor: Actor | None = None) -> Outcome:
        return self.voucher_commands.disable(event_id, code, actor)

    # ----- invoices ----------------------------------------------------------------------------

    def set_seller(self, organizer_id: str, details: dict[str, Any]) -> Outcome:
        """The seller's details an organizer's invoices name from now on."""
        return self.invoice_commands.set_seller(organizer_id, details)

    def seller(self, organizer_id: str) -> dict[str, Any] | None:
        return self.invoice_commands.seller(organizer_id)

    def request_invoice(self, booking_id: UUID, buyer: dict[str, Any], actor: Actor) -> Outcome:
        """An invoice of a booking for its buyer, issued once it is paid."""
        return self.invoice_commands.request(booking_id, buyer, actor)

    def request_invoice_for_hold(self, hold_id: UUID, buyer: dict[str, Any],
                                 actor: Actor) -> Outcome:
        """At checkout: an invoice of the booking a hold becomes once paid."""
        return self.invoice_commands.request_for_hold(hold_id, buyer, actor)

    def seal_buyer(self, person: str, buyer: dict[str, Any]) -> Personal:
        """An invoice's buyer as the log keeps it: sealed with the buyer's invoice key, which
        outlives their erasure for the invoices' retention (`core.personal.INVOICE`)."""
        try:
            return self.personal.seal_json(person, buyer, INVOICE)
        except Forgotten:
            raise person_already_erased(person) from None

    # ----- persons -----------------------------------------------------------------------------

    def erase_person(self, person_id: str, by: str, reason: str) -> Outcome:
        """Forget a person: their key destroyed, `PersonErased` recorded (once)."""
        return self.erasure_commands.erase(person_id, by, reason)

    def is_erased(self, person_id: str) -> bool:
        return self.erasure_commands.erased(person_id)

    def forget_invoices(self, person_id: str, by: str, reason: str) -> Outcome:
        """Forget an erased person's invoice details, their invoices' retention over: their
        invoice key destroyed, `InvoiceDetailsForgotten` recorded (once)."""
        return self.erasure_commands.forget_invoices(person_id, by, reason)

    def settle_invoices(self, organizer_id: str, booking_id: UUID) -> Outcome:
        """A booking's invoices brought in line with its payment and its tickets."""
        return self.invoice_commands.settle(organizer_id, booking_id)


def _counted(command: str, outcome: Outcome, started: float) -> Outcome:
    COMMANDS.labels(command, "replayed" if outcome.replayed else "ok").inc()
    COMMAND_LATENCY.labels(command).observe(time.perf_counter() - started)
    return outcome
