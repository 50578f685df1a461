"""Claim: a hold's or a place's own stream, saved with its event's in one append.

Its id is the hold's (or the place's), so a command naming only that id finds its event
without a projection, and a retried `Idempotency-Key` (which derives the same id) collides
with it in the store instead of holding twice. It records only what the claim was made as:
the hold's or place's state lives on its event's aggregate, where its seats are counted.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from commands.domain.actor import Actor
from commands.domain.chain import ChainedCreated
from commands.domain.declared import Declared
from commands.domain.errors import hold_not_found, place_not_found

HOLD, PLACE = "hold", "place"
STORED_AS = "commands.domain.claim:ClaimRef"  # kept wherever the code moves: stored events decode


class Claim(Aggregate):
    """Who claimed seats of which event, as a hold (until `expires_at`) or a place in line."""

    TOPIC = STORED_AS

    class Created(Aggregate.Created):  # the library's, never triggered: `Made` is ours
        TOPIC = f"{STORED_AS}.Created"

    class Made(ChainedCreated):
        TOPIC = f"{STORED_AS}.Made"
        declared = Declared("Claim made")
        event_id: UUID
        user_id: str
        kind: str  # HOLD or PLACE
        fingerprint: str  # of the request, to tell a retry from another request
        expires_at: datetime | None  # a hold's; None for a place
        offer_for: UUID | None  # the place a hold was offered to

    @event(Made)
    def __init__(  # noqa: PLR0913 - the Made event's fields
        self, id: UUID, event_id: UUID, user_id: str, kind: str,  # noqa: A002 - the library's
        fingerprint: str, expires_at: datetime | None, offer_for: UUID | None,
    ) -> None:
        self.event_id = event_id
        self.user_id = user_id
        self.kind = kind
        self.fingerprint = fingerprint
        self.expires_at = expires_at
        self.offer_for = offer_for

    @property
    def is_hold(self) -> bool:
        return self.kind == HOLD


ClaimRef = Claim  # the name stored topics resolve (`STORED_AS`): it stays


def hold_claim(hold: Any, event_id: UUID, fingerprint: str) -> Claim:
    """The claim of the hold an Event's `SeatsHeld` domain event (`hold`) just made."""
    return Claim(id=hold.hold_id, event_id=event_id, user_id=hold.user_id, kind=HOLD,
                    fingerprint=fingerprint, expires_at=hold.expires_at,
                    offer_for=hold.offer_for)


def place_claim(place: Any, event_id: UUID, fingerprint: str) -> Claim:
    """The claim of the place in line an Event's `WaitlistJoined` (`place`) just made."""
    return Claim(id=place.entry_id, event_id=event_id, user_id=place.user_id, kind=PLACE,
                    fingerprint=fingerprint, expires_at=None, offer_for=None)


def owned(found: Claim | None, claim_id: UUID, kind: str, actor: Actor | None) -> Claim:
    """The hold or place `found`, for its owner or an admin (`actor` None: trusted). To
    anyone else it is not found, as an unknown id is: its existence is not theirs to learn."""
    if found is None or found.kind != kind or (
            actor is not None and not actor.admin and actor.id != found.user_id):
        raise hold_not_found(claim_id) if kind == HOLD else place_not_found(claim_id)
    return found
