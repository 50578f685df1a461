"""The booking rules checked again over one event's stored stream, one domain event at a time.

Deliberately not the aggregate's code: this proves from the record that the rules held, instead
of trusting the code that wrote it. It keeps only counters, so a long stream costs little.
Seats and money per category are read through an event's lines (`commands.domain.lines`): an
order across categories records each one's seats and price, its single fields the first line's
category and price and all lines' seats.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from commands.audit.prices import PriceBook
from commands.audit.vouchers import VoucherAudit
from commands.domain.lines import (
    Line,
    lines_of,
    seats_by_category,
    seats_in,
    ticket_lines,
    total_of,
)

CLOSED = ("cancelled", "completed")


@dataclass
class Booking:
    user: str
    category: str
    left: dict[str, int]  # category -> its seats not cancelled
    tickets: dict[str, str]
    status: str = "confirmed"
    prices: dict[str, Decimal] = field(default_factory=dict)  # category -> its price
    ticket_category: dict[str, str] = field(default_factory=dict)  # code -> its line's
    spans: bool = False  # booked across categories: its cancellations name their lines

    @property
    def quantity(self) -> int:
        return sum(self.left.values())


@dataclass
class Hold:
    user: str
    lines: list[Line]
    expires_at: Any
    place: str | None  # the place in line it was offered to
    kept: bool = False  # kept once for its payment

    @property
    def quantity(self) -> int:
        return seats_in(self.lines)


def _same_order(held: list[Line], booked: list[Line]) -> bool:
    """Whether a booking books a hold's seats: one category's seats, or across categories
    the same lines, each at its held price, in the same order."""
    if len(held) == 1 and len(booked) == 1:
        return seats_by_category(held) == seats_by_category(booked)
    return held == booked


@dataclass
class EventAudit:
    """The rule-relevant state of one event, and every rule it found broken."""

    event_id: str
    events: int = 0
    status: str = "active"
    limit: int | None = None
    capacity: dict[str, int] = field(default_factory=dict)
    sold: dict[str, int] = field(default_factory=dict)
    held: dict[str, int] = field(default_factory=dict)
    bookings: dict[str, Booking] = field(default_factory=dict)
    holds: dict[str, Hold] = field(default_factory=dict)  # active ones
    on_hold: dict[str, int] = field(default_factory=dict)  # category -> seats held
    line: dict[str, tuple[str, int]] = field(default_factory=dict)  # place -> (category, seats)
    confirming: bool = False  # a HoldConfirmed's SeatsBooked comes next (as recorded before)
    organizer: str | None = None
    published: bool = True  # False while a draft: nothing may be sold, held or waited for
    co_organizers: set[str] = field(default_factory=set)
    invited: set[str] = field(default_factory=set)  # pending invitations to co-organize
    # Who ran the event from which version on: (version, organizer id; None: admins only).
    ownership: list[tuple[int, str | None]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    prices: PriceBook = field(default_factory=PriceBook)
    vouchers: VoucherAudit = field(init=False)
    _where: tuple[int, int] = (0, 0)

    def apply(self, e: Any, position: int) -> None:
        """Check one domain event against the state so far, then apply it."""
        self.events += 1
        self._where = (e.originator_version, position)
        handler = _HANDLERS.get(type(e).__name__)
        if handler is not None:
            handler(self, e)

    def problem(self, rule: str, message: str) -> None:
        version, position = self._where
        self.problems.append(
            {"version": version, "position": position, "rule": rule, "message": message}
        )

    def _created(self, e: Any) -> None:
        self.capacity = {c["name"]: int(c["capacity"]) for c in e.categories}
        self.sold = dict.fromkeys(self.capacity, 0)
        self.limit = e.max_tickets_per_user
        self.organizer = e.organizer_id
        self.ownership.append((e.originator_version, self.organizer))
        self.published = e.published  # True for an event recorded before drafts
        self.prices.created(e)

    def _published(self, e: Any) -> None:
        self._open("published")
        if self.published:
            self.problem("publication", "published when it was published already")
        self.published = True

    def _publication_scheduled(self, e: Any) -> None:
        self._open("publication scheduled")
        if self.published:
            self.problem("publication", "a publication scheduled when it was on sale already")

    def _on_sale(self, what: str) -> None:
        if not self.published:
            self.problem("draft", f"{what} while the event was a draft")

    def _transferred(self, e: Any) -> None:
        if e.previous_organizer_id != self.organizer:
            self.problem("ownership", f"transfer from {e.previous_organizer_id}, but "
                                      f"{self.organizer} organized the event")
        self.organizer = e.organizer_id
        self.co_organizers.discard(e.organizer_id)
        self.invited.discard(e.organizer_id)
        self.ownership.append((e.originator_version, self.organizer))

    def _co_added(self, e: Any) -> None:
        if e.user_id == self.organizer or e.user_id in self.co_organizers:
            self.problem("ownership", f"{e.user_id} added who already ran the event")
        self.co_organizers.add(e.user_id)
        self.invited.discard(e.user_id)

    def _invited(self, e: Any) -> None:
        if e.user_id == self.organizer or e.user_id in self.co_organizers | self.invited:
            self.problem("ownership", f"{e.user_id} invited who already ran or was invited")
        self.invited.add(e.user_id)

    def _accepted(self, e: Any) -> None:
        self._invitation_ends(e)
        self.co_organizers.add(e.user_id)

    def _invitation_ends(self, e: Any) -> None:
        """Accepted, declined or withdrawn: only an invitation pending ends."""
        if e.user_id not in self.invited:
            self.problem("ownership", f"{e.user_id} answered an invitation never made")
        self.invited.discard(e.user_id)

    def _co_removed(self, e: Any) -> None:
        if e.user_id not in self.co_organizers:
            self.problem("ownership", f"{e.user_id} removed who was no co-organizer")
        self.co_organizers.discard(e.user_id)

    def _details(self, e: Any) -> None:
        self._open("changed")
        if "max_tickets_per_user" in e.changes:
            self.limit = e.changes["max_tickets_per_user"]
            for user in self.held:
                self._within_limit(user)

    def __post_init__(self) -> None:
        self.vouchers = VoucherAudit(self.prices)

    def _category(self, e: Any) -> None:
        self.prices.category(e)
        self._open("changed")
        self.capacity[e.name] = e.capacity
        self.sold.setdefault(e.name, 0)
        self._within_capacity(e.name)

    def _booked(self, e: Any) -> None:
        key = str(e.booking_id)
        self._open("booked")
        self._on_sale("booked")
        lines = self._lines_told(e, f"booking {key}")
        if e.hold_id is not None:
            self._hold_booked(e, lines)
            self.vouchers.hold_ended(str(e.hold_id), gives_back=False)
        else:
            self._voucher_problems(self.vouchers.used(getattr(e, "voucher", None), lines,
                                                      e.booked_at, f"booking {key}"))
            if not self.confirming:  # a walk-up: never the seats owed to those waiting
                for line in lines:
                    self._spare_the_line(line["category"], line["quantity"], f"booking {key}")
        self.confirming = False
        if key in self.bookings:
            self.problem("duplicate_booking", f"booking {key} was booked twice")
        seats = seats_by_category(lines)
        for name in seats.keys() - self.capacity.keys():
            self.problem("capacity", f"booking {key} is in unknown category {name!r}")
        if e.quantity < 1 or len(e.ticket_codes) != e.quantity:
            self.problem("quantity", f"booking {key}: {e.quantity} seats, "
                                     f"{len(e.ticket_codes)} tickets")
        codes = list(e.ticket_codes)
        self.bookings[key] = Booking(
            e.user_id, e.category, seats, dict.fromkeys(codes, "active"),
            prices={line["category"]: line["unit_price"] for line in lines},
            ticket_category={code: line["category"]
                             for code, line in ticket_lines(codes, lines).items()},
            spans=bool(getattr(e, "lines", None)))
        for name, n in seats.items():
            self.sold[name] = self.sold.get(name, 0) + n
        self.held[e.user_id] = self.held.get(e.user_id, 0) + e.quantity
        for name in seats:
            self._within_capacity(name)
        self._within_limit(e.user_id)

    def _cancelled(self, e: Any) -> None:
        """A booking cancelled: all the seats it had left, per category, at their price."""
        key = str(e.booking_id)
        booking = self.bookings.get(key)
        named = self._lines_told(e, f"cancellation of {key}")
        if booking is None or booking.status != "confirmed":
            state = "unknown" if booking is None else booking.status
            self.problem("cancellation", f"cancelled booking {key} was {state}, not confirmed")
            return
        left = {name: n for name, n in booking.left.items() if n}
        if seats_by_category(named) != left or (booking.spans and not getattr(e, "lines", None)):
            self.problem("cancellation", f"cancellation of {key} names other seats than booked")
        elif booking.spans and not self._priced_as_booked(booking, named):
            self.problem("cancellation", f"cancellation of {key} refunds its seats at other "
                                         "prices than booked")
        booking.status = "cancelled"
        booking.tickets = dict.fromkeys(booking.tickets, "cancelled")
        for name, n in booking.left.items():
            self.sold[name] = self.sold.get(name, 0) - n
        self.held[booking.user] -= booking.quantity
        booking.left = {}

    def _tickets_cancelled(self, e: Any) -> None:
        """Some tickets cancelled: each of the booking, active, and within what it has left of
        its category; the rest stay booked."""
        key = str(e.booking_id)
        booking = self.bookings.get(key)
        named = self._lines_told(e, f"tickets cancelled of {key}")
        if booking is None or booking.status != "confirmed":
            state = "unknown" if booking is None else booking.status
            self.problem("cancellation", f"tickets cancelled of booking {key}, which was "
                                         f"{state}, not confirmed")
            return
        codes = list(e.ticket_codes)
        of_codes = Counter(booking.ticket_category.get(code, booking.category)
                            for code in codes)
        if (seats_by_category(named) != of_codes or e.quantity != len(codes) or not codes
                or len(set(codes)) != len(codes) or len(codes) >= booking.quantity
                or any(n > booking.left.get(name, 0) for name, n in of_codes.items())
                or (booking.spans and not getattr(e, "lines", None))):
            self.problem("cancellation", f"tickets cancelled of {key} name other seats than "
                                         "booked, or all it had left")
        if any(booking.tickets.get(code) != "active" for code in codes):
            self.problem("cancellation", f"tickets cancelled of {key} were not all active")
        price = self._price_of(booking, of_codes)
        if price is not None and e.refund != price:
            self.problem("cancellation", f"tickets cancelled of {key} refund {e.refund}, not "
                                         f"the price of {len(codes)} seats")
        for code in codes:
            booking.tickets[code] = "cancelled"
        for name, n in of_codes.items():
            booking.left[name] = booking.left.get(name, 0) - n
            self.sold[name] = self.sold.get(name, 0) - n
        self.held[booking.user] -= len(codes)

    @staticmethod
    def _price_of(booking: Booking, seats: dict[str, int]) -> Decimal | None:
        """What these seats of the booking cost at its prices (None: a price unknown)."""
        if not seats.keys() <= booking.prices.keys():
            return None
        return sum((booking.prices[name] * n for name, n in seats.items()), Decimal(0))

    @staticmethod
    def _priced_as_booked(booking: Booking, lines: list[Line]) -> bool:
        return all(booking.prices.get(line["category"]) == line["unit_price"] for line in lines)

    def _lines_told(self, e: Any, what: str) -> list[Line]:
        """The event's lines; an order across categories' checked: each of at least one seat,
        of categories named once, all lines' seats its `quantity`, its single fields the first
        line's category and price, a cancellation's refund what its lines cost."""
        lines = lines_of(e)
        if not getattr(e, "lines", None):
            return lines
        first, names = lines[0], [line["category"] for line in lines]
        wrong = []
        if seats_in(lines) != e.quantity or any(line["quantity"] < 1 for line in lines):
            wrong.append(f"lines of {seats_in(lines)} seats, {e.quantity} in all")
        if len(set(names)) != len(names):
            wrong.append(f"categories {names} named twice")
        price = getattr(e, "unit_price", None)
        if e.category != first["category"] or price not in (None, first["unit_price"]):
            wrong.append("single fields other than its first line's")
        refund = getattr(e, "refund", None)
        if refund is not None and refund != total_of(lines):
            wrong.append(f"refund {refund}, its lines cost {total_of(lines)}")
        for why in wrong:
            self.problem("lines", f"{what}: {why}")
        return lines

    def _checked_in(self, e: Any) -> None:
        booking = self.bookings.get(str(e.booking_id))
        status = booking.tickets.get(e.code) if booking else None
        if status != "active":
            self.problem("check_in", f"checked-in ticket of booking {e.booking_id} was "
                                     f"{status or 'unknown'}, not active")
        elif booking is not None:
            booking.tickets[e.code] = "used"

    def _check_in_undone(self, e: Any) -> None:
        booking = self.bookings.get(str(e.booking_id))
        status = booking.tickets.get(e.code) if booking else None
        if status != "used":
            self.problem("check_in", f"check-in undone of a ticket of booking {e.booking_id} "
                                     f"that was {status or 'unknown'}, not used")
        elif booking is not None:
            booking.tickets[e.code] = "active"

    def _closed(self, e: Any) -> None:
        self._open("closed")
        left = [k for k, b in self.bookings.items() if b.status == "confirmed"]
        if type(e).__name__ == "EventCancelled" and left:
            self.problem("event_cancellation", f"{len(left)} bookings stayed confirmed")
        self.status = "cancelled" if type(e).__name__ == "EventCancelled" else "completed"
        self.holds, self.on_hold, self.line = {}, {}, {}  # they end with the event

    def _open(self, what: str) -> None:
        if self.status in CLOSED:
            self.problem("closed_event", f"{what} after the event was {self.status}")

    def _within_capacity(self, category: str) -> None:
        sold, capacity = self.sold.get(category, 0), self.capacity.get(category, 0)
        held = self.on_hold.get(category, 0)
        if sold + held > capacity:
            taken = f"{sold} sold and {held} held" if held else f"{sold} sold"
            self.problem("capacity", f"{category!r}: {taken} of {capacity}")

    def _within_limit(self, user: str) -> None:
        has = self.held.get(user, 0) + sum(h.quantity for h in self.holds.values()
                                           if h.user == user)
        if self.limit is not None and has > self.limit:
            self.problem("user_limit", f"user {user} holds {has} of {self.limit}")

    # ----- checkout holds and waitlists ------------------------------------------------------

    def _held(self, e: Any) -> None:
        key = str(e.hold_id)
        self._open("held")
        self._on_sale("held")
        lines = self._lines_told(e, f"hold {key}")
        seats = seats_by_category(lines)
        if key in self.holds or seats.keys() - self.capacity.keys():
            self.problem("hold", f"hold {key} made twice, or in an unknown category")
        place = None if e.offer_for is None else str(e.offer_for)
        if place is None:
            for line in lines:
                self._spare_the_line(line["category"], line["quantity"], f"hold {key}")
        else:
            self._offered_in_order(place, e, key)
        self.holds[key] = Hold(e.user_id, lines, e.expires_at, place)
        self._voucher_problems(self.vouchers.used(getattr(e, "voucher", None), lines,
                                                  e.held_at, f"hold {key}", hold=key))
        for name, n in seats.items():
            self.on_hold[name] = self.on_hold.get(name, 0) + n
        for name in seats:
            self._within_capacity(name)
        self._within_limit(e.user_id)

    def _offered_in_order(self, place: str, e: Any, key: str) -> None:
        """An offer goes to the first place waiting in its category's line, for at most the
        seats it waited for (all of them, as offers were made before partial ones)."""
        first = next((p for p, (c, _) in self.line.items() if c == e.category), None)
        if place != first:
            self.problem("line_order", f"offer {key} went to {place}, not to {first}, the "
                                       "first in line")
        category, wanted = self.line.pop(place, (e.category, e.quantity))
        said = e.waited_for if e.waited_for is not None else e.quantity
        if category != e.category or said != wanted or not 1 <= e.quantity <= wanted:
            self.problem("line_order", f"offer {key} is not the seats {place} waited for")

    def _spare_the_line(self, category: str, quantity: int, what: str) -> None:
        """A walk-up sale or hold leaves the seats free for those waiting."""
        waiting = sum(q for c, q in self.line.values() if c == category)
        free = (self.capacity.get(category, 0) - self.sold.get(category, 0)
                - self.on_hold.get(category, 0))
        if waiting and free - quantity < waiting:
            self.problem("line_order", f"{what} took seats owed to the {waiting} waiting")

    def _hold_ended(self, e: Any) -> None:
        kind = type(e).__name__
        named = self._lines_told(e, f"hold {e.hold_id} {kind}")
        hold = self._end_hold(str(e.hold_id), kind)
        if hold is None:
            return
        self.vouchers.hold_ended(str(e.hold_id), gives_back=kind != "HoldConfirmed")
        if (hold.user, seats_by_category(hold.lines)) != (e.user_id, seats_by_category(named)):
            self.problem("hold", f"hold {e.hold_id} ended ({kind}) naming other seats than "
                                 "it held")
        if kind == "HoldExpired" and e.expired_at < hold.expires_at:
            self.problem("hold", f"hold {e.hold_id} expired before its time")
        if kind == "HoldConfirmed":  # as recorded before: its SeatsBooked comes next
            if e.confirmed_at >= hold.expires_at:
                self.problem("hold", f"hold {e.hold_id} confirmed after it expired")
            self.confirming = True

    def _hold_kept(self, e: Any) -> None:
        """A hold kept for its payment: active, its buyer's, once, before it expired, and not
        shortened."""
        key = str(e.hold_id)
        hold = self.holds.get(key)
        if hold is None or hold.user != e.user_id:
            self.problem("hold", f"hold {key} kept for a payment while not active")
            return
        if hold.kept or e.expires_at <= hold.expires_at or e.kept_at >= hold.expires_at:
            self.problem("hold", f"hold {key} kept for a payment twice, late, or shortened")
        self.holds[key] = replace(hold, expires_at=e.expires_at, kept=True)

    def _taxes_set(self, e: Any) -> None:
        self._open("taxes set")
        self.prices.taxes_set(e)

    def _vouchers_created(self, e: Any) -> None:
        self._open("vouchers made")
        self._voucher_problems(self.vouchers.created(e))

    def _voucher_disabled(self, e: Any) -> None:
        self._voucher_problems(self.vouchers.disabled(e))

    def _voucher_problems(self, found: list[tuple[str, str]]) -> None:
        for rule, message in found:
            self.problem(rule, message)

    def _hold_booked(self, e: Any, lines: list[Line]) -> None:
        """A checkout's confirmation: the hold's own seats (across categories, its very lines
        at their held prices), booked before it expired."""
        key = str(e.hold_id)
        hold = self._end_hold(key, "confirmed")
        if hold is None:
            return
        if e.booked_at >= hold.expires_at:
            self.problem("hold", f"hold {key} confirmed after it expired")
        if hold.user != e.user_id or not _same_order(hold.lines, lines):
            self.problem("hold", f"booking {e.booking_id} is not the seats hold {key} held")
        place = None if e.offer_for is None else str(e.offer_for)
        if place != hold.place:
            self.problem("hold", f"booking {e.booking_id} names another place than hold {key}")

    def _end_hold(self, key: str, how: str) -> Hold | None:
        hold = self.holds.pop(key, None)
        if hold is None:
            self.problem("hold", f"hold {key} ended ({how}) while not active")
            return None
        for name, n in seats_by_category(hold.lines).items():
            self.on_hold[name] = self.on_hold.get(name, 0) - n
        return hold

    def _joined(self, e: Any) -> None:
        self._open("joined a line")
        self._on_sale("joined a line")
        self.line[str(e.entry_id)] = (e.category, e.quantity)

    def _left(self, e: Any) -> None:
        if self.line.pop(str(e.entry_id), None) is None:
            self.problem("line_order", f"{e.entry_id} left a line it was not waiting in")


_HANDLERS: dict[str, Callable[[EventAudit, Any], None]] = {
    "Created": EventAudit._created,
    "DetailsUpdated": EventAudit._details,
    "CategoryAdded": EventAudit._category,
    "CategoryChanged": EventAudit._category,
    "SeatsBooked": EventAudit._booked,
    "BookingCancelled": EventAudit._cancelled,
    "TicketsCancelled": EventAudit._tickets_cancelled,
    "TicketCheckedIn": EventAudit._checked_in,
    "TicketCheckInUndone": EventAudit._check_in_undone,
    "EventCancelled": EventAudit._closed,
    "EventCompleted": EventAudit._closed,
    "EventPublished": EventAudit._published,
    "PublicationScheduled": EventAudit._publication_scheduled,
    "OrganizerTransferred": EventAudit._transferred,
    "CoOrganizerAdded": EventAudit._co_added,
    "CoOrganizerRemoved": EventAudit._co_removed,
    "CoOrganizerInvited": EventAudit._invited,
    "CoOrganizerAccepted": EventAudit._accepted,
    "CoOrganizerDeclined": EventAudit._invitation_ends,
    "CoOrganizerInvitationWithdrawn": EventAudit._invitation_ends,
    "SeatsHeld": EventAudit._held,
    "HoldConfirmed": EventAudit._hold_ended,
    "HoldReleased": EventAudit._hold_ended,
    "HoldExpired": EventAudit._hold_ended,
    "HoldKeptForPayment": EventAudit._hold_kept,
    "WaitlistJoined": EventAudit._joined,
    "WaitlistLeft": EventAudit._left,
    "TaxesSet": EventAudit._taxes_set,
    "VouchersCreated": EventAudit._vouchers_created,
    "VoucherDisabled": EventAudit._voucher_disabled,
}
