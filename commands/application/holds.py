"""A checkout hold's use cases: hold seats for a buyer, confirm (book) them, release them,
expire those whose time is up, read one.

Holding and confirming are asked as `HoldRequest` (made as it is asked:
`commands.application.asked`) and `ConfirmRequest`, and committed in their event's group
(`commands.application.request_groups`), where each decides itself: many in one transaction
on a busy event. Release and expiry are load, decide, save on the event's stream under its
lock (`commands.application.runner`). A hold also starts a `Claim` stream, saved in the
same append, through which a command naming only the hold finds its event. Confirming a hold
books its seats: the booking's id is derived from the hold's, so a retried confirm answers
the same booking.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from commands.application import seat_requests
from commands.application.idempotency import (
    booking_of_hold,
    key_reused,
)
from commands.application.runner import CommandRunner, Decided
from commands.application.seat_requests import Asked, Lookups
from commands.application.views import Outcome, booking_view
from commands.domain.actor import Actor
from commands.domain.booking import Booking, booking_ref
from commands.domain.checkout import hold_total
from commands.domain.claim import HOLD, Claim, hold_claim, owned
from commands.domain.event import Event
from commands.domain.events import (
    HOLD_ACTIVE,
    HOLD_CONFIRMED,
    HOLD_EXPIRED,
    HOLD_RELEASED,
    HoldState,
)
from commands.domain.lines import lines_of, list_total_of
from commands.domain.taxes import tax_summary
from commands.store.aggregate_store import AggregateStore


@dataclass(frozen=True)
class HoldRequest:
    """Seats held for their buyer until the hold expires: decided in its event's group."""

    asked: Asked

    @property
    def event_id(self) -> UUID:
        return self.asked.event_id

    def earlier(self, event: Event, look: Lookups) -> Outcome | None:
        """The first hold of this key, replayed; None when there is none. A key used before
        names a hold still active here or decided earlier in this group; else its claim
        collides in the store, which sends the group's events here again (`careful`)."""
        a = self.asked
        if not a.keyed or not (look.careful or str(a.id) in event.holds
                               or a.id in look.made_in_group):
            return None
        first = look.made_in_group.get(a.id) or look.find_claim(a.id)
        if first is None:
            return None
        if first.fingerprint != a.digest or first.kind != HOLD:
            raise key_reused()
        return Outcome(hold_now(first, event, look.find_ref, look.now), None, replayed=True)

    def decide(self, event: Event, look: Lookups) -> tuple[Claim, dict[str, Any]]:
        a = self.asked
        state = event.hold(hold_id=a.id, user_id=a.user_id, user_name=a.user_name,
                           category=a.category, quantity=a.quantity, lines=a.lines,
                           now=look.now, voucher=a.voucher)
        claim = hold_claim(event.pending_events[-1], event.id, a.digest)
        return claim, hold_view(claim, event.id, state, status=HOLD_ACTIVE)


@dataclass(frozen=True)
class ConfirmRequest:
    """A hold's seats booked (its buyer, an admin): decided in its event's group."""

    claim: Claim  # the hold's, looked up before queueing
    actor: Actor | None  # who confirms (None: trusted)
    pay_first: bool = False  # a paid hold is confirmed by its payment, not here

    @property
    def event_id(self) -> UUID:
        return self.claim.event_id

    @property
    def booking_id(self) -> UUID:
        return booking_of_hold(self.claim.id)

    def earlier(self, event: Event, look: Lookups) -> Outcome | None:
        """The booking the hold became, when it was confirmed before; None: confirm it."""
        if str(self.claim.id) in event.holds:  # still to confirm
            return None
        first = look.made_in_group.get(self.booking_id) or look.find_ref(self.booking_id)
        return Outcome(booking_view(first), None, replayed=True) if first is not None else None

    def decide(self, event: Event, look: Lookups) -> tuple[Booking, dict[str, Any]]:
        held = event.holds.get(str(self.claim.id))
        codes = [seat_requests.new_ticket_code() for _ in range(held["quantity"] if held else 0)]
        event.confirm_hold(self.claim, booking_id=self.booking_id, ticket_codes=codes,
                           by=self.actor, now=look.now, pay_first=self.pay_first)
        made = booking_ref(event.pending_events[-1], event.id, self.claim.fingerprint)
        return made, booking_view(made)


def hold_now(claim: Claim, event: Event, find_ref: Callable[[UUID], Booking | None],
             now: datetime) -> dict[str, Any]:
    """The hold as its event's state tells it now: active, or how it ended."""
    hold = event.holds.get(str(claim.id))
    if hold is not None:
        return hold_view(claim, event.id, hold, status=HOLD_ACTIVE)
    if find_ref(booking_of_hold(claim.id)) is not None:
        status = HOLD_CONFIRMED
    elif claim.expires_at is not None and now >= claim.expires_at:
        status = HOLD_EXPIRED
    else:
        status = HOLD_RELEASED
    return hold_view(claim, event.id, None, status=status, expires_at=claim.expires_at)


def hold_view(claim: Claim, event_id: UUID, hold: HoldState | None, *, status: str,
              expires_at: datetime | None = None) -> dict[str, Any]:
    """A hold as the API shows it (`hold`: its state while active, else None)."""
    return {
        "id": claim.id,
        "event_id": event_id,
        "user_id": UUID(claim.user_id),
        "status": status,
        "expires_at": hold["expires_at"] if hold is not None else expires_at,
        "offer": claim.offer_for is not None,
        "place_id": claim.offer_for,
        "booking_id": booking_of_hold(claim.id) if status == HOLD_CONFIRMED else None,
        "category": hold["category"] if hold is not None else None,
        "quantity": hold["quantity"] if hold is not None else None,
        "unit_price": hold["unit_price"] if hold is not None else None,
        "lines": lines_of(hold) if hold is not None else None,
        "total": hold_total(hold) if hold is not None else None,
        "list_total": list_total_of(lines_of(hold)) if hold is not None else None,
        "taxes": tax_summary(lines_of(hold)) if hold is not None else None,
        "voucher": hold.get("voucher") if hold is not None else None,
    }


class HoldCommands:
    """Release, expire and read holds, on their events' aggregates; find a hold's claim."""

    def __init__(self, runner: CommandRunner, store: AggregateStore, *,
                 pay_first: bool = False) -> None:
        self.runner = runner
        self.store = store
        self.pay_first = pay_first  # a provider takes payments: paid holds are paid for

    def confirm_request(self, hold_id: UUID, actor: Actor | None) -> ConfirmRequest:
        """A hold's confirmation asked for, its claim looked up (the buyer's, or an admin's)."""
        return ConfirmRequest(self.claim(hold_id, actor), actor, self.pay_first)

    def kept_confirm_request(self, hold_id: UUID, actor: Actor | None) -> ConfirmRequest | None:
        """`confirm_request`, when this process saved or read the hold's claim (no query)."""
        kept = self.store.kept_claim(hold_id)
        return None if kept is None else ConfirmRequest(owned(kept, hold_id, HOLD, actor), actor,
                                                        self.pay_first)

    def release(self, hold_id: UUID, actor: Actor | None = None) -> Outcome:
        """Give the held seats back (its buyer, an offer declined so; an admin)."""
        claim = self.claim(hold_id, actor)

        def decide(event: Event) -> Decided:
            event.release_hold(claim, by=actor, now=self.runner.clock())
            return hold_view(claim, event.id, None, status=HOLD_RELEASED,
                             expires_at=claim.expires_at), ()

        return self.runner.decide("release_hold", claim.event_id, decide)

    def expire_due(self, event_id: UUID) -> Outcome:
        """The scheduler's: expire the event's holds whose time is up, under its lock, on its
        state brought up to date; of two schedulers one appends each `HoldExpired`, the other
        finds none due. Nothing appended (position None) when none is."""

        def decide(event: Event) -> Decided:
            expired = event.expire_holds(now=self.runner.clock())
            return {"event_id": event_id, "expired": expired}, ()

        return self.runner.decide("expire_holds", event_id, decide)

    def view(self, hold_id: UUID, actor: Actor | None = None) -> dict[str, Any]:
        """One hold as its event's stream tells it now, whatever the projections' lag."""
        claim = self.claim(hold_id, actor)
        runner = self.runner
        return runner.read(claim.event_id, lambda event: hold_now(
            claim, event, self.store.find_ref, runner.clock()))

    def claim(self, hold_id: UUID, actor: Actor | None) -> Claim:
        """The hold's claim, for its buyer or an admin (None: trusted); else not found."""
        return owned(self.store.find_claim(hold_id), hold_id, HOLD, actor)
