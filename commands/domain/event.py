"""The Event aggregate: its state, and the domain events that change it.

Each command asks the rules of its concern (pure functions over the state: `details`,
`organizers`, `lifecycle`, `seats`, `sales`, `checkout`, `waitlist`), then triggers a past-tense
domain event (`commands.domain.events`) whose applier, just below it, only mutates, through
`tally` (the seat counts) and `records` (the booking records): a replay rebuilds the same state.
No I/O and no clock: time, ids and ticket codes come in as arguments. The appliers stay in the
class body, as the eventsourcing library needs them.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, cast
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from commands.domain import (
    checkout,
    details,
    events,
    lifecycle,
    organizers,
    payment_methods,
    records,
    sales,
    seats,
    snapshot,
    tally,
    taxes,
    vouchers,
    waitlist,
)
from commands.domain.actor import Actor
from commands.domain.booking import Booking
from commands.domain.claim import Claim
from commands.domain.events import BookingState, CategoryState, HoldState, PlaceState
from core.personal import Named


class Event(Aggregate):
    """One ticketed event: its stream holds every change and every booking. Loaded from the
    store it keeps each booking's record (time travel shows them); the write side's warm copy
    keeps none (`forget_bookings`)."""

    TOPIC = events.STORED_AS  # as stored since the first release: see `commands.domain.events`
    class_version = 13  # what each version brought: the upcasters, `commands.domain.snapshot`
    # False once `forget_bookings`: an instance's own, or a counts' snapshot's.
    keeps_records = True

    # The domain events, nested here: the library redefines each as `Event.<Name>` of this
    # module, the topic every stored event of a stream carries.
    Created = events.Created
    OrganizerTransferred = events.OrganizerTransferred
    CoOrganizerAdded = events.CoOrganizerAdded
    CoOrganizerRemoved = events.CoOrganizerRemoved
    CoOrganizerInvited = events.CoOrganizerInvited
    CoOrganizerAccepted = events.CoOrganizerAccepted
    CoOrganizerDeclined = events.CoOrganizerDeclined
    CoOrganizerInvitationWithdrawn = events.CoOrganizerInvitationWithdrawn
    DetailsUpdated = events.DetailsUpdated
    PaymentMethodsChosen = events.PaymentMethodsChosen
    CategoryAdded = events.CategoryAdded
    CategoryChanged = events.CategoryChanged
    SeatsBooked = events.SeatsBooked
    BookingCancelled = events.BookingCancelled
    TicketsCancelled = events.TicketsCancelled
    TicketCheckedIn = events.TicketCheckedIn
    TicketCheckInUndone = events.TicketCheckInUndone
    EventCancelled = events.EventCancelled
    EventCompleted = events.EventCompleted
    EventPublished = events.EventPublished
    PublicationScheduled = events.PublicationScheduled
    SeatsHeld = events.SeatsHeld
    HoldConfirmed = events.HoldConfirmed
    HoldReleased = events.HoldReleased
    HoldKeptForPayment = events.HoldKeptForPayment
    HoldExpired = events.HoldExpired
    WaitlistJoined = events.WaitlistJoined
    WaitlistLeft = events.WaitlistLeft
    TaxesSet = events.TaxesSet
    VouchersCreated = events.VouchersCreated
    VoucherDisabled = events.VoucherDisabled

    # As stored, with the stream's chain hash; older snapshots brought up to this version.
    Snapshot = snapshot.EventSnapshot
    upcast_v1_v2 = staticmethod(snapshot.upcast_v1_v2)
    upcast_v2_v3 = staticmethod(snapshot.upcast_v2_v3)
    upcast_v3_v4 = staticmethod(snapshot.upcast_v3_v4)
    upcast_v4_v5 = staticmethod(snapshot.upcast_v4_v5)
    upcast_v5_v6 = staticmethod(snapshot.upcast_v5_v6)
    upcast_v6_v7 = staticmethod(snapshot.upcast_v6_v7)
    upcast_v7_v8 = staticmethod(snapshot.upcast_v7_v8)
    upcast_v8_v9 = staticmethod(snapshot.upcast_v8_v9)
    upcast_v9_v10 = staticmethod(snapshot.upcast_v9_v10)
    upcast_v10_v11 = staticmethod(snapshot.upcast_v10_v11)
    upcast_v11_v12 = staticmethod(snapshot.upcast_v11_v12)
    upcast_v12_v13 = staticmethod(snapshot.upcast_v12_v13)

    @event(Created)
    def __init__(  # noqa: PLR0913 - the Created event's fields
        self,
        id: UUID,  # noqa: A002 - the library's name for the aggregate id
        name: str, description: str, venue: str, starts_at: datetime, ends_at: datetime | None,
        currency: str, categories: list[dict[str, Any]], max_tickets_per_user: int | None,
        created_at: datetime, organizer_id: str | None, organizer_name: Named | None,
        hold_seconds: int | None = None, timezone: str = events.DEFAULT_TIMEZONE,
        published: bool = True,
    ) -> None:
        self.name = name
        self.description = description
        self.venue = venue
        self.starts_at = starts_at
        self.ends_at = ends_at
        self.currency = currency
        self.timezone = timezone  # the venue's IANA zone: how its times are shown
        # Its name and description per language where its organizers gave them (a
        # `DetailsUpdated`): {language: {"name": ..., "description": ...}}.
        self.translations: dict[str, dict[str, str]] = {}
        self.published = published  # False: a draft, neither listed nor on sale
        self.publish_at: datetime | None = None  # a draft's scheduled publication
        self.max_tickets_per_user = max_tickets_per_user
        self.status = events.ACTIVE
        self.categories: dict[str, CategoryState] = {
            c["name"]: _category(Decimal(c["price"]), int(c["capacity"]), bool(c.get("hidden")))
            for c in categories
        }
        self.bookings: dict[str, BookingState] = {}
        self.booked_by_user: dict[str, int] = {}
        self.ticket_index: dict[str, str] = {}
        self.organizer_id = organizer_id
        self.organizer_name = organizer_name
        self.co_organizers: dict[str, Named] = {}  # user id -> name, sealed
        self.invited: dict[str, Named] = {}  # user id -> name, sealed, until they accept
        self.hold_seconds = hold_seconds  # None: checkout.DEFAULT_HOLD_SECONDS
        self.payment_methods: list[str] | None = None  # None: every method set up
        self.holds: dict[str, HoldState] = {}  # active holds by id, offers included
        self.held_by_category: dict[str, int] = {}  # category -> seats held
        self.held_by_user: dict[str, int] = {}  # user id -> seats held
        self.waitlist: dict[str, PlaceState] = {}  # places waiting, in the order they joined
        self.waitlisted_by_category: dict[str, int] = {}  # category -> seats waited for
        self.waitlisted_by_user: dict[str, int] = {}  # user id -> seats waited for
        self.may_hold_again_at: dict[str, datetime] = {}  # lapsed holds: `tally.lapsed`
        self.released_freely: dict[str, datetime] = {}  # `tally.released_freely`
        self.lapses_kept = checkout.MIN_LAPSES_KEPT
        self.vouchers: dict[str, events.VoucherState] = {}  # by code
        self.voucher_uses: dict[str, int] = {}  # code -> seats held or booked with it
        self.tax_rules: dict[str, events.TaxRule] = {}  # by name

    def forget_bookings(self) -> None:
        """Drop the booking records for good, as the write side's warm copy does
        (`commands.store.aggregate_cache`): it decides on counts alone, and its memory stays
        that of its counts however many bookings it sells. Snapshotted so only in the counts'
        snapshots (`EventSnapshot.take_counts`), never in the full ones."""
        if self.keeps_records:  # once: a warm aggregate is kept after every command
            self.bookings, self.ticket_index, self.keeps_records = {}, {}, False

    def fork(self) -> "Event":
        """An independent copy to apply further events to, cheap for a large event (time travel
        forks a cached snapshot per query): it shares the booking records, which the appliers
        replace and never edit (`records.amend`); only the containers are copied."""
        twin = cast(Event, self.Snapshot.take(self).mutate(None))  # its own pending events
        for name, value in list(vars(twin).items()):
            if isinstance(value, dict):  # every container: one added later is never shared
                setattr(twin, name, dict(value))
        # A category's counts are edited in place by the appliers: its rows are copied too.
        twin.categories = {name: dict(c) for name, c in self.categories.items()}  # type: ignore[misc]
        return twin

    # ----- details and categories ---------------------------------------------------------

    def update_details(self, changes: dict[str, Any], *, now: datetime) -> None:
        """Change the details: `details.changed_details` says which may change, and how."""
        changed = details.changed_details(self, changes, now=now)
        if changed:
            self._details_updated(changes=changed)

    @event(DetailsUpdated)
    def _details_updated(self, changes: dict[str, Any]) -> None:
        for key, value in changes.items():
            setattr(self, key, value)

    def choose_payment_methods(self, methods: list[str], *, registered: list[str]) -> None:
        """The methods its buyers may pay with (`payment_methods.chosen`: which may be)."""
        chosen = payment_methods.chosen(self, methods, registered)
        if chosen is not None:
            self._payment_methods_chosen(methods=chosen)

    @event(PaymentMethodsChosen)
    def _payment_methods_chosen(self, methods: list[str]) -> None:
        self.payment_methods = list(methods)

    def set_category(self, name: str, price: Decimal, capacity: int,
                     hidden: bool = False) -> None:
        """Add a category or change one's price, capacity (never below what is sold) and
        whether a voucher must unlock it (`hidden`)."""
        change = details.category_change(self, name, price, capacity, hidden)
        if change == "added":
            self._category_added(name=name, price=price, capacity=capacity, hidden=hidden)
        elif change == "changed":
            self._category_changed(name=name, price=price, capacity=capacity, hidden=hidden)

    @event(CategoryAdded)
    def _category_added(self, name: str, price: Decimal, capacity: int,
                        hidden: bool = False) -> None:
        self.categories[name] = _category(price, capacity, hidden)

    @event(CategoryChanged)
    def _category_changed(self, name: str, price: Decimal, capacity: int,
                          hidden: bool = False) -> None:
        category = self.categories[name]
        category["price"] = price
        category["capacity"] = capacity
        if hidden:
            category["hidden"] = True
        else:
            category.pop("hidden", None)

    # ----- bookings -----------------------------------------------------------------------

    def book(  # noqa: PLR0913 - a booking's fields
        self, *, booking_id: UUID, user_id: str, user_name: Named, category: str | None,
        quantity: int, ticket_codes: list[str], now: datetime, pay_first: bool = False,
        voucher: str | None = None,
    ) -> None:
        """Book `quantity` seats in one category (`sales.booking_terms`), at a voucher's price
        when one is given."""
        terms = sales.booking_terms(self, booking_id=booking_id, user_id=user_id,
                                    category=category, quantity=quantity,
                                    ticket_codes=ticket_codes, now=now, pay_first=pay_first,
                                    voucher=voucher)
        self._seats_booked(booking_id=booking_id, user_id=user_id, user_name=user_name,
                           quantity=quantity, ticket_codes=ticket_codes, booked_at=now, **terms)

    @event(SeatsBooked)
    def _seats_booked(  # noqa: PLR0913 - the SeatsBooked event's fields
        self, booking_id: UUID, user_id: str, user_name: Named, category: str, quantity: int,
        unit_price: Decimal, ticket_codes: list[str], booked_at: datetime,
        hold_id: UUID | None = None, offer_for: UUID | None = None,
        lines: list[dict[str, Any]] | None = None, settlement: str | None = None,
        voucher: str | None = None,
    ) -> None:
        if hold_id is not None:  # a checkout's confirmation: its hold's seats become sold
            tally.hold_ended(self, hold_id)  # and its voucher's uses stay used
        elif voucher is not None:
            tally.voucher_used(self, voucher, vouchers.seats_using(lines))
        tally.sold(self, user_id, category, quantity, lines)
        records.add(self, booking_id, user_id=user_id, user_name=user_name, category=category,
                    quantity=quantity, unit_price=unit_price, ticket_codes=ticket_codes,
                    booked_at=booked_at, lines=lines, voucher=voucher)

    def cancel_booking(self, booking: Booking, *, now: datetime, by: Actor | None = None,
                       reason: str | None = None) -> None:
        """Cancel a confirmed booking, its seats free again at once (`sales.cancellation`)."""
        cancelled_by, stated = sales.cancellation(self, booking, now=now, by=by, reason=reason)
        self._cancel(booking, now, reason=cancelled_by, cancelled_by=cancelled_by,
                     stated_reason=stated)

    def _cancel(self, booking: Booking, now: datetime, *, reason: str, cancelled_by: str,
                stated_reason: str | None) -> None:
        self._booking_cancelled(**sales.cancelled_seats(booking), reason=reason,
                                cancelled_at=now, cancelled_by=cancelled_by,
                                stated_reason=stated_reason)
        booking.cancel(reason=reason, now=now, cancelled_by=cancelled_by,
                       stated_reason=stated_reason)

    def cancel_tickets(self, booking: Booking, codes: list[str], *, now: datetime,
                       by: Actor | None = None, reason: str | None = None) -> bool:
        """Cancel some tickets of a booking (`sales.tickets_cancellation`): True when they were
        all it had left, and the booking is cancelled whole."""
        cancelled_by, stated = sales.tickets_cancellation(self, booking, codes, now=now, by=by,
                                                          reason=reason)
        if set(codes) == booking.tickets_left:
            self._cancel(booking, now, reason=cancelled_by, cancelled_by=cancelled_by,
                         stated_reason=stated)
            return True
        seats = sales.cancelled_tickets(booking, codes)
        self._tickets_cancelled(**seats, reason=cancelled_by, cancelled_at=now,
                                cancelled_by=cancelled_by, stated_reason=stated)
        booking.cancel_tickets(codes, refund=seats["refund"], reason=cancelled_by, now=now,
                               cancelled_by=cancelled_by, stated_reason=stated)
        return False

    @event(TicketsCancelled)
    def _tickets_cancelled(  # noqa: PLR0913 - the TicketsCancelled event's fields
        self, booking_id: UUID, user_id: str, category: str, quantity: int,
        ticket_codes: list[str], refund: Decimal, reason: str, cancelled_at: datetime,
        cancelled_by: str, stated_reason: str | None, lines: list[dict[str, Any]] | None = None,
    ) -> None:
        tally.sold(self, user_id, category, -quantity, lines)
        records.amend(self, booking_id, records.tickets_cancelled, ticket_codes)

    @event(BookingCancelled)
    def _booking_cancelled(  # noqa: PLR0913 - the BookingCancelled event's fields
        self, booking_id: UUID, user_id: str, category: str, quantity: int, refund: Decimal,
        reason: str, cancelled_at: datetime, cancelled_by: str | None = None,
        stated_reason: str | None = None, lines: list[dict[str, Any]] | None = None,
    ) -> None:
        tally.sold(self, user_id, category, -quantity, lines)
        records.amend(self, booking_id, records.cancelled, cancelled_at, cancelled_by,
                      stated_reason)

    def check_in(self, booking: Booking, code: str, *, now: datetime) -> None:
        """Mark a ticket of `booking` used, once."""
        sales.require_ticket_here(self, booking)
        booking.use_ticket(code, now=now)
        self._ticket_checked_in(booking_id=booking.id, code=code, checked_in_at=now)

    @event(TicketCheckedIn)
    def _ticket_checked_in(self, booking_id: UUID, code: str, checked_in_at: datetime) -> None:
        records.amend(self, booking_id, records.checked_in, code)

    def undo_check_in(self, booking: Booking, code: str, *, now: datetime) -> None:
        """Take back the check-in of a ticket of `booking`: live again, for the door to scan."""
        sales.require_ticket_here(self, booking)
        booking.undo_ticket_use(code, now=now)
        self._ticket_check_in_undone(booking_id=booking.id, code=code, undone_at=now)

    @event(TicketCheckInUndone)
    def _ticket_check_in_undone(self, booking_id: UUID, code: str, undone_at: datetime) -> None:
        records.amend(self, booking_id, records.check_in_undone, code)

    # ----- the event's life: cancelled or completed ---------------------------------------

    def cancel(self, *, now: datetime, bookings: Iterable[Booking], by: Actor | None = None,
               reason: str | None = None) -> None:
        """Cancel the event and every confirmed booking on it (`bookings`), each refunded: those
        with a ticket checked in too, which no single cancellation may (`sales.cancellation`)."""
        cancelled_by, stated = lifecycle.event_canceller(self, now, by, reason)
        for booking in sales.confirmed(bookings):
            self._cancel(booking, now, reason=events.EVENT_CANCELLED, cancelled_by=cancelled_by,
                         stated_reason=stated)
        self._event_cancelled(cancelled_at=now, cancelled_by=cancelled_by, reason=stated)

    @event(EventCancelled)
    def _event_cancelled(self, cancelled_at: datetime, cancelled_by: str | None = None,
                         reason: str | None = None) -> None:
        self.status = events.CANCELLED
        tally.sales_closed(self)

    def complete(self, *, now: datetime) -> None:
        """Close a started event: no more bookings or cancellations."""
        lifecycle.require_completable(self, now)
        self._event_completed(completed_at=now)

    def complete_when_over(self, *, now: datetime) -> bool:
        """Close the event once it is over, as the scheduler does: False, nothing done, when it
        is closed already (completed by another scheduler, or cancelled) or not over."""
        if not lifecycle.is_over(self, now):
            return False
        self._event_completed(completed_at=now)
        return True

    def publish(self, *, now: datetime, by: Actor | None = None) -> bool:
        """Put a draft on sale (`lifecycle.publishable`): True when it was a draft, False when
        it was published already (nothing recorded: publishing is idempotent)."""
        if not lifecycle.publishable(self, now):
            return False
        self._event_published(published_at=now, by=by.id if by is not None else None)
        return True

    @event(EventPublished)
    def _event_published(self, published_at: datetime, by: str | None) -> None:
        self.published = True

    def schedule_publication(self, at: datetime | None, *, now: datetime,
                             by: Actor | None = None) -> None:
        """Put a draft on sale by itself at `at`, or never (None): `lifecycle`'s rules."""
        lifecycle.require_schedulable(self, at, now)
        if at != self.publish_at:
            self._publication_scheduled(publish_at=at, by=by.id if by is not None else None)

    @event(PublicationScheduled)
    def _publication_scheduled(self, publish_at: datetime | None, by: str | None) -> None:
        self.publish_at = publish_at

    def publish_when_due(self, *, now: datetime) -> bool:
        """The scheduler's publication of a draft whose time came: False, nothing done, when it
        is published already, its schedule was withdrawn or moved later, or it started."""
        if not lifecycle.publication_due(self, now):
            return False
        self._event_published(published_at=now, by=None)
        return True

    @event(EventCompleted)
    def _event_completed(self, completed_at: datetime) -> None:
        self.status = events.COMPLETED
        tally.sales_closed(self)

    # ----- checkout holds -----------------------------------------------------------------

    def hold(  # noqa: PLR0913 - a hold's fields
        self, *, hold_id: UUID, user_id: str, user_name: Named, category: str | None = None,
        quantity: int = 1, lines: Sequence[tuple[str, int]] | None = None, now: datetime,
        voucher: str | None = None,
    ) -> HoldState:
        """Take seats out of sale for this buyer until the hold expires (`checkout.held_lines`
        and `checkout.order_terms`), at a voucher's price when one is given
        (`vouchers.redeemed`)."""
        held = checkout.held_lines(self, hold_id=hold_id, user_id=user_id, category=category,
                                   quantity=quantity, lines=lines, now=now, voucher=voucher)
        code = None
        if voucher is not None:
            code, held = vouchers.redeemed(self, voucher, held, now)
        held = taxes.taxed(self, held)
        self._seats_held(hold_id=hold_id, user_id=user_id, user_name=user_name,
                         **checkout.order_terms(self, held, now), offer_for=None, voucher=code)
        return self.holds[str(hold_id)]

    @event(SeatsHeld)
    def _seats_held(  # noqa: PLR0913 - the SeatsHeld event's fields
        self, hold_id: UUID, user_id: str, user_name: Named, category: str, quantity: int,
        unit_price: Decimal, expires_at: datetime, held_at: datetime, offer_for: UUID | None,
        waited_for: int | None = None, lines: list[dict[str, Any]] | None = None,
        voucher: str | None = None,
    ) -> None:
        if offer_for is not None:
            tally.place_offered(self, offer_for, category, user_id, waited_for or quantity)
        hold: HoldState = {
            "user_id": user_id, "user_name": user_name, "category": category,
            "quantity": quantity, "unit_price": unit_price, "expires_at": expires_at,
            "offer_for": None if offer_for is None else str(offer_for),
        }
        if lines:
            hold["lines"] = lines
        if voucher is not None:
            hold["voucher"] = voucher
            tally.voucher_used(self, voucher, vouchers.seats_using(lines))
        tally.hold_taken(self, hold_id, hold)

    def confirm_hold(  # noqa: PLR0913 - a confirmation's fields
        self, claim: Claim, *, booking_id: UUID, ticket_codes: list[str], by: Actor | None,
        now: datetime, pay_first: bool = False, by_payment: bool = False,
    ) -> None:
        """Book the held seats at the held price (`checkout.confirmable`; `by_payment`: its
        payment confirms it, `commands.application.payments`)."""
        hold = checkout.confirmable(self, claim, ticket_codes=ticket_codes, by=by, now=now,
                                    pay_first=pay_first)
        self._seats_booked(booking_id=booking_id, **checkout.booked(hold, by_payment=by_payment),
                           hold_id=claim.id, ticket_codes=ticket_codes, booked_at=now)

    @event(HoldConfirmed)
    def _hold_confirmed(  # noqa: PLR0913 - the HoldConfirmed event's fields
        self, hold_id: UUID, user_id: str, category: str, quantity: int,
        offer_for: UUID | None, booking_id: UUID, confirmed_at: datetime,
    ) -> None:
        """A confirmation recorded before it was one `SeatsBooked`: its hold ends here."""
        tally.hold_ended(self, hold_id)

    def release_hold(self, claim: Claim, *, by: Actor | None, now: datetime) -> None:
        """Give the held seats back before the hold expires (`checkout.releaser`: who may)."""
        hold = checkout.active_hold(self, claim, by, now)
        released_by = checkout.releaser(claim, by)
        self._hold_released(hold_id=claim.id, **checkout.ended(hold), released_by=released_by,
                            released_at=now, lapses=checkout.release_lapses(
                                self, hold["user_id"], released_by, now))

    @event(HoldReleased)
    def _hold_released(  # noqa: PLR0913 - the HoldReleased event's fields
        self, hold_id: UUID, user_id: str, category: str, quantity: int,
        offer_for: UUID | None, released_by: str, released_at: datetime,
        lines: list[dict[str, Any]] | None = None, lapses: bool | None = None,
        voucher: str | None = None,
    ) -> None:
        tally.hold_ended(self, hold_id, gives_voucher_back=True)
        if checkout.lapsed_by_release(released_by, lapses):
            tally.lapsed(self, user_id, released_at)
        elif lapses is not None and released_by == events.CUSTOMER:
            tally.released_freely(self, user_id, released_at)

    def keep_hold_for_payment(self, claim: Claim, *, by: Actor | None, now: datetime) -> None:
        """A payment begins: keep the hold's seats (`checkout.kept_for_payment`)."""
        kept = checkout.kept_for_payment(self, claim, by=by, now=now)
        if kept is not None:
            hold, until = kept
            self._hold_kept_for_payment(hold_id=claim.id, user_id=hold["user_id"],
                                        expires_at=until, kept_at=now)

    @event(HoldKeptForPayment)
    def _hold_kept_for_payment(self, hold_id: UUID, user_id: str, expires_at: datetime,
                               kept_at: datetime) -> None:
        hold = self.holds[str(hold_id)]
        hold["expires_at"], hold["kept"] = expires_at, True

    def expire_holds(self, *, now: datetime) -> int:
        """End the holds and places due, as the scheduler does: how many (one ended already,
        by another scheduler, is not there)."""
        due = checkout.due_holds(self, now)
        for key, hold in due:
            self._hold_expired(hold_id=UUID(key), **checkout.ended(hold), expired_at=now)
        places = waitlist.places_over(self, now)
        for key, place in places:
            self._waitlist_left(entry_id=UUID(key), **waitlist.left(place),
                                left_by=events.EVENT_STARTED, left_at=now)
        return len(due) + len(places)

    @event(HoldExpired)
    def _hold_expired(  # noqa: PLR0913 - the HoldExpired event's fields
        self, hold_id: UUID, user_id: str, category: str, quantity: int,
        offer_for: UUID | None, expired_at: datetime, lines: list[dict[str, Any]] | None = None,
        voucher: str | None = None,
    ) -> None:
        tally.hold_ended(self, hold_id, gives_voucher_back=True)
        tally.lapsed(self, user_id, expired_at)

    # ----- taxes ---------------------------------------------------------------------------

    def set_taxes(self, rules: Sequence[dict[str, Any]], *, by: Actor | None) -> None:
        """Its tax rules from now on, all of them (`taxes.rules_set`): its organizers, an
        admin."""
        organizers.require_manager(self, by)
        found = taxes.rules_set(self, rules)
        if found is not None:
            self._taxes_set(rules=[{"name": name, **rule} for name, rule in found.items()],
                            by=by.id if by is not None else None)

    @event(TaxesSet)
    def _taxes_set(self, rules: list[dict[str, Any]], by: str | None) -> None:
        self.tax_rules = {r["name"]: {"rate": Decimal(r["rate"]), "inclusive": r["inclusive"],
                                      "categories": list(r["categories"])} for r in rules}

    # ----- vouchers ------------------------------------------------------------------------

    def create_vouchers(self, codes: Sequence[str], *, by: Actor | None, now: datetime,
                        **terms: Any) -> list[str]:
        """Make voucher codes on the same terms (`vouchers.new_vouchers`): its organizers, an
        admin. The codes as kept (upper-cased)."""
        organizers.require_manager(self, by)
        made = vouchers.new_vouchers(self, codes, now=now, **terms)
        self._vouchers_created(**made, by=by.id if by is not None else None, created_at=now)
        return list(made["codes"])

    @event(VouchersCreated)
    def _vouchers_created(  # noqa: PLR0913 - the VouchersCreated event's fields
        self, codes: list[str], discount: str, value: Decimal, max_uses: int,
        valid_from: datetime | None, valid_until: datetime | None,
        categories: list[str] | None, label: str | None, by: str | None, created_at: datetime,
        reserve: bool = False,
    ) -> None:
        terms: events.VoucherState = {
            "discount": discount, "value": value, "max_uses": max_uses,
            "valid_from": valid_from, "valid_until": valid_until, "categories": categories,
            "label": label, "disabled": False}
        if reserve:
            terms["reserve"] = True
        for code in codes:
            self.vouchers[code] = terms  # shared: never edited, replaced

    def disable_voucher(self, code: str, *, by: Actor | None, now: datetime) -> None:
        """No buyer may use the voucher from now on (its organizers, an admin); once."""
        organizers.require_manager(self, by)
        found = vouchers.disabled(self, code)
        if found is not None:
            self._voucher_disabled(code=found, by=by.id if by is not None else None,
                                   disabled_at=now)

    @event(VoucherDisabled)
    def _voucher_disabled(self, code: str, by: str | None, disabled_at: datetime) -> None:
        self.vouchers[code] = {**self.vouchers[code], "disabled": True}

    # ----- the waitlist -------------------------------------------------------------------

    def join_waitlist(  # noqa: PLR0913 - a place's fields
        self, *, place_id: UUID, user_id: str, user_name: Named, category: str | None,
        quantity: int, now: datetime,
    ) -> None:
        """Wait on a sold-out category's waitlist for up to `quantity` seats."""
        name = waitlist.joined_category(self, user_id=user_id, category=category,
                                        quantity=quantity, now=now)
        self._waitlist_joined(entry_id=place_id, user_id=user_id, user_name=user_name,
                              category=name, quantity=quantity, joined_at=now)

    @event(WaitlistJoined)
    def _waitlist_joined(  # noqa: PLR0913 - the WaitlistJoined event's fields
        self, entry_id: UUID, user_id: str, user_name: Named, category: str, quantity: int,
        joined_at: datetime,
    ) -> None:
        tally.place_joined(self, entry_id, {"user_id": user_id, "user_name": user_name,
                                       "category": category, "quantity": quantity,
                                       "joined_at": joined_at})

    def leave_waitlist(self, claim: Claim, *, by: Actor | None, now: datetime) -> None:
        """Step off the waitlist: the one waiting, or an admin."""
        left_by = waitlist.leaver(self, claim, by)
        self._waitlist_left(entry_id=claim.id, **waitlist.left(self.waitlist[str(claim.id)]),
                            left_by=left_by, left_at=now)

    @event(WaitlistLeft)
    def _waitlist_left(  # noqa: PLR0913 - the WaitlistLeft event's fields
        self, entry_id: UUID, user_id: str, category: str, quantity: int, left_by: str,
        left_at: datetime,
    ) -> None:
        tally.place_left(self, entry_id)

    def offer_to_waitlist(self, *, now: datetime,
                          new_hold_id: Callable[[], UUID]) -> list[UUID]:
        """Offer the seats free now to the places by rank (`waitlist.offer_size`): the ids of
        the offers, each a hold."""
        offers = []
        for key, place in waitlist.places_to_offer(self, now):
            size = waitlist.offer_size(self, place)
            if size == 0:
                self._waitlist_left(entry_id=UUID(key), **waitlist.left(place),
                                    left_by=events.LIMIT_REACHED, left_at=now)
            elif size is not None:
                hold_id = new_hold_id()
                self._seats_held(hold_id=hold_id, **waitlist.offered(self, key, place, size, now))
                offers.append(hold_id)
        return offers

    # ----- who runs it: its organizer, co-organizers and invitations ----------------------

    def transfer(self, *, organizer_id: str, organizer_name: Named, by: Actor,
                 now: datetime) -> None:
        """Hand the event to another organizer (their name sealed by the application)."""
        organizers.check_transfer(self, organizer_id, by)
        self._organizer_transferred(previous_organizer_id=self.organizer_id,
                                    organizer_id=organizer_id, organizer_name=organizer_name,
                                    by=by.id, transferred_at=now)

    @event(OrganizerTransferred)
    def _organizer_transferred(
        self, previous_organizer_id: str | None, organizer_id: str, organizer_name: Named,
        by: str, transferred_at: datetime,
    ) -> None:
        self.organizer_id, self.organizer_name = organizer_id, organizer_name
        self.co_organizers.pop(organizer_id, None)  # a co-organizer made organizer is one role
        self.invited.pop(organizer_id, None)

    def add_co_organizer(self, *, user_id: str, user_name: Named, by: Actor) -> None:
        """Add a co-organizer, or invite one (`organizers.co_organizer_joins`); their name
        sealed by the application."""
        if organizers.co_organizer_joins(self, user_id, by) == "added":
            self._co_organizer_added(user_id=user_id, user_name=user_name, by=by.id)
        else:
            self._co_organizer_invited(user_id=user_id, user_name=user_name, by=by.id)

    @event(CoOrganizerAdded)
    def _co_organizer_added(self, user_id: str, user_name: Named, by: str) -> None:
        self.co_organizers[user_id] = user_name
        self.invited.pop(user_id, None)  # an admin's addition answers an invitation too

    @event(CoOrganizerInvited)
    def _co_organizer_invited(self, user_id: str, user_name: Named, by: str) -> None:
        self.invited[user_id] = user_name

    def accept_invitation(self, *, by: Actor) -> None:
        """The invited organizer becomes a co-organizer (and is named on the event)."""
        name = organizers.invitation_of(self, by)
        self._co_organizer_accepted(user_id=by.id, user_name=name)

    @event(CoOrganizerAccepted)
    def _co_organizer_accepted(self, user_id: str, user_name: Named) -> None:
        self.invited.pop(user_id, None)
        self.co_organizers[user_id] = user_name

    def decline_invitation(self, *, by: Actor) -> None:
        """The invited organizer says no: nothing of it is shown on the event."""
        organizers.invitation_of(self, by)
        self._co_organizer_declined(user_id=by.id)

    @event(CoOrganizerDeclined)
    def _co_organizer_declined(self, user_id: str) -> None:
        self.invited.pop(user_id, None)

    def remove_co_organizer(self, *, user_id: str, by: Actor) -> None:
        """Remove a co-organizer, or withdraw an invitation (`organizers.co_organizer_leaves`)."""
        if organizers.co_organizer_leaves(self, user_id, by) == "withdrawn":
            self._co_organizer_invitation_withdrawn(user_id=user_id, by=by.id)
        else:
            self._co_organizer_removed(user_id=user_id, by=by.id)

    @event(CoOrganizerInvitationWithdrawn)
    def _co_organizer_invitation_withdrawn(self, user_id: str, by: str) -> None:
        self.invited.pop(user_id, None)

    @event(CoOrganizerRemoved)
    def _co_organizer_removed(self, user_id: str, by: str) -> None:
        self.co_organizers.pop(user_id, None)

    # ----- queries: the rules' answers, asked of the aggregate ------------------------------

    def available(self, category: str) -> int:
        """Seats a walk-up buyer may take: neither sold, held, nor owed to the waitlist."""
        return seats.available(self, category)

    @property
    def total_seats(self) -> int:
        return sum(c["capacity"] for c in self.categories.values())

    @property
    def available_seats(self) -> int:
        return sum(self.available(name) for name in self.categories)

    def rank_of(self, place_id: UUID) -> int | None:
        """The place's rank on its waitlist, 1 for the next offered (None: not waiting)."""
        return waitlist.rank_of(self, place_id)

    def booking(self, booking_id: UUID) -> BookingState:
        """One booking's record, on an aggregate loaded with them (`records.record_of`)."""
        return records.record_of(self, booking_id)


def _category(price: Decimal, capacity: int, hidden: bool) -> CategoryState:
    """A category as the state keeps it: `hidden` only when set."""
    category: CategoryState = {"price": price, "capacity": capacity, "sold": 0}
    if hidden:
        category["hidden"] = True
    return category
