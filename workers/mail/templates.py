"""What each kind of message says: a subject and a plain-text body per kind, in one dict per
language, filled with `str.format_map` from the message's data.

A translation is a second dict with the same kinds and fields (`TEMPLATES["fr"] = {...}`); a
language without a kind falls back to English. The fields a template may use are listed in
`fields`; times arrive already shown in the event's zone (`zones.local_time`). The tickets'
PDF takes its words from `TICKET_PAGE`, and money and a booking's reference as the e-mail
writes them (`price`, `booking_ref`); an invoice's PDF says what `workers.invoices.texts` says,
and its attachment is named by `invoice_file`.
"""

from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from workers.mail.tables import (
    CANCELLATION,
    CONFIRMATION,
    EVENT_CANCELLED,
    INVOICE_CANCELLED,
    INVOICE_ISSUED,
    OFFER,
    TICKETS_CANCELLED,
)
from workers.mail.zones import local_time, parse_time


class Template(NamedTuple):
    subject: str
    body: str


ENGLISH: dict[str, Template] = {
    CONFIRMATION: Template(
        "Your tickets for {event_name}",
        "Hello {name},\n\n"
        "your booking for {event_name} is confirmed: {tickets}, {price}.\n"
        "{venue_line}"
        "Starts: {starts_at}\n\n"
        "Your tickets are in the attached PDF, one page each: show its QR code at the door.\n"
        "Ticket codes:\n{ticket_lines}\n\n"
        "Booking {booking_id}\n"),
    CANCELLATION: Template(
        "Your booking for {event_name} is cancelled",
        "Hello {name},\n\n"
        "your booking {booking_id} for {event_name} ({starts_at}) is cancelled: "
        "{tickets}.\n"
        "{refund_line}"
        "{reason_line}"),
    TICKETS_CANCELLED: Template(
        "Tickets cancelled for {event_name}",
        "Hello {name},\n\n"
        "{tickets} of your booking {booking_id} for {event_name} ({starts_at}) "
        "{are} cancelled; the rest of the booking stands.\n"
        "{refund_line}"
        "{reason_line}"),
    OFFER: Template(
        "Seats for {event_name} are yours until {expires_at}",
        "Hello {name},\n\n"
        "seats came back for {event_name} ({starts_at}) and you are first on the waitlist: "
        "{seats} of {category} held for you.\n"
        "Confirm them before {expires_at}; after that they go to the next person waiting.\n"),
    EVENT_CANCELLED: Template(
        "{event_name} is cancelled",
        "Hello {name},\n\n"
        "{event_name} ({starts_at}) is cancelled, and with it your booking {booking_id}: "
        "{tickets}.\n"
        "{refund_line}"
        "{reason_line}"),
    INVOICE_ISSUED: Template(
        "Your invoice {invoice_number} for {event_name}",
        "Hello {name},\n\n"
        "here is your invoice {invoice_number} for {event_name} ({starts_at}), "
        "booking {booking_id}.\n"
        "Total: {invoice_total}.\n\n"
        "The invoice is the attached PDF, {invoice_file}. It is an e-invoice too: the XML "
        "inside the PDF (Factur-X, EN 16931) is the same invoice for accounting software.\n"),
    INVOICE_CANCELLED: Template(
        "Cancellation {invoice_number} of invoice {cancelled_number}",
        "Hello {name},\n\n"
        "invoice {cancelled_number} for {event_name} ({starts_at}), booking {booking_id}, "
        "is cancelled in full by cancellation {invoice_number}.\n"
        "Amount taken back: {invoice_total}, the whole of invoice {cancelled_number}.\n"
        "What the booking still holds, if anything, is on a new invoice, sent on its own.\n\n"
        "The cancellation is the attached PDF, {invoice_file}. It is an e-invoice too: the "
        "XML inside the PDF (Factur-X, EN 16931) is the same cancellation for accounting "
        "software.\n"),
}
TEMPLATES: dict[str, dict[str, Template]] = {"en": ENGLISH}
# A language's words for counts and prices: (one, many) forms, and what a price of 0 reads as.
WORDS: dict[str, dict[str, Any]] = {
    "en": {"ticket": ("{} ticket", "{} tickets"), "seat": ("{} seat", "{} seats"), "free": "free",
           "are": ("is", "are")},
}
# What a ticket's page in the PDF says beside the event's name, venue and start, and its code.
TICKET_PAGE: dict[str, dict[str, str]] = {
    "en": {"organizer": "Organized by {}", "category": "Category: {}", "price": "Price: {}",
           "holder": "Holder: {}", "ticket": "Ticket {number} of {count}",
           "booked_ticket": "Booking {booking} · Ticket {number} of {count}"},
}
# The lines some templates hold only when there is something to say.
LINES = {"venue": "Venue: {}\n", "reason": "Reason given: {}\n",
         "refund": "Refund: {} {}, what its tickets cost.\n"}


def fields(data: dict[str, Any], language: str = "en") -> dict[str, str]:
    """The values a template may use, from a message's data, in `language`'s words."""
    event = data.get("event") or {}
    zone = event.get("timezone") or "UTC"
    found = {"name": data.get("recipient_name") or "", "event_name": event.get("name") or "",
             "venue": event.get("venue") or "", "currency": event.get("currency") or "",
             "starts_at": shown(event.get("starts_at"), zone),
             "expires_at": shown(data.get("expires_at"), zone)}
    for key in ("booking_id", "quantity", "category", "hold_id"):
        found[key] = str(data.get(key) or "")
    for key in ("total", "refund"):
        found[key] = money(data.get(key))
    words = WORDS.get(language, WORDS["en"])
    count = int(data.get("quantity") or 0)
    found["tickets"] = words["ticket"][count != 1].format(count)
    found["seats"] = words["seat"][count != 1].format(count)
    found["price"] = price(data.get("total"), found["currency"], language)
    found["are"] = words["are"][count != 1]
    found["ticket_lines"] = "\n".join(f"  {t['code']} ({t['category']})"
                                      for t in data.get("tickets") or [])
    found["venue_line"] = LINES["venue"].format(found["venue"]) if found["venue"] else ""
    owed = found["refund"] not in ("", "0.00")
    found["refund_line"] = (LINES["refund"].format(found["refund"], found["currency"]) if owed
                            else "")
    reason = data.get("reason")
    found["reason_line"] = LINES["reason"].format(reason) if reason else ""
    return found | invoice_fields(data.get("invoice") or {}, found["event_name"])


def invoice_fields(invoice: dict[str, Any], event_name: str) -> dict[str, str]:
    """An invoice's or a cancellation's number, the one it cancels, its PDF's name and its
    total as its document writes it (already in the currency's minor unit: never rounded
    again); the event's name as the invoice gives it when the events table has none."""
    number = invoice.get("number") or ""
    gross = (invoice.get("totals") or {}).get("gross")
    return {"invoice_number": number,
            "cancelled_number": (invoice.get("cancels") or {}).get("number") or "",
            "invoice_file": invoice_file(number),
            "invoice_total": f"{gross} {invoice.get('currency') or ''}" if gross else "",
            "event_name": event_name or (invoice.get("order") or {}).get("event_name") or ""}


def invoice_file(number: str) -> str:
    """The name an invoice's PDF is attached under, as the invoices' API names its download."""
    return f"invoice-{number}.pdf"


def render(kind: str, data: dict[str, Any], language: str = "en") -> tuple[str, str]:
    """(subject, body) of a message of `kind`, in `language` or else English."""
    template = TEMPLATES.get(language, {}).get(kind) or ENGLISH[kind]
    values = fields(data, language)
    return template.subject.format_map(values), template.body.format_map(values)


# Every booking of an event shows the same start, twice (its text and its tickets' PDF).
@lru_cache(maxsize=1024)
def shown(moment: str | None, zone: str) -> str:
    """An ISO time as the buyer reads it in the event's zone ('' when there is none)."""
    return local_time(parse_time(moment), zone) if moment else ""


def price(amount: Any, currency: str, language: str = "en") -> str:
    """An amount as a buyer reads it: "25.00 EUR", or the language's word for free (none
    given, or 0)."""
    written = money(amount)
    if written in ("", "0.00"):
        return str(WORDS.get(language, WORDS["en"])["free"])
    return f"{written} {currency}"


def booking_ref(booking_id: Any) -> str:
    """A booking's id as the web UI shows it to buyers: its first eight hex digits, which
    start the id the e-mail gives in full."""
    return str(booking_id or "")[:8]


def money(amount: Any) -> str:
    """A decimal string with two places ('' when there is none)."""
    if amount in (None, ""):
        return ""
    return f"{Decimal(str(amount)):.2f}"
