"""The domain events an Event's stream records, and the state they build.

Each class here is nested in the aggregate (`commands.domain.event.Event`), which redefines it
there. Each names the topic its stored events carry (`TOPIC`): the one the aggregate's first
module gave them, kept so that every stored event decodes and every query by topic finds them
wherever the code lives. The hash chain covers the class name (`commands.domain.chain`).
State is plain dicts keyed by strings so snapshots transcode to JSON as they are.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any, NotRequired, TypedDict
from uuid import UUID

from commands.domain import declared as messages
from commands.domain.chain import UPCAST, ChainedCreated, ChainedEvent
from commands.domain.declared import Declared, Seats
from core.personal import Named

STORED_AS = "commands.aggregate:Event"  # the aggregate's topic; its events' are under it
ACTIVE, CANCELLED, COMPLETED = "active", "cancelled", "completed"
CONFIRMED = "confirmed"
CUSTOMER, ORGANIZER, ADMIN = "customer", "organizer", "admin"  # who cancelled a booking
LIMIT_REACHED = "limit_reached"  # a place passed: its buyer reached the per-user limit meanwhile
EVENT_STARTED = "event_started"  # a place ended: its event started, no seat is offered after
EVENT_CANCELLED = "event_cancelled"  # a booking's cancellation's `reason` when its event's took it
TICKET_ACTIVE, TICKET_USED, TICKET_CANCELLED = "active", "used", "cancelled"
DETAIL_FIELDS = ("name", "description", "venue", "starts_at", "ends_at", "max_tickets_per_user",
                 "hold_seconds", "timezone", "translations")
# What an event's details may give per language, besides the name and description it is named
# with (`translations`: {language: {"name": ..., "description": ...}}).
TRANSLATED_FIELDS = ("name", "description")
DEFAULT_TIMEZONE = "UTC"  # the venue's zone of an event recorded before events had one
# A hold's status in the read side: still holding, or how it ended.
HOLD_ACTIVE, HOLD_CONFIRMED = "active", "confirmed"
HOLD_RELEASED, HOLD_EXPIRED = "released", "expired"


class CategoryState(TypedDict):
    price: Decimal
    capacity: int
    sold: int
    # Set (True) only on a category a voucher must unlock (`commands.domain.seats`): absent
    # from every category recorded before there were any.
    hidden: NotRequired[bool]


class HoldState(TypedDict):
    """Seats taken out of sale for one buyer until `expires_at`; `offer_for`: the place on a
    waitlist it was offered to (None: asked for by the buyer)."""

    user_id: str
    user_name: Named
    category: str
    quantity: int
    unit_price: Decimal
    expires_at: datetime
    offer_for: str | None
    # Kept for its payment once (`HoldKeptForPayment`); absent from holds recorded before.
    kept: NotRequired[bool]
    # Across categories (`commands.domain.lines`): `category` and `unit_price` are the first
    # line's, `quantity` all lines'. Absent for one category.
    lines: NotRequired[list[dict[str, Any]]]
    # Held with a voucher: its code (its lines tell its price beside the list price).
    voucher: NotRequired[str]


class VoucherState(TypedDict):
    """A voucher's terms, as its organizers set them; never edited, replaced when they change
    (a fork of the state shares them)."""

    discount: str
    value: Decimal
    max_uses: int
    valid_from: datetime | None
    valid_until: datetime | None
    categories: list[str] | None  # None: every category
    label: str | None  # the organizers' note: "press", "early birds"
    disabled: bool
    # Its uses' seats kept off general sale for its holders until used or disabled (pretix's
    # "block quota"; `commands.domain.seats.reserved`); absent on vouchers that reserve none.
    reserve: NotRequired[bool]


class TaxRule(TypedDict):
    rate: Decimal  # percent, 0 to 100
    inclusive: bool  # the categories' prices include it
    categories: list[str]  # the categories it applies to, each in one rule at most


class PlaceState(TypedDict):
    """A place on a category's waitlist, until it is offered seats or left."""

    user_id: str
    user_name: Named
    category: str
    quantity: int
    joined_at: datetime


class BookingState(TypedDict):
    user_id: str
    user_name: Named
    category: str
    quantity: int
    unit_price: Decimal
    status: str
    tickets: dict[str, str]
    created_at: datetime
    cancelled_at: datetime | None
    # Set by cancellations that record them: records of older ones (and snapshots taken
    # before they existed) have neither.
    cancelled_by: NotRequired[str | None]
    cancellation_reason: NotRequired[str | None]
    lines: NotRequired[list[dict[str, Any]]]  # across categories, as a hold's
    voucher: NotRequired[str]  # the voucher its seats were priced by


class Created(ChainedCreated):
    TOPIC = f"{STORED_AS}.Created"
    declared = Declared("Event created", public="event.created", personal=("organizer_name",))
    class_version = 2  # version 1 was recorded before organizers
    name: str
    description: str
    venue: str
    starts_at: datetime
    ends_at: datetime | None
    currency: str
    categories: list[dict[str, Any]]
    max_tickets_per_user: int | None
    created_at: datetime
    organizer_id: str | None
    # Sealed with the organizer's key (`Ledger.seal_name`), as every person's name is; a
    # string as recorded before organizers' names were sealed (the same shape: no upcast).
    organizer_name: Named | None
    # Recorded without it before holds: None, the default length (not in what its hash covered).
    hold_seconds: int | None = None
    # The venue's IANA time zone, and whether it went on sale at once (False: a draft until
    # `EventPublished`). Recorded without them before venues had zones and drafts existed:
    # UTC and published (not in what their hash covered).
    timezone: str = DEFAULT_TIMEZONE
    published: bool = True

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """Recorded before organizers: unowned, so admins alone run it until a transfer.

        The fields are not in what its hash covered (`commands.domain.chain.UPCAST`).
        """
        state["organizer_id"] = state["organizer_name"] = None
        state[UPCAST] = ("organizer_id", "organizer_name")


class OrganizerTransferred(ChainedEvent):
    TOPIC = f"{STORED_AS}.OrganizerTransferred"
    declared = Declared("Transferred", personal=("organizer_name",))
    previous_organizer_id: str | None
    organizer_id: str
    organizer_name: Named  # sealed as `Created`'s
    by: str  # who moved it: an admin, or its organizer (to a co-organizer)
    transferred_at: datetime


class CoOrganizerAdded(ChainedEvent):
    TOPIC = f"{STORED_AS}.CoOrganizerAdded"
    declared = Declared("Co-organizer added", personal=("user_name",))
    user_id: str
    user_name: Named  # sealed as an organizer's (`Created`), a string as recorded before
    by: str


class CoOrganizerRemoved(ChainedEvent):
    TOPIC = f"{STORED_AS}.CoOrganizerRemoved"
    declared = Declared("Co-organizer removed")
    user_id: str
    by: str


class CoOrganizerInvited(ChainedEvent):
    TOPIC = f"{STORED_AS}.CoOrganizerInvited"
    declared = Declared("Co-organizer invited", personal=("user_name",))
    """An organizer asked another to co-organize: nothing public until they accept."""

    user_id: str
    user_name: Named  # sealed, as `CoOrganizerAdded`'s
    by: str


class CoOrganizerAccepted(ChainedEvent):
    TOPIC = f"{STORED_AS}.CoOrganizerAccepted"
    declared = Declared("Invitation accepted", personal=("user_name",))
    user_id: str
    user_name: Named  # the invitation's, sealed as it was


class CoOrganizerDeclined(ChainedEvent):
    TOPIC = f"{STORED_AS}.CoOrganizerDeclined"
    declared = Declared("Invitation declined")
    user_id: str


class CoOrganizerInvitationWithdrawn(ChainedEvent):
    TOPIC = f"{STORED_AS}.CoOrganizerInvitationWithdrawn"
    declared = Declared("Invitation withdrawn")
    user_id: str
    by: str


class DetailsUpdated(ChainedEvent):
    TOPIC = f"{STORED_AS}.DetailsUpdated"
    declared = Declared("Details changed", public="event.updated")
    changes: dict[str, Any]


class PaymentMethodsChosen(ChainedEvent):
    """The payment methods its buyers may pay with, by name, as its organizers chose them (an
    event that never chose accepts every method the deployment has)."""

    TOPIC = f"{STORED_AS}.PaymentMethodsChosen"
    declared = Declared("Payment methods chosen", public="event.updated")
    methods: list[str]


class CategoryAdded(ChainedEvent):
    TOPIC = f"{STORED_AS}.CategoryAdded"
    declared = Declared("Category added", public="event.updated")
    name: str
    price: Decimal
    capacity: int
    hidden: bool = False  # on sale only with a voucher naming it


class TaxesSet(ChainedEvent):
    """The event's tax rules from now on, all of them (`commands.domain.taxes`): each one's
    `name`, `rate`, `inclusive` and `categories`. Orders made before keep the tax they took."""

    TOPIC = f"{STORED_AS}.TaxesSet"
    declared = Declared("Taxes set", public="event.updated")
    rules: list[dict[str, Any]]
    by: str | None


class VouchersCreated(ChainedEvent):
    """Voucher codes an event's organizers made, one or a batch, on the same terms
    (`commands.domain.vouchers`); `by`: who made them."""

    TOPIC = f"{STORED_AS}.VouchersCreated"
    declared = Declared("Vouchers created")
    secret = ("codes",)  # a code is money off: audit views show digests, as of tickets
    codes: list[str]
    discount: str
    value: Decimal
    max_uses: int
    valid_from: datetime | None
    valid_until: datetime | None
    categories: list[str] | None
    label: str | None
    by: str | None
    created_at: datetime
    reserve: bool = False  # its seats kept off general sale for its holders


class VoucherDisabled(ChainedEvent):
    """A voucher no buyer may use from now on; its uses so far stand."""

    TOPIC = f"{STORED_AS}.VoucherDisabled"
    declared = Declared("Voucher disabled")
    secret = ("code",)
    code: str
    by: str | None
    disabled_at: datetime


class CategoryChanged(ChainedEvent):
    TOPIC = f"{STORED_AS}.CategoryChanged"
    declared = Declared("Category changed", public="event.updated", seats=Seats.MAY_FREE)
    name: str
    price: Decimal
    capacity: int
    hidden: bool = False  # on sale only with a voucher naming it


class SeatsBooked(ChainedEvent):
    """A booking: bought outright, or a checkout's hold confirmed (`hold_id`, and `offer_for`
    when the hold was an offer to a place on a waitlist), which ends that hold as it books its
    seats.
    Recorded without the last two before confirmations were one event: those decode with None
    (not part of what their hash covered), and a `HoldConfirmed` before them ended the hold."""

    TOPIC = f"{STORED_AS}.SeatsBooked"
    declared = Declared(
        "Seats booked",
        public="booking.created",
        mail=(messages.CONFIRMATION,),
        seats=Seats.TAKES,
        personal=("user_name",),
    )
    secret = ("ticket_codes", "voucher")  # audit views show digests (commands.domain.chain)
    booking_id: UUID
    user_id: str
    user_name: Named
    category: str
    quantity: int
    unit_price: Decimal
    ticket_codes: list[str]
    booked_at: datetime
    hold_id: UUID | None = None
    offer_for: UUID | None = None
    # Across categories: each one's seats and price (`commands.domain.lines`); None for one.
    lines: list[dict[str, Any]] | None = None
    # How priced seats are paid for (`commands.domain.checkout.settlement`): by the payment
    # whose success booked them, or owed. None for free seats, and in bookings recorded before
    # it was said (not part of what their hash covered).
    settlement: str | None = None
    # The voucher whose price its lines tell beside their list price (None: none).
    voucher: str | None = None


class BookingCancelled(ChainedEvent):
    """A booking cancelled: `reason` says what ended it, the role of whoever cancelled it alone
    (CUSTOMER, ORGANIZER, ADMIN) or EVENT_CANCELLED; `cancelled_by` that role, and
    `stated_reason` the words they gave. Recorded without the last two before cancellations
    said who and why: those decode with None (not part of what their hash covered)."""

    TOPIC = f"{STORED_AS}.BookingCancelled"
    declared = Declared(
        "Booking cancelled",
        public="booking.cancelled",
        mail=(messages.CANCELLATION, messages.EVENT_CANCELLED),
        seats=Seats.FREES,
    )
    booking_id: UUID
    user_id: str
    category: str
    quantity: int
    refund: Decimal
    reason: str
    cancelled_at: datetime
    cancelled_by: str | None = None
    stated_reason: str | None = None
    # Across categories: each one's seats and price (`commands.domain.lines`); None for one.
    lines: list[dict[str, Any]] | None = None


class TicketsCancelled(ChainedEvent):
    """Some tickets of a confirmed booking cancelled, their seats back on sale and their price
    (`refund`) given back; the booking stays confirmed with the rest. Who cancelled and why as
    in `BookingCancelled` (cancelling all a booking has left is a `BookingCancelled`)."""

    TOPIC = f"{STORED_AS}.TicketsCancelled"
    declared = Declared(
        "Tickets cancelled",
        public="booking.tickets_cancelled",
        mail=(messages.TICKETS_CANCELLED,),
        seats=Seats.FREES,
    )
    secret = ("ticket_codes",)  # audit views show digests (commands.domain.chain)
    booking_id: UUID
    user_id: str
    category: str
    quantity: int
    ticket_codes: list[str]
    refund: Decimal
    reason: str
    cancelled_at: datetime
    cancelled_by: str
    stated_reason: str | None
    # Across categories: each one's seats and price (`commands.domain.lines`); None for one.
    lines: list[dict[str, Any]] | None = None


class TicketCheckedIn(ChainedEvent):
    TOPIC = f"{STORED_AS}.TicketCheckedIn"
    declared = Declared("Ticket checked in", public="ticket.checked_in")
    secret = ("code",)
    booking_id: UUID
    code: str
    checked_in_at: datetime


class TicketCheckInUndone(ChainedEvent):
    """A check-in taken back (a wrong scan at the door): the ticket is live again."""

    TOPIC = f"{STORED_AS}.TicketCheckInUndone"
    declared = Declared("Check-in undone", public="ticket.check_in_undone")
    secret = ("code",)
    booking_id: UUID
    code: str
    undone_at: datetime


class EventCancelled(ChainedEvent):
    """The event cancelled, by ORGANIZER or ADMIN (`cancelled_by`), for `reason` when one was
    given. Recorded without either before cancellations said who and why: None then."""

    TOPIC = f"{STORED_AS}.EventCancelled"
    declared = Declared("Event cancelled", public="event.cancelled")
    cancelled_at: datetime
    cancelled_by: str | None = None
    reason: str | None = None


class PublicationScheduled(ChainedEvent):
    """A draft set to go on sale by itself at `publish_at` (the scheduler publishes it then);
    None: a schedule withdrawn, the draft left for its organizers to publish. `by`: who set it."""

    TOPIC = f"{STORED_AS}.PublicationScheduled"
    declared = Declared("Publication scheduled", public="event.publication_scheduled")
    publish_at: datetime | None
    by: str | None


class EventPublished(ChainedEvent):
    """A draft went on sale: listed publicly, open to bookings, holds and waitlists from now.
    `by`: who published it (a user id)."""

    TOPIC = f"{STORED_AS}.EventPublished"
    declared = Declared("Published", public="event.published")
    published_at: datetime
    by: str | None


class EventCompleted(ChainedEvent):
    TOPIC = f"{STORED_AS}.EventCompleted"
    declared = Declared("Event completed", public="event.completed")
    completed_at: datetime


class SeatsHeld(ChainedEvent):
    """Seats out of sale for a buyer until `expires_at`, at `unit_price`; `offer_for` names
    the place on a waitlist they were offered to (None: the buyer asked), and `waited_for` the seats
    that place waited for (an offer may give fewer). Offers recorded before partial offers
    decode with None: they gave all it waited for."""

    TOPIC = f"{STORED_AS}.SeatsHeld"
    declared = Declared(
        "Seats held",
        public="hold.created",
        mail=(messages.OFFER,),
        seats=Seats.TAKES,
        personal=("user_name",),
    )
    secret = ("voucher",)
    hold_id: UUID
    user_id: str
    user_name: Named
    category: str
    quantity: int
    unit_price: Decimal
    expires_at: datetime
    held_at: datetime
    offer_for: UUID | None
    waited_for: int | None = None
    # Across categories: each one's seats and price (`commands.domain.lines`); None for one.
    lines: list[dict[str, Any]] | None = None
    # The voucher whose price its lines tell beside their list price (None: none).
    voucher: str | None = None


class HoldConfirmed(ChainedEvent):
    """The hold became booking `booking_id` (the `SeatsBooked` that follows it). Recorded by
    confirmations before a `SeatsBooked` naming its hold was the whole of one: decoded and
    applied, never recorded now."""

    TOPIC = f"{STORED_AS}.HoldConfirmed"
    declared = Declared("Hold confirmed", public="hold.confirmed")
    hold_id: UUID
    user_id: str  # the hold's, so that readers of the log need not look it up
    category: str
    quantity: int
    offer_for: UUID | None
    booking_id: UUID
    confirmed_at: datetime


class HoldReleased(ChainedEvent):
    """The buyer (CUSTOMER) or an admin (ADMIN) gave the held seats back before it expired."""

    TOPIC = f"{STORED_AS}.HoldReleased"
    declared = Declared("Hold released", public="hold.released", seats=Seats.FREES)
    hold_id: UUID
    user_id: str  # the hold's, so that readers of the log need not look it up
    category: str
    quantity: int
    offer_for: UUID | None
    released_by: str
    released_at: datetime
    # Across categories: each one's seats and price (`commands.domain.lines`); None for one.
    lines: list[dict[str, Any]] | None = None
    # Whether it keeps its buyer from holding again (`checkout.release_lapses`); None: released
    # before a buyer's first release was free, when the buyer's own release always did.
    lapses: bool | None = None
    voucher: str | None = None  # the hold's: its uses (and any seats it reserves) come back


class HoldKeptForPayment(ChainedEvent):
    """A payment for the hold began: its seats stay its buyer's until `expires_at`, one hold
    length from then (never past the start), so that a payment being made (3-D Secure, say)
    does not see them go back on sale. Once per hold."""

    TOPIC = f"{STORED_AS}.HoldKeptForPayment"
    declared = Declared("Hold kept for its payment")
    hold_id: UUID
    user_id: str  # the hold's, so that readers of the log need not look it up
    expires_at: datetime
    kept_at: datetime


class HoldExpired(ChainedEvent):
    TOPIC = f"{STORED_AS}.HoldExpired"
    declared = Declared("Hold expired", public="hold.expired", seats=Seats.FREES)
    hold_id: UUID
    user_id: str  # the hold's, so that readers of the log need not look it up
    category: str
    quantity: int
    offer_for: UUID | None
    expired_at: datetime
    voucher: str | None = None  # the hold's: its uses (and any seats it reserves) come back
    # Across categories: each one's seats and price (`commands.domain.lines`); None for one.
    lines: list[dict[str, Any]] | None = None


class WaitlistJoined(ChainedEvent):
    """A place on a category's waitlist; `entry_id` is the place id, stored under that name."""

    TOPIC = f"{STORED_AS}.WaitlistJoined"
    declared = Declared(
        "Joined the waitlist",
        public="waitlist.joined",
        seats=Seats.MOVES_WAITLIST,
        personal=("user_name",),
    )
    entry_id: UUID
    user_id: str
    user_name: Named
    category: str
    quantity: int
    joined_at: datetime

    @property
    def place_id(self) -> UUID:
        return self.entry_id


class WaitlistLeft(ChainedEvent):
    """A place off its waitlist unoffered; `entry_id` is the place id, stored under that name."""

    TOPIC = f"{STORED_AS}.WaitlistLeft"
    declared = Declared("Left the waitlist", public="waitlist.left", seats=Seats.MOVES_WAITLIST)
    entry_id: UUID
    user_id: str
    category: str
    quantity: int
    left_by: str
    left_at: datetime

    @property
    def place_id(self) -> UUID:
        return self.entry_id
