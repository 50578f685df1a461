"""Each booking is told twice: by its event's stream (SeatsBooked, BookingCancelled,
TicketsCancelled, TicketCheckedIn, TicketCheckInUndone) and by its own (`Booking`: Registered,
Cancelled, TicketsCancelled, TicketUsed, TicketCheckInUndone), written in
one transaction. Verify reads both in its one pass and reports where they differ, or where a
booking lacks its own stream: a deleted or edited stream that its own chain cannot show.

A ref registered before it held the booking's facts (version 1) tells only its event and its
owner; those are compared.
"""

from dataclasses import dataclass, field
from typing import Any

from commands.audit.invariants import EventAudit
from commands.domain.chain import stored_aggregate
from commands.domain.lines import lines_of


@dataclass
class Told:
    """What one stream says of a booking."""

    event_id: str = ""
    user: str | None = None
    category: str | None = None  # None: a version-1 ref, which holds no seats
    quantity: int | None = None
    lines: tuple[tuple[str, int], ...] = ()  # each category's seats, in order
    codes: frozenset[str] = frozenset()
    cancelled: bool = False
    cancelled_as: tuple[str | None, str | None] = (None, None)  # who cancelled, their reason
    used: set[str] = field(default_factory=set)
    refunded: set[str] = field(default_factory=set)  # tickets cancelled, the booking kept
    version: int = 0  # of the event's SeatsBooked (on the event's side; 0 on the booking's)
    position: int = 0


class BookingStreams:
    """Both tellings of every booking, gathered in verify's pass (`apply`), then compared."""

    def __init__(self) -> None:
        self.by_event: dict[str, Told] = {}
        self.by_itself: dict[str, Told] = {}

    def apply(self, e: Any, position: int) -> None:
        kind = stored_aggregate(e)
        if kind == "Event" and hasattr(e, "booking_id"):
            told = self.by_event.setdefault(str(e.booking_id), Told(str(e.originator_id)))
        elif kind == "BookingRef":
            told = self.by_itself.setdefault(str(e.originator_id), Told())
        else:
            return
        name = type(e).__name__
        if name in ("SeatsBooked", "Registered"):
            told.user, told.category, told.quantity = e.user_id, e.category, e.quantity
            if e.category is not None:  # across categories, each line's seats
                told.lines = tuple((line["category"], line["quantity"]) for line in lines_of(e))
            told.codes = frozenset(e.ticket_codes or ())
            told.position = position
            if name == "Registered":
                told.event_id = str(e.event_id)
            else:
                told.version = e.originator_version
        elif name in ("BookingCancelled", "Cancelled"):
            told.cancelled = True
            # Absent from cancellations recorded before they said: None on both sides then.
            told.cancelled_as = (getattr(e, "cancelled_by", None),
                                 getattr(e, "stated_reason", None))
        elif name == "TicketsCancelled":  # the same name on both streams
            told.refunded.update(e.ticket_codes)
        elif name in ("TicketCheckedIn", "TicketUsed"):
            told.used.add(e.code)
        elif name == "TicketCheckInUndone":  # the same name on both streams
            told.used.discard(e.code)

    def report(self, audits: dict[str, EventAudit]) -> None:
        """Add each disagreement to its event's problems (rule `booking_stream`)."""
        for key, said in self.by_event.items():
            own = self.by_itself.get(key)
            if own is None:
                why = "has no stream of its own (deleted?)"
            elif own.event_id != said.event_id:
                why = f"has a stream of its own that names event {own.event_id}"
            else:
                why = _differences(said, own)
            if why:
                _problem(audits, said, f"booking {key} {why}")
        for key, own in self.by_itself.items():
            if key not in self.by_event:
                _problem(audits, own, f"booking {key} has a stream of its own, but its "
                                      "event never booked it")


def _differences(said: Told, own: Told) -> str:
    wrong = [] if own.user == said.user else ["owner"]
    if own.category is not None:  # version 1: no seats of its own to compare
        wrong += [name for name, a, b in (
            ("seats", (said.category, said.quantity, said.lines),
             (own.category, own.quantity, own.lines)),
            ("tickets", said.codes, own.codes), ("cancellation", said.cancelled, own.cancelled),
            ("check-ins", said.used, own.used),
            ("tickets cancelled", said.refunded, own.refunded)) if a != b]
        if said.cancelled and own.cancelled and said.cancelled_as != own.cancelled_as:
            wrong.append("who cancelled and why")
    return f"differs on its own stream: {', '.join(wrong)}" if wrong else ""


def _problem(audits: dict[str, EventAudit], told: Told, message: str) -> None:
    audit = audits.setdefault(told.event_id, EventAudit(told.event_id))
    audit.problems.append({"version": told.version, "position": told.position,
                           "rule": "booking_stream", "message": message})
