"""Seats: what a category has free and on sale, and what one buyer may take of them (the
per-user limit, and the bound on seats held and waited for when no limit is set)."""

from commands.domain.errors import Conflict, RuleBroken
from commands.domain.state import EventState
from core import error_codes as codes

# Seats one buyer may hold or wait for at once on an event with no per-user limit (the limit,
# when set, bounds them with the seats bought).
MAX_OPEN_SEATS_PER_USER = 10


def resolve_category(event: EventState, category: str | None) -> str:
    """The category named, or the event's only one when none is named."""
    if category is None:
        if len(event.categories) == 1:
            return next(iter(event.categories))
        raise RuleBroken(
            "This event has several categories; name one", code=codes.CATEGORY_REQUIRED
        )
    if category not in event.categories:
        raise RuleBroken(f"No category {category!r} on this event", code=codes.UNKNOWN_CATEGORY)
    return category


def require_unlocked(event: EventState, category: str, voucher: str | None) -> None:
    """A hidden category is on sale only with a voucher naming it (enabled; whether it may be
    used now is `commands.domain.vouchers.redeemed`'s to say): to anyone else it is not
    there, as an unknown category is."""
    if not event.categories[category].get("hidden"):
        return
    found = event.vouchers.get(voucher.strip().upper()) if voucher else None
    if found is None or found["disabled"] or category not in (found["categories"] or ()):
        raise RuleBroken(f"No category {category!r} on this event",
                         code=codes.UNKNOWN_CATEGORY)


def free_seats(capacity: int, sold: int, held: int) -> int:
    """Of a category's seats, those neither sold nor held (some may be owed to the waitlist;
    below 0 when its capacity was lowered under what is taken)."""
    return capacity - sold - held


def seats_on_sale(capacity: int, sold: int, held: int, waited_for: int,
                  reserved: int = 0) -> int:
    """Of a category's seats, those a walk-up buyer may take: neither sold, held, owed to the
    waitlist, nor reserved by a voucher for its holders. The one formula: the aggregate decides
    with it, the read side shows it."""
    return max(0, free_seats(capacity, sold, held) - waited_for - reserved)


def reserved_by(event: EventState, code: str, category: str) -> int:
    """Seats of `category` voucher `code` keeps off general sale now: its uses left, when it
    reserves them for that category and is enabled."""
    found = event.vouchers.get(code)
    if found is None or not found.get("reserve") or found["disabled"] \
            or found["categories"] != [category]:
        return 0
    return max(0, found["max_uses"] - event.voucher_uses.get(code, 0))


def reserved(event: EventState, category: str) -> int:
    """Seats of `category` its vouchers keep off general sale for their holders."""
    return sum(reserved_by(event, code, category) for code, found in event.vouchers.items()
               if found.get("reserve"))


def free(event: EventState, category: str) -> int:
    """Seats neither sold nor held (some may be owed to the waitlist)."""
    c = event.categories[category]
    return free_seats(c["capacity"], c["sold"], event.held_by_category.get(category, 0))


def available(event: EventState, category: str) -> int:
    """Seats a walk-up buyer may take: neither sold, held, nor owed to the waitlist."""
    c = event.categories[category]
    return seats_on_sale(c["capacity"], c["sold"], event.held_by_category.get(category, 0),
                         event.waitlisted_by_category.get(category, 0),
                         reserved(event, category) if event.vouchers else 0)


def seats_of(event: EventState, user_id: str) -> int:
    """Seats a buyer booked, holds, and waits for on this event."""
    return (event.booked_by_user.get(user_id, 0) + event.held_by_user.get(user_id, 0)
            + event.waitlisted_by_user.get(user_id, 0))


def within_limit(event: EventState, user_id: str, quantity: int) -> None:
    """The per-user limit counts what a buyer booked, holds and waits for, and `quantity`
    more (0: what they have is still within it, the limit lowered since they took it)."""
    limit = event.max_tickets_per_user
    has = seats_of(event, user_id)
    if limit is not None and has + quantity > limit:
        raise RuleBroken(
            f"At most {limit} tickets per user for this event; you have {has} booked, "
            "held or waited for",
            code=codes.USER_LIMIT_EXCEEDED,
        )


def within_open_bound(event: EventState, user_id: str, quantity: int) -> None:
    """With no per-user limit, what one buyer holds and waits for is still bounded."""
    if event.max_tickets_per_user is not None:
        return  # the limit bounds them, with what the buyer booked
    has = event.held_by_user.get(user_id, 0) + event.waitlisted_by_user.get(user_id, 0)
    if has + quantity > MAX_OPEN_SEATS_PER_USER:
        raise Conflict(
            f"At most {MAX_OPEN_SEATS_PER_USER} seats held or waited for at once per buyer "
            f"on an event; you have {has}", code=codes.TOO_MANY_HOLDS)


def on_sale_to(event: EventState, user_id: str, category: str | None, quantity: int,
               voucher: str | None = None) -> str:
    """The category, once `quantity` seats of it are on sale to this buyer (what nobody
    on the waitlist is owed; a hidden one with a voucher naming it) and within the per-user
    limit."""
    name = resolve_category(event, category)
    require_unlocked(event, name, voucher)
    # Seats the buyer's voucher reserves are theirs to take beside those on sale to anyone.
    left = available(event, name) + (reserved_by(event, voucher.strip().upper(), name)
                                     if voucher else 0)
    if left == 0:
        raise RuleBroken(f"Category {name!r} is sold out", code=codes.SOLD_OUT)
    if quantity > left:
        seats = "seat" if left == 1 else "seats"
        raise RuleBroken(f"Only {left} {seats} left in {name!r}; {quantity} requested",
                         code=codes.NOT_ENOUGH_SEATS)
    within_limit(event, user_id, quantity)
    return name


def room_for(event: EventState, user_id: str, wanted: int) -> int:
    """Seats an offer may give a buyer's place waiting for `wanted`, under the per-user limit."""
    limit = event.max_tickets_per_user
    return wanted if limit is None else limit - (seats_of(event, user_id) - wanted)


def require_fresh_codes(event: EventState, ticket_codes: list[str], quantity: int) -> None:
    """One fresh ticket code per seat: a caller's mistake, not a buyer's."""
    # Not set.isdisjoint(dict): that walks the whole index, O(tickets sold) per booking.
    fresh = not any(code in event.ticket_index for code in ticket_codes)
    if len(ticket_codes) != quantity or len(set(ticket_codes)) != quantity or not fresh:
        raise ValueError("one fresh ticket code per seat is required")
