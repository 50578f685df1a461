"""A repeated Idempotency-Key is answered with the first booking, never booked twice.

A key names its booking (`book_request.idempotent_booking_id`), so a retry finds that
booking: earlier in the same group, or through the booking's `BookingRef` in the store. A warm
aggregate holds no booking ids, so a key used before is usually first found by its ref's
collision in the store; the retry that follows (`careful`) looks every key up. The same key
with another request is refused (409 IDEMPOTENCY_KEY_REUSED).
"""

from collections.abc import Callable
from uuid import UUID

from commands.application.answers import Outcome, booking_view
from commands.domain.booking import BookingRef
from commands.domain.errors import Conflict
from commands.domain.event import Event
from core import error_codes as codes


def earlier_booking(  # noqa: PLR0913 - where the first booking may be, and how to look
    event: Event, booking_id: UUID, digest: str, *, in_group: dict[UUID, BookingRef],
    careful: bool, find_ref: Callable[[UUID], BookingRef | None],
) -> Outcome | None:
    """The first booking of this key, replayed; None when there is none.

    `in_group`: the refs of the bookings decided earlier in this group, by booking id.
    `careful` (a retry after a conflict) looks the key up in the store; otherwise only an
    aggregate loaded with its records (cold) that holds the booking sends it there.
    """
    first = in_group.get(booking_id)
    if first is None and (careful or str(booking_id) in event.bookings):
        first = find_ref(booking_id)
    if first is None:
        return None
    if first.fingerprint != digest:
        raise key_reused()
    return Outcome(booking_view(first), None, replayed=True)


def key_reused() -> Conflict:
    return Conflict(
        "This Idempotency-Key was used for a different request", code=codes.IDEMPOTENCY_KEY_REUSED
    )
