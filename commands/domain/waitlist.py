"""A category's waitlist: pure rules over the event's state.

A waitlist forms only once its category is sold out; it is owed the seats that come back after
it formed, offered strictly in the order of joining, the first place getting what is free (all
it waited for, or fewer), each offer a hold (`commands.domain.checkout`). Places count toward
the per-user limit and, with no limit, toward one buyer's bound on open seats.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

from commands.domain import checkout, taxes
from commands.domain.actor import Actor
from commands.domain.claim import Claim
from commands.domain.errors import (
    Conflict,
    RuleBroken,
    place_not_found,
)
from commands.domain.events import ACTIVE, ADMIN, CUSTOMER, PlaceState
from commands.domain.lifecycle import require_on_sale
from commands.domain.lines import Line
from commands.domain.seats import (
    available,
    free,
    require_unlocked,
    resolve_category,
    room_for,
    within_limit,
    within_open_bound,
)
from commands.domain.state import EventState
from core import error_codes as codes


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
    require_unlocked(event, name, None)  # a hidden category has no waitlist
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


def leaver(event: EventState, claim: Claim, by: Actor | None) -> str:
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
    line: Line = {"category": place["category"], "quantity": size,
                  "unit_price": event.categories[place["category"]]["price"]}
    return {"user_id": place["user_id"], "user_name": place["user_name"],
            **checkout.order_terms(event, taxes.taxed(event, [line]), now),
            "offer_for": UUID(place_id), "waited_for": place["quantity"]}


def left(place: PlaceState) -> dict[str, Any]:
    """What a place's `WaitlistLeft` repeats of it, for readers of the log."""
    return {"user_id": place["user_id"], "category": place["category"],
            "quantity": place["quantity"]}
