"""What the rest of the system needs to know of each domain event, declared once on its class
(`declared = Declared(...)`), beside its fields: its label for auditors, its public name for
webhooks, the buyers' messages it may make, what it does to seats and waitlists, and which
of its fields name a person. Every list kept elsewhere is derived from these (`catalogue`)."""

from dataclasses import dataclass
from enum import StrEnum

# The kinds of buyers' messages a domain event may make (each with its template in
# `workers/mail/templates.py`).
CONFIRMATION = "booking_confirmed"
CANCELLATION = "booking_cancelled"
TICKETS_CANCELLED = "tickets_cancelled"
OFFER = "waitlist_offer"
EVENT_CANCELLED = "event_cancelled"
INVOICE_ISSUED = "invoice_issued"
INVOICE_CANCELLED = "invoice_cancelled"  # the cancellation that cancels an invoice in full
MESSAGE_KINDS = (CONFIRMATION, CANCELLATION, TICKETS_CANCELLED, OFFER, EVENT_CANCELLED,
                 INVOICE_ISSUED, INVOICE_CANCELLED)


class Seats(StrEnum):
    """What a domain event does to the seats on sale, for those who act on it."""

    TAKES = "takes"  # fewer seats on sale (a booking, a hold)
    FREES = "frees"  # seats back on sale (a cancellation, a hold's end)
    MAY_FREE = "may_free"  # seats back on sale when it raises a capacity
    MOVES_WAITLIST = "moves_waitlist"  # a waitlist changes: its first place may now be served


@dataclass(frozen=True)
class Declared:
    label: str  # what auditors read in the log and the history
    public: str | None = None  # its webhook type; None: never sent
    mail: tuple[str, ...] = ()  # the kinds of buyers' messages it may make
    seats: Seats | None = None
    personal: tuple[str, ...] = ()  # its fields that name or identify a person
