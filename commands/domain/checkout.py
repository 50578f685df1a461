"""Checkout holds and the waitlist: pure rules over the event's state.

A hold takes seats out of sale for one buyer until it expires (`hold_seconds`), and becomes a
booking when confirmed. A category's waitlist forms only once it is sold out; it is owed the seats
that come back after it formed, offered strictly in the order of joining, the first place
getting what is free (all it waited for, or fewer). Holds and places count toward the per-user
limit; with no limit, one buyer's open seats are bounded; a buyer whose hold lapsed holds again
only one hold length later.
"""

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from commands.domain.actor import Actor
from commands.domain.claim import ClaimRef
from commands.domain.errors import (
    Conflict,
    DomainError,
    RuleBroken,
    hold_not_found,
    place_not_found,
)
from commands.domain.events import ACTIVE, ADMIN, CUSTOMER, HoldState, PlaceState
from commands.domain.lifecycle import require_not_started, require_on_sale
from commands.domain.seats import (
    available,
    free,
    on_sale_to,
    require_fresh_codes,
    resolve_category,
    room_for,
    within_limit,
    within_open_bound,
)
from commands.domain.state import EventState
from core import error_codes as codes

DEFAULT_HOLD_SECONDS = 600
MAX_HOLDS_PER_USER = 5  # active holds of one buyer on one event: a cart, not a hoard
# Lapses are pruned only once their record has doubled since it was last pruned, and never
# below this: each lapse costs O(1), amortized.
MIN_LAPSES_KEPT = 32


def hold_length(event: EventState) -> timedelta:
    return timedelta(seconds=event.hold_seconds or DEFAULT_HOLD_SECONDS)


def hold_expiry(event: EventState, now: datetime) -> datetime:
    """When a hold made `now` expires: its length later, or the start if that comes first."""
    return min(now + hold_length(event), event.starts_at)


def terms(event: EventState, category: str, now: datetime) -> dict[str, Any]:
    """A hold's terms, asked for or offered: the category's price now, until its expiry."""
    return {"unit_price": event.categories[category]["price"],
            "expires_at": hold_expiry(event, now), "held_at": now}


def held_category(event: EventState, *, hold_id: UUID, user_id: str,  # noqa: PLR0913
                  category: str | None, quantity: int, now: datetime) -> str:
    """The category a buyer's new hold takes `quantity` seats of, as a booking would take
    them: within the holds per buyer, the seats held and waited for, and not chained to a
    hold that lapsed a moment ago."""
    require_on_sale(event, now, quantity)
    if str(hold_id) in event.holds:
        raise Conflict(f"Hold {hold_id} already exists", code=codes.DUPLICATE_BOOKING)
    if sum(1 for h in event.holds.values() if h["user_id"] == user_id) >= MAX_HOLDS_PER_USER:
        raise Conflict(f"At most {MAX_HOLDS_PER_USER} holds at once per buyer on an event",
                       code=codes.TOO_MANY_HOLDS)
    again_at = event.may_hold_again_at.get(user_id)
    if again_at is not None and now < again_at:
        raise Conflict(f"Your last hold on this event lapsed: you may hold seats again from "
                       f"{again_at.isoformat()}, or book them now", code=codes.HOLD_TOO_SOON)
    name = on_sale_to(event, user_id, category, quantity)
    within_open_bound(event, user_id, quantity)
    return name


def active_hold(event: EventState, claim: ClaimRef, by: Actor | None,
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


def confirmable(event: EventState, claim: ClaimRef, *, ticket_codes: list[str],
                by: Actor | None, now: datetime) -> HoldState:
    """The buyer's active hold, once it may become a booking now: before the start, within
    the per-user limit (lowered since it was held), one fresh code per seat."""
    hold = active_hold(event, claim, by, now)
    require_not_started(event, now)
    within_limit(event, hold["user_id"], 0)
    require_fresh_codes(event, ticket_codes, hold["quantity"])
    return hold


def releaser(claim: ClaimRef, by: Actor | None) -> str:
    """Who gives the held seats back: its buyer (an offer declined so), or an admin."""
    return ADMIN if by is not None and by.admin and by.id != claim.user_id else CUSTOMER


def lapses(released_by: str) -> bool:
    """A hold its buyer released lapses, as an expired one does; one an admin released not."""
    return released_by == CUSTOMER


def hold_again_at(event: EventState, at: datetime) -> datetime:
    """When a buyer whose hold lapsed `at` may hold again."""
    return at + hold_length(event)


def running_lapses(event: EventState, at: datetime) -> dict[str, datetime]:
    """The lapses not over by `at`: those still keeping a buyer from holding."""
    return {user: until for user, until in event.may_hold_again_at.items() if until > at}


def due_holds(event: EventState, now: datetime) -> list[tuple[str, HoldState]]:
    """The holds whose time is up."""
    return [(key, hold) for key, hold in event.holds.items() if hold["expires_at"] <= now]


def places_over(event: EventState, now: datetime) -> list[tuple[str, PlaceState]]:
    """The places that end now: all, once the event has started (no seat is offered after)."""
    return list(event.waitlist.items()) if now >= event.starts_at else []


def joined_category(event: EventState, *, user_id: str, category: str | None,
                    quantity: int, now: datetime) -> str:
    """The category a buyer waits on the waitlist for up to `quantity` seats of: only once none is
    on sale (those on sale stay on sale to everyone), once per buyer and category, within
    its capacity, the per-user limit and the bound on open seats."""
    require_on_sale(event, now, quantity)
    name = resolve_category(event, category)
    left = available(event, name)
    if left:
        seats, are = ("seat", "is") if left == 1 else ("seats", "are")
        raise Conflict(f"{left} {seats} of {name!r} {are} on sale: book or hold them",
                       code=codes.NOT_SOLD_OUT)
    if any(p["user_id"] == user_id and p["category"] == name for p in event.waitlist.values()) \
            or any(h["user_id"] == user_id and h["category"] == name and h["offer_for"]
                   for h in event.holds.values()):
        raise Conflict(f"You are on the waitlist for {name!r} already",
                       code=codes.ALREADY_IN_LINE)
    capacity = event.categories[name]["capacity"]
    if quantity > capacity:
        raise RuleBroken(f"{name!r} has {capacity} seats in all", code=codes.NOT_ENOUGH_SEATS)
    within_limit(event, user_id, quantity)
    within_open_bound(event, user_id, quantity)
    return name


def leaver(event: EventState, claim: ClaimRef, by: Actor | None) -> str:
    """Who steps off the waitlist: the one waiting, or an admin. An offer made already is a
    hold: released, not left."""
    if claim.event_id != event.id or claim.is_hold or (
            by is not None and by.id != claim.user_id and not by.admin):
        raise place_not_found(claim.id)
    if str(claim.id) not in event.waitlist:
        raise Conflict("No longer waiting: offered seats already, or left",
                       code=codes.PLACE_ENDED)
    return ADMIN if by is not None and by.admin and by.id != claim.user_id else CUSTOMER


def places_to_offer(event: EventState, now: datetime) -> list[tuple[str, PlaceState]]:
    """The places, by rank, seats may be offered to: none unless the event is open and not
    started."""
    if event.status != ACTIVE or now >= event.starts_at:
        return []
    return list(event.waitlist.items())


def offer_size(event: EventState, place: PlaceState) -> int | None:
    """Seats to offer the place now, all it waits for or what is free: None when none is
    free (it waits), 0 when its buyer reached the per-user limit meanwhile (it is passed)."""
    free_now = free(event, place["category"])
    if free_now <= 0:
        return None
    room = room_for(event, place["user_id"], place["quantity"])
    if room <= 0:
        return 0
    return min(free_now, place["quantity"], room)


def rank_of(event: EventState, place_id: UUID) -> int | None:
    """The place's rank on its category's waitlist, 1 for the next offered (None: not
    waiting)."""
    place = event.waitlist.get(str(place_id))
    if place is None:
        return None
    rank = 0
    for other_id, other in event.waitlist.items():
        if other["category"] == place["category"]:
            rank += 1
        if other_id == str(place_id):
            return rank
    return None


def offered(event: EventState, place_id: str, place: PlaceState, size: int,
            now: datetime) -> dict[str, Any]:
    """The hold offered to a place: `size` seats of all it waits for, on a hold's terms."""
    return {"user_id": place["user_id"], "user_name": place["user_name"],
            "category": place["category"], "quantity": size,
            **terms(event, place["category"], now), "offer_for": UUID(place_id),
            "waited_for": place["quantity"]}


def left(place: PlaceState) -> dict[str, Any]:
    """What a place's `WaitlistLeft` repeats of it, for readers of the log."""
    return {"user_id": place["user_id"], "category": place["category"],
            "quantity": place["quantity"]}


def booked(hold: HoldState) -> dict[str, Any]:
    """What a confirmed hold books: its seats, for its buyer, at the held price."""
    return {**ended(hold), "user_name": hold["user_name"], "unit_price": hold["unit_price"]}


def ended(hold: HoldState) -> dict[str, Any]:
    """What an ended hold's event repeats of it, for readers of the log."""
    offer_for = hold["offer_for"]
    return {"user_id": hold["user_id"], "category": hold["category"],
            "quantity": hold["quantity"], "offer_for": UUID(offer_for) if offer_for else None}
