"""What each kind of message says: a subject and a plain-text body per kind, written in English
and marked for the catalogues (`workers.i18n.catalogues`), filled from the message's data in
the recipient's language.

The fields a template may use are listed in `fields`; times arrive already shown in the event's
zone (`zones.local_time`), money as the language writes it (`workers.i18n.formats`). A body
whose words follow a count is a `Plural`. The tickets' PDF takes its words from `TICKET_PAGE`,
and money and a booking's reference as the e-mail writes them (`price`, `booking_ref`); an
invoice's PDF says what `workers.invoices.texts` says, and its attachment is named by
`invoice_file`.
"""

from decimal import Decimal
from functools import cache, lru_cache
from typing import Any, NamedTuple

from workers.i18n.catalogues import N_, NP_, Plural, Words, words
from workers.i18n.formats import money as money_in
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
    body: str | Plural  # a Plural's form is chosen by the message's `quantity`


TEMPLATES: dict[str, Template] = {
    CONFIRMATION: Template(
        N_("Your tickets for {event_name}"),
        N_("Hello {name},\n\n"
           "your booking for {event_name} is confirmed: {tickets}, {price}.\n"
           "{venue_line}"
           "Starts: {starts_at}\n\n"
           "Your tickets are in the attached PDF, one page each: show its QR code at the "
           "door.\n"
           "Ticket codes:\n{ticket_lines}\n\n"
           "Booking {booking_id}\n")),
    CANCELLATION: Template(
        N_("Your booking for {event_name} is cancelled"),
        N_("Hello {name},\n\n"
           "your booking {booking_id} for {event_name} ({starts_at}) is cancelled: "
           "{tickets}.\n"
           "{refund_line}"
           "{reason_line}")),
    TICKETS_CANCELLED: Template(
        N_("Tickets cancelled for {event_name}"),
        NP_("Hello {name},\n\n"
            "{tickets} of your booking {booking_id} for {event_name} ({starts_at}) "
            "is cancelled; the rest of the booking stands.\n"
            "{refund_line}"
            "{reason_line}",
            "Hello {name},\n\n"
            "{tickets} of your booking {booking_id} for {event_name} ({starts_at}) "
            "are cancelled; the rest of the booking stands.\n"
            "{refund_line}"
            "{reason_line}")),
    OFFER: Template(
        N_("Seats for {event_name} are yours until {expires_at}"),
        N_("Hello {name},\n\n"
           "seats came back for {event_name} ({starts_at}) and you are first on the waitlist: "
           "{seats} of {category} held for you.\n"
           "Confirm them before {expires_at}; after that they go to the next person "
           "waiting.\n")),
    EVENT_CANCELLED: Template(
        N_("{event_name} is cancelled"),
        N_("Hello {name},\n\n"
           "{event_name} ({starts_at}) is cancelled, and with it your booking {booking_id}: "
           "{tickets}.\n"
           "{refund_line}"
           "{reason_line}")),
    INVOICE_ISSUED: Template(
        N_("Your invoice {invoice_number} for {event_name}"),
        N_("Hello {name},\n\n"
           "here is your invoice {invoice_number} for {event_name} ({starts_at}), "
           "booking {booking_id}.\n"
           "Total: {invoice_total}.\n\n"
           "The invoice is the attached PDF, {invoice_file}. It is an e-invoice too: the XML "
           "inside the PDF (Factur-X, EN 16931) is the same invoice for accounting "
           "software.\n")),
    INVOICE_CANCELLED: Template(
        N_("Cancellation {invoice_number} of invoice {cancelled_number}"),
        N_("Hello {name},\n\n"
           "invoice {cancelled_number} for {event_name} ({starts_at}), booking {booking_id}, "
           "is cancelled in full by cancellation {invoice_number}.\n"
           "Amount taken back: {invoice_total}, the whole of invoice {cancelled_number}.\n"
           "What the booking still holds, if anything, is on a new invoice, sent on its "
           "own.\n\n"
           "The cancellation is the attached PDF, {invoice_file}. It is an e-invoice too: the "
           "XML inside the PDF (Factur-X, EN 16931) is the same cancellation for accounting "
           "software.\n")),
}
# Counts as the bodies say them, and what a price of 0 reads as.
TICKETS = NP_("{count} ticket", "{count} tickets")
SEATS = NP_("{count} seat", "{count} seats")
FREE = N_("free")
# What a ticket's page in the PDF says beside the event's name, venue and start, and its code.
TICKET_PAGE: dict[str, str] = {
    "title": N_("Tickets: {event_name}"),
    "organizer": N_("Organized by {organizer}"), "category": N_("Category: {category}"),
    "price": N_("Price: {price}"), "holder": N_("Holder: {holder}"),
    "ticket": N_("Ticket {number} of {count}"),
    "booked_ticket": N_("Booking {booking} · Ticket {number} of {count}")}
# The lines some templates hold only when there is something to say.
LINES = {"venue": N_("Venue: {venue}\n"), "reason": N_("Reason given: {reason}\n"),
         "refund": N_("Refund: {refund}, what its tickets cost.\n")}


@cache
def ticket_page(language: str | None) -> dict[str, str]:
    """`TICKET_PAGE` in `language` (none: English), its `{fields}` still to fill: read once
    per language, as every ticket's page says the same."""
    said = words(language)
    return {key: said.text(text) for key, text in TICKET_PAGE.items()}


def fields(data: dict[str, Any], said: Words) -> dict[str, str]:
    """The values a template may use, from a message's data, in `said`'s language."""
    language = said.language
    event = data.get("event") or {}
    zone = event.get("timezone") or "UTC"
    currency = event.get("currency") or ""
    found = {"name": data.get("recipient_name") or "", "event_name": event_name(event, language),
             "venue": event.get("venue") or "", "currency": currency,
             "starts_at": shown(event.get("starts_at"), zone, language),
             "expires_at": shown(data.get("expires_at"), zone, language)}
    for key in ("booking_id", "quantity", "category", "hold_id"):
        found[key] = str(data.get(key) or "")
    count = int(data.get("quantity") or 0)
    found["tickets"] = said.plural(TICKETS, count)
    found["seats"] = said.plural(SEATS, count)
    found["price"] = price(data.get("total"), currency, language)
    found["ticket_lines"] = "\n".join(f"  {t['code']} ({t['category']})"
                                      for t in data.get("tickets") or [])
    found["venue_line"] = said.text(LINES["venue"], venue=found["venue"]) if found["venue"] else ""
    refund = data.get("refund")
    owed = refund not in (None, "") and Decimal(str(refund)) != 0
    found["refund_line"] = (said.text(LINES["refund"], refund=price(refund, currency, language))
                            if owed else "")
    reason = data.get("reason")
    found["reason_line"] = said.text(LINES["reason"], reason=reason) if reason else ""
    return found | invoice_fields(data.get("invoice") or {}, found["event_name"], language)


def event_name(event: dict[str, Any], language: str) -> str:
    """The event's name in `language` where its organizer gave one, else as it was named."""
    given = (event.get("translations") or {}).get(language) or {}
    return given.get("name") or event.get("name") or ""


def invoice_fields(invoice: dict[str, Any], event_name: str,
                   language: str = "en") -> dict[str, str]:
    """An invoice's or a cancellation's number, the one it cancels, its PDF's name and its
    total in the language's way of writing money (from its document's decimal string, in the
    currency's minor unit: never rounded again); the event's name as the invoice gives it when
    the events table has none."""
    number = invoice.get("number") or ""
    gross = (invoice.get("totals") or {}).get("gross")
    currency = invoice.get("currency") or ""
    return {"invoice_number": number,
            "cancelled_number": (invoice.get("cancels") or {}).get("number") or "",
            "invoice_file": invoice_file(number),
            "invoice_total": money_in(str(gross), currency, language) if gross else "",
            "event_name": event_name or (invoice.get("order") or {}).get("event_name") or ""}


def invoice_file(number: str) -> str:
    """The name an invoice's PDF is attached under, as the invoices' API names its download."""
    return f"invoice-{number}.pdf"


def render(kind: str, data: dict[str, Any], language: str | None = None) -> tuple[str, str]:
    """(subject, body) of a message of `kind` in `language` (the recipient's, as recorded in
    its data when none is given; English for none)."""
    said = words(language if language is not None else data.get("language"))
    template = TEMPLATES[kind]
    values = fields(data, said)
    body = template.body
    text = (said.plural(body, int(data.get("quantity") or 0), **values)
            if isinstance(body, Plural) else said.text(body, **values))
    return said.text(template.subject, **values), text


# Every booking of an event shows the same start, twice (its text and its tickets' PDF).
@lru_cache(maxsize=1024)
def shown(moment: str | None, zone: str, language: str | None = None) -> str:
    """An ISO time as the buyer reads it in the event's zone ('' when there is none)."""
    return local_time(parse_time(moment), zone, language) if moment else ""


def price(amount: Any, currency: str, language: str | None = None) -> str:
    """An amount as a buyer reads it in their language: "€25.00", "25,00 €", or the
    language's word for free (none given, or 0)."""
    if amount in (None, "") or Decimal(str(amount)) == 0:
        return words(language).text(FREE)
    return money_in(str(amount), currency, language)


def booking_ref(booking_id: Any) -> str:
    """A booking's id as the web UI shows it to buyers: its first eight hex digits, which
    start the id the e-mail gives in full."""
    return str(booking_id or "")[:8]
