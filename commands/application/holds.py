"""Checkout holds and waiting lines: hold, confirm, release and expire; join, leave, offer.

Holding and confirming are asked as bookings are (`hold_request`, `confirm_request`) and
committed in the booking groups (`commands.application.book`): many in one transaction on a
busy event. The rest is load, decide, save on its event's stream under its event's lock
(`commands.application.runner`). A hold and a place in line also start a `ClaimRef` stream,
saved in the same append, through which a command naming only the hold or the place finds
its event. Confirming a hold books its seats: the booking's id is derived from the hold's, so
a retried confirm answers the same booking.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any, NotRequired, TypedDict, Unpack
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from commands.application.answers import Outcome
from commands.application.book_request import CONFIRM, BookRequest, fingerprint
from commands.application.idempotency import key_reused
from commands.application.runner import CommandRunner
from commands.domain.actor import Actor
from commands.domain.booking import BookingRef
from commands.domain.claim import HOLD, PLACE, ClaimRef, hold_claim, place_claim
from commands.domain.errors import hold_not_found, place_not_found
from commands.domain.event import Event
from commands.domain.events import (
    HOLD_ACTIVE,
    HOLD_CONFIRMED,
    HOLD_EXPIRED,
    HOLD_RELEASED,
    HoldState,
    SeatsHeld,
)
from commands.store.aggregate_store import AggregateStore

CLAIM_NAMESPACE = uuid5(NAMESPACE_URL, "urn:booking-ledger:claims")
WAITING, OFFERED, LEFT, ENDED = "waiting", "offered", "left", "ended"


class ClaimFields(TypedDict):
    """A hold's or a place in line's arguments."""

    user_id: UUID
    user_name: str
    category: str | None
    quantity: int
    idempotency_key: NotRequired[str | None]


def claim_id(kind: str, user_id: str, key: str | None) -> UUID:
    """The same user and key always name the same hold (or place); no key: a new id."""
    return uuid5(CLAIM_NAMESPACE, f"{kind}\x00{user_id}\x00{key}") if key else uuid4()


def hold_request(event_id: UUID, **fields: Unpack[ClaimFields]) -> BookRequest:
    """A hold asked for: its id (derived from an idempotency key) and its request's digest."""
    user, key = str(fields["user_id"]), fields.get("idempotency_key")
    return BookRequest(
        event_id=event_id, booking_id=claim_id(HOLD, user, key), keyed=bool(key),
        digest=fingerprint({"event_id": event_id, "category": fields["category"],
                            "quantity": fields["quantity"], "kind": HOLD}),
        user_id=user, user_name=fields["user_name"], category=fields["category"],
        quantity=fields["quantity"], ticket_codes=(), kind=HOLD)


def confirm_request(claim: ClaimRef, actor: Actor | None) -> BookRequest:
    """A hold's confirmation asked for: the booking it becomes, named by the hold."""
    return BookRequest(
        event_id=claim.event_id, booking_id=booking_of_hold(claim.id), keyed=True,
        digest=claim.fingerprint, user_id=claim.user_id, user_name="", category=None,
        quantity=0, ticket_codes=(), kind=CONFIRM, claim=claim, actor=actor)


def earlier_hold(  # noqa: PLR0913 - where the first hold may be, and how to look
    event: Event, r: BookRequest, *, in_group: dict[UUID, Any], careful: bool,
    find_claim: Callable[[UUID], ClaimRef | None],
    find_ref: Callable[[UUID], BookingRef | None], now: datetime,
) -> Outcome | None:
    """The first hold of this key, replayed; None when there is none. A key used before names
    a hold still active here or decided earlier in this group; else its claim collides in the
    store, which sends the group's events here again (`careful`)."""
    if not (careful or str(r.booking_id) in event.holds or r.booking_id in in_group):
        return None
    first = in_group.get(r.booking_id) or find_claim(r.booking_id)
    if first is None:
        return None
    if first.fingerprint != r.digest or first.kind != HOLD:
        raise key_reused()
    return Outcome(hold_now(first, event, find_ref, now), None, replayed=True)


def hold_now(claim: ClaimRef, event: Event, find_ref: Callable[[UUID], BookingRef | None],
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


def booking_of_hold(hold_id: UUID) -> UUID:
    """The id of the booking a hold becomes: a retried confirm names the same booking."""
    return uuid5(CLAIM_NAMESPACE, f"booking\x00{hold_id}")


def hold_view(claim: ClaimRef, event_id: UUID, hold: HoldState | None, *, status: str,
              expires_at: datetime | None = None) -> dict[str, Any]:
    """A hold as the API shows it (`hold`: its state while active, else None)."""
    offer_for = claim.offer_for
    view: dict[str, Any] = {
        "id": claim.id,
        "event_id": event_id,
        "user_id": UUID(claim.user_id),
        "status": status,
        "expires_at": hold["expires_at"] if hold is not None else expires_at,
        "offer": offer_for is not None,
        "place_id": offer_for,
        "booking_id": booking_of_hold(claim.id) if status == HOLD_CONFIRMED else None,
        "category": hold["category"] if hold is not None else None,
        "quantity": hold["quantity"] if hold is not None else None,
        "unit_price": hold["unit_price"] if hold is not None else None,
    }
    return view


class HoldCommands:
    """Holds at checkout and places in waiting lines, on their events' aggregates."""

    def __init__(self, runner: CommandRunner, store: AggregateStore) -> None:
        self.runner = runner
        self.store = store

    # ----- holds ---------------------------------------------------------------------------

    def release(self, hold_id: UUID, actor: Actor | None = None) -> Outcome:
        """Give the held seats back (its buyer, an offer declined so; an admin)."""
        claim = self.claim(hold_id, HOLD, actor)
        return self._end(
            "release_hold", claim,
            lambda event: event.release_hold(claim, by=actor, now=self.runner.clock()),
            lambda event: hold_view(claim, event.id, None, status=HOLD_RELEASED,
                                    expires_at=claim.expires_at))

    def expire_due(self, event_id: UUID) -> Outcome:
        """The scheduler's: expire the event's holds whose time is up, under its lock, on its
        state brought up to date; of two schedulers one appends each `HoldExpired`, the other
        finds none due. Nothing appended (position None) when none is."""
        runner = self.runner

        def attempt() -> Outcome:
            event = runner.aggregate(event_id)
            with runner.cache.cooling(event):
                expired = event.expire_holds(now=runner.clock())
                position = self.store.append(event) if expired else None
            runner.cache.keep(event)
            return Outcome({"event_id": event_id, "expired": expired}, position)

        return runner.run("expire_holds", event_id, attempt)

    def view(self, hold_id: UUID, actor: Actor | None = None) -> dict[str, Any]:
        """One hold as its event's stream tells it now, whatever the projections' lag."""
        claim = self.claim(hold_id, HOLD, actor)
        runner = self.runner
        return hold_now(claim, runner.aggregate(claim.event_id), self.store.find_ref,
                        runner.clock())

    # ----- waiting lines -------------------------------------------------------------------

    def join(self, event_id: UUID, **fields: Unpack[ClaimFields]) -> Outcome:
        """Wait in a sold-out category's line; with an idempotency key a retry answers the
        first place."""
        runner, user = self.runner, str(fields["user_id"])
        key = fields.get("idempotency_key")
        entry_id = claim_id(PLACE, user, key)
        digest = fingerprint({"event_id": event_id, "category": fields["category"],
                              "quantity": fields["quantity"], "kind": PLACE})

        tried = [False]

        def attempt() -> Outcome:
            event = runner.aggregate(event_id)
            if key and (tried[0] or str(entry_id) in event.line):  # as a hold's key, above
                earlier = self.store.find_claim(entry_id)
                if earlier is not None:
                    if earlier.fingerprint != digest or earlier.kind != PLACE:
                        raise key_reused()
                    return Outcome(self._place_now(earlier), None, replayed=True)
            tried[0] = True
            with runner.cache.cooling(event):
                event.join_line(entry_id=entry_id, user_id=user, user_name=fields["user_name"],
                                category=fields["category"], quantity=fields["quantity"],
                                now=runner.clock())
                claim = place_claim(event.pending_events[-1], event.id, digest)
                position = self.store.append(event, claim)
            runner.cache.keep(event)
            return Outcome(place_view(claim, event), position)

        return runner.run("join_line", event_id, attempt)

    def leave(self, entry_id: UUID, actor: Actor | None = None) -> Outcome:
        """Step out of the line (the one waiting; an admin)."""
        claim = self.claim(entry_id, PLACE, actor)
        return self._end(
            "leave_line", claim,
            lambda event: event.leave_line(claim, by=actor, now=self.runner.clock()),
            lambda event: place_view(claim, event) | {"status": LEFT})

    def offer(self, event_id: UUID) -> Outcome:
        """The line's process manager: offer the seats free now to the places first in line,
        each an offer hold. Decided on the event's state under its lock, so an offer is made
        once however often this runs (a worker killed mid-offer runs it again)."""
        runner = self.runner

        def attempt() -> Outcome:
            event = runner.aggregate(event_id)
            with runner.cache.cooling(event):
                offers = event.offer_to_line(now=runner.clock(), new_hold_id=uuid4)
                claims = [hold_claim(e, event.id, fingerprint({"offer_for": str(e.offer_for)}))
                          for e in event.pending_events if isinstance(e, SeatsHeld)]
                position = self.store.append(event, *claims) if offers else None
            runner.cache.keep(event)
            return Outcome({"event_id": event_id, "offers": offers}, position)

        return runner.run("offer_to_line", event_id, attempt)

    def _end(self, command: str, claim: ClaimRef, end: Callable[[Event], None],
             view: Callable[[Event], dict[str, Any]]) -> Outcome:
        """End a hold or place on its event's state (`end` decides), save, answer `view`."""
        runner = self.runner

        def attempt() -> Outcome:
            event = runner.aggregate(claim.event_id)
            with runner.cache.cooling(event):
                end(event)
                position = self.store.append(event)
            runner.cache.keep(event)
            return Outcome(view(event), position)

        return runner.run(command, claim.event_id, attempt)

    # ----- claims --------------------------------------------------------------------------

    def claim(self, claim_id: UUID, kind: str, actor: Actor | None) -> ClaimRef:
        """The hold or place, for its owner or an admin (None: trusted); else not found, as an
        unknown id is."""
        return _owned(self.store.find_claim(claim_id), claim_id, kind, actor)

    def kept_claim(self, claim_id: UUID, kind: str, actor: Actor | None) -> ClaimRef | None:
        """`claim`, when this process saved or read it before (no query); else None."""
        kept = self.store.kept_claim(claim_id)
        return None if kept is None else _owned(kept, claim_id, kind, actor)

    def _place_now(self, claim: ClaimRef) -> dict[str, Any]:
        return place_view(claim, self.runner.aggregate(claim.event_id))


def _owned(found: ClaimRef | None, claim_id: UUID, kind: str, actor: Actor | None) -> ClaimRef:
    if found is None or found.kind != kind or (
            actor is not None and not actor.admin and actor.id != found.user_id):
        raise hold_not_found(claim_id) if kind == HOLD else place_not_found(claim_id)
    return found


def place_view(claim: ClaimRef, event: Event) -> dict[str, Any]:
    """A place in line as the API shows it: its rank while waiting (None once offered or
    left)."""
    place = event.line.get(str(claim.id))
    offered = any(h["offer_for"] == str(claim.id) for h in event.holds.values())
    return {
        "id": claim.id,
        "event_id": event.id,
        "user_id": UUID(claim.user_id),
        "category": place["category"] if place else None,
        "quantity": place["quantity"] if place else None,
        "place": event.place_in_line(claim.id),
        "status": WAITING if place else OFFERED if offered else ENDED,
        "joined_at": place["joined_at"] if place else None,
    }

