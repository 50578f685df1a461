"""A waitlist's use cases: join a sold-out category's waitlist, leave it, and offer the seats
that come back to the places first on it.

Each is load, decide, save on the event's stream under its lock
(`commands.application.runner`). A place also starts a `Claim` stream, saved in the same
append, through which a command naming only the place finds its event; so does each offer,
a hold of its own (`commands.application.holds`).
"""

from typing import Any, Unpack
from uuid import UUID, uuid4

from commands.application.idempotency import claim_id, fingerprint, key_reused
from commands.application.runner import CommandRunner, Decided
from commands.application.seat_requests import SeatFields
from commands.application.views import Outcome
from commands.domain.actor import Actor
from commands.domain.claim import PLACE, Claim, hold_claim, owned, place_claim
from commands.domain.event import Event
from commands.domain.events import SeatsHeld
from commands.store.aggregate_store import AggregateStore

WAITING, OFFERED, LEFT, ENDED = "waiting", "offered", "left", "ended"


class WaitlistCommands:
    """Places on waitlists, on their events' aggregates; the offers made to them."""

    def __init__(self, runner: CommandRunner, store: AggregateStore) -> None:
        self.runner = runner
        self.store = store

    def join(self, event_id: UUID, **fields: Unpack[SeatFields]) -> Outcome:
        """Wait on a sold-out category's waitlist; with an idempotency key a retry answers the
        first place."""
        runner, user = self.runner, str(fields["user_id"])
        key = fields.get("idempotency_key")
        place_id = claim_id(PLACE, user, key)
        digest = fingerprint({"event_id": event_id, "category": fields["category"],
                              "quantity": fields["quantity"], "kind": PLACE})
        tried = [False]

        def decide(event: Event) -> Decided | Outcome:
            # A key used before names a place still waiting here; else its claim collides in
            # the store, and the retry that follows looks it up.
            if key and (tried[0] or str(place_id) in event.waitlist):
                earlier = self.store.find_claim(place_id)
                if earlier is not None:
                    if earlier.fingerprint != digest or earlier.kind != PLACE:
                        raise key_reused()
                    return Outcome(place_view(earlier, event), None, replayed=True)
            tried[0] = True
            event.join_waitlist(place_id=place_id, user_id=user, user_name=fields["user_name"],
                                category=fields["category"], quantity=fields["quantity"],
                                now=runner.clock())
            claim = place_claim(event.pending_events[-1], event.id, digest)
            return place_view(claim, event), (claim,)

        return runner.decide("join_waitlist", event_id, decide)

    def leave(self, place_id: UUID, actor: Actor | None = None) -> Outcome:
        """Step off the waitlist (the one waiting; an admin)."""
        claim = owned(self.store.find_claim(place_id), place_id, PLACE, actor)

        def decide(event: Event) -> Decided:
            event.leave_waitlist(claim, by=actor, now=self.runner.clock())
            return place_view(claim, event) | {"status": LEFT}, ()

        return self.runner.decide("leave_waitlist", claim.event_id, decide)

    def offer(self, event_id: UUID) -> Outcome:
        """The waitlist's process manager: offer the seats free now to the places first on
        it, each an offer hold. Decided on the event's state under its lock, so an offer is
        made once however often this runs (a worker killed mid-offer runs it again)."""

        def decide(event: Event) -> Decided:
            offers = event.offer_to_waitlist(now=self.runner.clock(), new_hold_id=uuid4)
            claims = [hold_claim(e, event.id, fingerprint({"offer_for": str(e.offer_for)}))
                      for e in event.pending_events if isinstance(e, SeatsHeld)]
            return {"event_id": event_id, "offers": offers}, claims

        return self.runner.decide("offer_to_waitlist", event_id, decide)


def place_view(claim: Claim, event: Event) -> dict[str, Any]:
    """A place as the API shows it: its rank while waiting (None once offered or left)."""
    place = event.waitlist.get(str(claim.id))
    offered = any(h["offer_for"] == str(claim.id) for h in event.holds.values())
    return {
        "id": claim.id,
        "event_id": event.id,
        "user_id": UUID(claim.user_id),
        "category": place["category"] if place else None,
        "quantity": place["quantity"] if place else None,
        "rank": event.rank_of(claim.id),
        "status": WAITING if place else OFFERED if offered else ENDED,
        "joined_at": place["joined_at"] if place else None,
    }
