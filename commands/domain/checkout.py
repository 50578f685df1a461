"""Checkout holds: pure rules over the event's state.

A hold takes seats out of sale for one buyer until it expires (`hold_seconds`), and becomes a
booking when confirmed. Holds count toward the per-user limit; with no limit, one buyer's open
seats are bounded; a buyer whose hold lapsed holds again only one hold length later. An offer
to a place on a waitlist (`commands.domain.waitlist`) is a hold on these terms.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from commands.domain.actor import Actor
from commands.domain.claim import Claim
from commands.domain.errors import (
    Conflict,
    DomainError,
    RuleBroken,
    hold_not_found,
)
from commands.domain.events import ADMIN, CUSTOMER, HoldState
from commands.domain.lifecycle import require_not_started, require_on_sale
from commands.domain.lines import Line, lines_of, recorded, single_fields, total_of
from commands.domain.seats import (
    on_sale_to,
    require_fresh_codes,
    within_limit,
    within_open_bound,
)
from commands.domain.state import EventState
from core import error_codes as codes

DEFAULT_HOLD_SECONDS = 600
MAX_HOLDS_PER_USER = 5  # active holds of one buyer on one event: a cart, not a hoard
MAX_LINES = 20  # categories in one order
# Lapses are pruned only once their record has doubled since it was last pruned, and never
# below this: each lapse costs O(1), amortized.
MIN_LAPSES_KEPT = 32


def hold_length(event: EventState) -> timedelta:
    return timedelta(seconds=event.hold_seconds or DEFAULT_HOLD_SECONDS)


def hold_expiry(event: EventState, now: datetime) -> datetime:
    """When a hold made `now` expires: its length later, or the start if that comes first."""
    return min(now + hold_length(event), event.starts_at)


def order_terms(event: EventState, lines: list[Line], now: datetime) -> dict[str, Any]:
    """A hold's terms, asked for or offered: its lines at their prices now, until its
    expiry, as its `SeatsHeld` records them."""
    return {**single_fields(lines), "lines": recorded(lines),
            "expires_at": hold_expiry(event, now), "held_at": now}


def held_lines(event: EventState, *, hold_id: UUID, user_id: str,  # noqa: PLR0913 - as asked
               category: str | None, quantity: int,
               lines: Sequence[tuple[str, int]] | None, now: datetime,
               voucher: str | None = None) -> list[Line]:
    """The lines a buyer's new hold takes, `quantity` seats of one category or an order's
    `lines` (each category's name and seats), at their price, as a booking would take them,
    all or none: within the holds per buyer, the per-user limit, the seats held and waited
    for, and not chained to a hold that lapsed a moment ago. Asked as an order's `lines`, a
    line refused says which (`where`)."""
    as_lines = lines is not None
    wanted: Sequence[tuple[str | None, int]] = (
        lines if lines is not None else ((category, quantity),))
    seats_in_all = sum(seats for _, seats in wanted)
    require_on_sale(event, now, seats_in_all)
    if not 0 < len(wanted) <= MAX_LINES:
        raise DomainError(f"An order has 1 to {MAX_LINES} lines", code=codes.TOO_MANY_LINES)
    names = []
    for index, (name, seats) in enumerate(wanted):
        try:
            names.append(_held_name(event, user_id, name, seats, voucher))
        except DomainError as refused:
            # The buyer who asked for several categories learns which one to give up.
            if as_lines:
                refused.where = ("lines", index)
            raise
    if len(set(names)) != len(names):
        raise DomainError("A category is named on two lines of one order",
                          code=codes.CATEGORY_NAMED_TWICE)
    _may_hold(event, hold_id=hold_id, user_id=user_id, now=now)
    within_limit(event, user_id, seats_in_all)
    within_open_bound(event, user_id, seats_in_all)
    return [{"category": name, "quantity": seats,
             "unit_price": event.categories[name]["price"]}
            for name, (_, seats) in zip(names, wanted, strict=True)]


def _held_name(event: EventState, user_id: str, category: str | None, seats: int,
               voucher: str | None) -> str:
    if seats < 1:
        raise RuleBroken("Each line holds at least one seat", code=codes.INVALID_QUANTITY)
    return on_sale_to(event, user_id, category, seats, voucher)


def _may_hold(event: EventState, *, hold_id: UUID, user_id: str, now: datetime) -> None:
    """Whether this buyer may open one more hold now: a new hold id, under the holds per
    buyer, and not one hold length within a lapse."""
    if str(hold_id) in event.holds:
        raise Conflict(f"Hold {hold_id} already exists", code=codes.DUPLICATE_BOOKING)
    if sum(1 for h in event.holds.values() if h["user_id"] == user_id) >= MAX_HOLDS_PER_USER:
        raise Conflict(f"At most {MAX_HOLDS_PER_USER} holds at once per buyer on an event",
                       code=codes.TOO_MANY_HOLDS)
    again_at = event.may_hold_again_at.get(user_id)
    if again_at is not None and now < again_at:
        raise Conflict(f"Your last hold on this event lapsed: you may hold seats again from "
                       f"{again_at.isoformat()}, or book them now", code=codes.HOLD_TOO_SOON,
                       facts={"may_hold_again_at": again_at})


def active_hold(event: EventState, claim: Claim, by: Actor | None,
                now: datetime) -> HoldState:
    """The claim's hold, still active, for its buyer (an admin too; None: trusted)."""
    if claim.event_id != event.id or not claim.is_hold or (
            by is not None and by.id != claim.user_id and not by.admin):
        raise hold_not_found(claim.id)
    hold = event.holds.get(str(claim.id))
    if hold is None or now >= hold["expires_at"]:
        if claim.expires_at is not None and now >= claim.expires_at:
            raise DomainError("The hold expired: its seats went back on sale",
                              code=codes.HOLD_EXPIRED)
        raise Conflict("The hold was confirmed or released already", code=codes.HOLD_ENDED)
    return hold


def confirmable(event: EventState, claim: Claim, *, ticket_codes: list[str],  # noqa: PLR0913
                by: Actor | None, now: datetime, pay_first: bool = False) -> HoldState:
    """The buyer's active hold, once it may become a booking now: paid for when it must be,
    before the start, within the per-user limit (lowered since it was held), one fresh code
    per seat."""
    hold = active_hold(event, claim, by, now)
    require_no_payment_due(total_of(lines_of(hold)), pay_first)
    require_not_started(event, now)
    within_limit(event, hold["user_id"], 0)
    require_fresh_codes(event, ticket_codes, hold["quantity"])
    return hold


def kept_for_payment(event: EventState, claim: Claim, *, by: Actor | None,
                     now: datetime) -> tuple[HoldState, datetime] | None:
    """The buyer's active hold and its new expiry, when its payment begins: one hold length
    from now (never past the start). None when it was kept once already, or would not last
    longer: a buyer who retries cards keeps no seats beyond that."""
    hold = active_hold(event, claim, by, now)
    until = hold_expiry(event, now)
    if hold.get("kept") or until <= hold["expires_at"]:
        return None
    return hold, until


# How a booking's priced seats are paid for, as its SeatsBooked says: by the provider's payment
# whose success booked them (verify then asks for exactly that one payment, of its total), or
# owed, to be paid at the door or by transfer (no provider took payments when it was made).
BY_PAYMENT = "payment"
OWED = "owed"


def settlement(price: Decimal, *, by_payment: bool) -> str | None:
    """How seats costing `price` in all are paid for; None when they are free."""
    if price <= 0:
        return None
    return BY_PAYMENT if by_payment else OWED


def require_no_payment_due(price: Decimal, pay_first: bool) -> None:
    """Seats with a price are booked by their payment when a provider takes payments
    (`pay_first`): never by a booking or a confirmation alone."""
    if pay_first and price > 0:
        raise Conflict("Seats of a paid category are booked by paying for a hold "
                       "(POST /api/holds/{id}/payment)", code=codes.PAYMENT_REQUIRED)


def releaser(claim: Claim, by: Actor | None) -> str:
    """Who gives the held seats back: its buyer (an offer declined so), or an admin."""
    return ADMIN if by is not None and by.admin and by.id != claim.user_id else CUSTOMER


def release_lapses(event: EventState, user_id: str, released_by: str, now: datetime) -> bool:
    """Whether a release keeps its buyer from holding again, as an expired hold does: only a
    buyer's release within one hold length of their last free one (a change of mind costs
    nothing; chaining holds by releasing them does). An admin's release never."""
    if released_by != CUSTOMER:
        return False
    free_until = event.released_freely.get(user_id)
    return free_until is not None and now < free_until


def lapsed_by_release(released_by: str, lapses: bool | None) -> bool:
    """Whether a stored release lapsed: as it says, or, stored before it said (None), when its
    buyer released it."""
    return lapses if lapses is not None else released_by == CUSTOMER


def hold_again_at(event: EventState, at: datetime) -> datetime:
    """When a buyer whose hold lapsed `at` may hold again."""
    return at + hold_length(event)


def running(untils: dict[str, datetime], at: datetime) -> dict[str, datetime]:
    """The buyers' entries not over by `at`: lapses still keeping a buyer from holding, free
    releases whose hold length still runs (a release then would lapse)."""
    return {user: until for user, until in untils.items() if until > at}


def due_holds(event: EventState, now: datetime) -> list[tuple[str, HoldState]]:
    """The holds whose time is up."""
    return [(key, hold) for key, hold in event.holds.items() if hold["expires_at"] <= now]


def booked(hold: HoldState, *, by_payment: bool) -> dict[str, Any]:
    """What a confirmed hold books: its seats, for its buyer, at the held price, paid for by
    the payment that confirms it or owed."""
    return {**ended(hold), "user_name": hold["user_name"], "unit_price": hold["unit_price"],
            "settlement": settlement(hold_total(hold), by_payment=by_payment),
            "voucher": hold.get("voucher")}


def ended(hold: HoldState) -> dict[str, Any]:
    """What an ended hold's event repeats of it, for readers of the log."""
    offer_for = hold["offer_for"]
    return {"user_id": hold["user_id"], "category": hold["category"],
            "quantity": hold["quantity"], "offer_for": UUID(offer_for) if offer_for else None,
            "lines": hold.get("lines"),
            **({"voucher": hold["voucher"]} if "voucher" in hold else {})}


def hold_total(hold: HoldState) -> Decimal:
    """What a hold's seats cost, every line at its held price."""
    return total_of(lines_of(hold))

