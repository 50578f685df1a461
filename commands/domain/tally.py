"""The seat counts the rules read (`seats`, `checkout`, `waitlist`), kept by the `Event`
aggregate's appliers: each count changes here, in one place, whichever domain event moves it.
The counts are the state, so a replay rebuilds them; none is ever computed from the records."""

from datetime import datetime
from typing import Any
from uuid import UUID

from commands.domain.checkout import (
    MIN_LAPSES_KEPT,
    hold_again_at,
    running,
)
from commands.domain.events import HoldState, PlaceState
from commands.domain.state import EventState
from commands.domain.vouchers import seats_using


def sold(event: EventState, user_id: str, category: str, seats: int,
         lines: list[dict[str, Any]] | None) -> None:
    """`seats` more sold to `user_id` (fewer: negative), in `category` or across the `lines`."""
    event.booked_by_user[user_id] = event.booked_by_user.get(user_id, 0) + seats
    if not lines:  # one category: no allocation on the booking path
        event.categories[category]["sold"] += seats
        return
    sign = 1 if seats > 0 else -1
    for line in lines:
        event.categories[line["category"]]["sold"] += sign * line["quantity"]


def hold_taken(event: EventState, hold_id: UUID, hold: HoldState) -> None:
    """A hold taken: its seats are held, per category and for its buyer."""
    event.holds[str(hold_id)] = hold
    _count_held(event, hold, 1)


def hold_ended(event: EventState, hold_id: UUID, *, gives_voucher_back: bool = False) -> None:
    """A hold confirmed, released or expired: its seats are held no longer; released or
    expired (`gives_voucher_back`), its voucher's uses are free again."""
    hold = event.holds.pop(str(hold_id))
    _count_held(event, hold, -1)
    if gives_voucher_back and "voucher" in hold:
        voucher_used(event, hold["voucher"], -seats_using(hold.get("lines")))


def voucher_used(event: EventState, code: str, seats: int) -> None:
    """`seats` more held or booked with the voucher (fewer: negative)."""
    event.voucher_uses[code] = event.voucher_uses.get(code, 0) + seats


def _count_held(event: EventState, hold: HoldState, sign: int) -> None:
    for line in hold.get("lines") or (hold,):  # one category: the hold is its line
        seats = sign * line["quantity"]
        event.held_by_category[line["category"]] = (
            event.held_by_category.get(line["category"], 0) + seats)
    event.held_by_user[hold["user_id"]] = (
        event.held_by_user.get(hold["user_id"], 0) + sign * hold["quantity"])


def place_joined(event: EventState, place_id: UUID, place: PlaceState) -> None:
    """A place joined the waitlist: its seats are waited for."""
    event.waitlist[str(place_id)] = place
    waited(event, place["category"], place["user_id"], place["quantity"])


def place_offered(event: EventState, place_id: UUID, category: str, user_id: str,
                  waited_for: int) -> None:
    """A place offered seats: off the waitlist, all it waited for waited for no longer
    (`waited_for`: what its offer recorded, for a place gone before)."""
    place = event.waitlist.pop(str(place_id), None)
    waited(event, category, user_id, -(place["quantity"] if place is not None else waited_for))


def place_left(event: EventState, place_id: UUID) -> None:
    """A place left the waitlist (not for an offer): its seats are waited for no longer."""
    place = event.waitlist.pop(str(place_id))
    waited(event, place["category"], place["user_id"], -place["quantity"])


def waited(event: EventState, category: str, user_id: str, seats: int) -> None:
    """`seats` more waited for (fewer: negative), in `category` and by `user_id`."""
    event.waitlisted_by_category[category] = event.waitlisted_by_category.get(category, 0) + seats
    event.waitlisted_by_user[user_id] = event.waitlisted_by_user.get(user_id, 0) + seats


def lapsed(event: EventState, user_id: str, at: datetime) -> None:
    """Keep the buyer from holding again for one hold length. Lapses over by `at` are pruned
    once the record has doubled since it was last pruned: O(1) a lapse, amortized, and a warm
    aggregate's memory stays that of the lapses still running."""
    event.may_hold_again_at[user_id] = hold_again_at(event, at)
    _prune(event, at)


def released_freely(event: EventState, user_id: str, at: datetime) -> None:
    """The buyer released a hold without a lapse: one more release within a hold length
    lapses (`checkout.release_lapses`). Pruned with the lapses."""
    event.released_freely[user_id] = hold_again_at(event, at)
    _prune(event, at)


def _prune(event: EventState, at: datetime) -> None:
    if len(event.may_hold_again_at) + len(event.released_freely) > 2 * event.lapses_kept:
        event.may_hold_again_at = running(event.may_hold_again_at, at)
        event.released_freely = running(event.released_freely, at)
        event.lapses_kept = max(len(event.may_hold_again_at) + len(event.released_freely),
                                MIN_LAPSES_KEPT)


def sales_closed(event: EventState) -> None:
    """A closed event's holds and waitlist end with it (the read side ends them so too)."""
    event.holds, event.held_by_category, event.held_by_user = {}, {}, {}
    event.waitlist, event.waitlisted_by_category, event.waitlisted_by_user = {}, {}, {}
