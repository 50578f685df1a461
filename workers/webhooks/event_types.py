"""Which domain events are sent, under which webhook type, and the body each is sent with.

One table, by the domain event's class name, derived from what each event declares: an event
declaring a public type is sent under it, any other is not sent. A checkout's
confirmation is one `SeatsBooked` naming its hold: a booking first, and the hold's end to an
endpoint that asks for `hold.confirmed` but not `booking.created` (one delivery per endpoint
and log position, so that deliveries keep the log's order and replay from a position).
A booking's or a hold's body carries its `lines` (`commands.domain.lines`), one unless it was
ordered across categories, and a booking's each ticket's category.
"""

import json
from typing import Any
from uuid import UUID

from commands.domain import catalogue
from commands.domain.chain import iso, payload, plain
from commands.domain.lines import lines_of, ticket_lines
from core.personal import PERSON, Personal
from core.personal_data.vault import personal_data

# Each event sent, by its class's name, under the public type it declares
# (`commands.domain.declared`).
TYPES_BY_CLASS: dict[str, str] = catalogue.webhook_types()
OFFERED = "waitlist.offered"  # a SeatsHeld made for a place in line (`offer_for`)
CONFIRMED = "hold.confirmed"  # a SeatsBooked naming its hold (`hold_id`), to those not booking
# The seats of a booking, a hold, or a cancellation of either: their bodies name their lines.
ORDERS = frozenset({"SeatsBooked", "BookingCancelled", "TicketsCancelled", "SeatsHeld",
                    "HoldConfirmed", "HoldReleased", "HoldExpired"})
# What an endpoint may subscribe to, in a stable order: by what they are about, in this order,
# then as their events are declared.
ABOUT = ("booking", "event", "ticket", "hold", "waitlist", "order", "payment", "invoice")
EVENT_TYPES: tuple[str, ...] = (
    *sorted(dict.fromkeys(TYPES_BY_CLASS.values()),
            key=lambda kind: ABOUT.index(kind.split(".")[0])), OFFERED)


def webhook_types(domain_event: Any) -> tuple[str, ...]:
    """The webhook types a domain event may be sent as, the first an endpoint subscribes to
    chosen (none: not sent); an offer to a waitlist's place is a hold of its own kind."""
    kind = TYPES_BY_CLASS.get(type(domain_event).__name__)
    if kind is None:
        return ()
    if kind == "hold.created" and vars(domain_event).get("offer_for") is not None:
        return (OFFERED,)
    if kind == "booking.created" and vars(domain_event).get("hold_id") is not None:
        return (kind, CONFIRMED)
    return (kind,)


def event_id_of(domain_event: Any) -> UUID:
    """The ticketed event a domain event is about: its stream's, unless it names one."""
    named = vars(domain_event).get("event_id")
    return named if isinstance(named, UUID) else UUID(str(domain_event.originator_id))


def body(kind: str, domain_event: Any, position: int) -> str:
    """The JSON body sent: `{type, timestamp, data}`, the event's fields in `data` with its
    secret ones (ticket codes) as their digests, never the codes."""
    data = payload(domain_event)  # secret fields digested (`commands.domain.chain`)
    data |= opened_fields(domain_event)  # names opened: "erased" once the person is forgotten
    data["event_id"] = str(event_id_of(domain_event))
    data["position"] = position
    if type(domain_event).__name__ in ORDERS:
        data |= order_fields(domain_event)
    document = {"type": kind, "timestamp": iso(domain_event.timestamp), "data": data}
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)


def opened_fields(domain_event: Any) -> dict[str, Any]:
    """The event's sealed personal fields in the clear, as its receivers read them (an
    invoice's buyer: null once its key is destroyed)."""
    declared = getattr(type(domain_event), "declared", None)
    found: dict[str, Any] = {}
    for name in declared.personal if declared is not None else ():
        value = vars(domain_event).get(name)
        if isinstance(value, Personal):
            vault = personal_data()
            found[name] = vault.open(value) if value.purpose == PERSON else vault.open_json(value)
    return found


def order_fields(domain_event: Any) -> dict[str, Any]:
    """`lines`: each category's seats, with its price where the event records one (a hold, a
    booking, a cancellation across categories); a booking's `ticket_categories`, each of its
    `ticket_codes`' in the same order."""
    fields = vars(domain_event)
    lines = lines_of(domain_event)
    shown: list[dict[str, Any]] = [dict(line) for line in lines]
    if not fields.get("lines") and fields.get("unit_price") is None:  # no price recorded
        for line in shown:
            del line["unit_price"]
    found: dict[str, Any] = {"lines": plain(shown)}
    if type(domain_event).__name__ == "SeatsBooked":
        of_ticket = ticket_lines(domain_event.ticket_codes, lines)
        found["ticket_categories"] = [of_ticket[code]["category"] if code in of_ticket else None
                                      for code in domain_event.ticket_codes]
    return found
